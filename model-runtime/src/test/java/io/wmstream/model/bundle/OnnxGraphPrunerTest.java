package io.wmstream.model.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.wmstream.model.support.GoldenBundle;
import io.wmstream.model.support.TestBundles;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Pruning step graphs for encoding (the default one to its state, or to its state and tags): what is left out, what
 * is kept, and what is refused.
 */
class OnnxGraphPrunerTest {
    private static final byte[] MODEL = TestBundles.defaultBundle().modelBytes();

    @Test
    void shouldLeaveOutTheLogitsAndTheOutputLayerWhenKeepingOnlyTheState() throws OrtException {
        // Given the default bundle's step graph (logits from a Gemm over the tied embedding, and the state)

        // When pruned to state_out
        ByteBuffer buffer = OnnxGraphPruner.keepOutputs(MODEL, Set.of("state_out")).orElseThrow();
        byte[] pruned = new byte[buffer.remaining()];
        buffer.duplicate().get(pruned);

        // Then ONNX Runtime opens it with the same inputs and only the state as output, without the output layer
        // (its bias is gone; the embedding stays, as the input side reads it) and with the same operator sets, read
        // in place from a direct buffer
        assertThat(buffer.isDirect()).isTrue();
        assertThat(pruned.length).isLessThan(MODEL.length);
        assertThat(contains(pruned, "m.proj.bias")).isFalse();
        assertThat(contains(pruned, "Gemm")).isFalse();
        assertThat(contains(MODEL, "Gemm")).isTrue();
        assertThat(contains(pruned, "m.emb.weight")).isTrue();
        assertThat(OnnxModelHeader.parse(pruned)).isEqualTo(OnnxModelHeader.parse(MODEL));
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = environment.createSession(buffer, options)) {
            assertThat(session.getInputNames()).containsExactlyInAnyOrderElementsOf(ModelBundle.INPUTS);
            assertThat(session.getOutputNames()).containsExactly("state_out");
        }
    }

    @Test
    void shouldLeaveOutTheOutputLayerButKeepTheTaggerInTheEncodingGraphOfATaggedBundle() throws OrtException {
        // Given the shipped bundle's step graph: logits from the output layer over the vocabulary, the state, and tags
        ModelBundle bundle = GoldenBundle.SHIPPED.bundle();
        byte[] model = bundle.modelBytes();
        String tags = bundle.tagger().orElseThrow().output();
        OnnxNodes full = OnnxNodes.of(model);
        List<OnnxNodes.Node> encoding = full.feeding(Set.of("state_out", tags));
        List<OnnxNodes.Node> outputLayer = new ArrayList<>(full.feeding(Set.of("logits")));
        outputLayer.removeAll(encoding);
        assertThat(outputLayer).as("nodes only the logits need").extracting(OnnxNodes.Node::opType)
                .containsAnyOf("Gemm", "MatMul");

        // When pruned to what encoding reads
        ByteBuffer buffer = OnnxGraphPruner.keepOutputs(model, Set.of("state_out", tags)).orElseThrow();
        byte[] pruned = new byte[buffer.remaining()];
        buffer.duplicate().get(pruned);

        // Then none of the output layer's nodes is left, the tagger's are all there, and ONNX Runtime opens it
        // with the step graph's inputs and exactly the state and the tags as outputs
        List<OnnxNodes.Node> kept = OnnxNodes.of(pruned).nodes();
        assertThat(kept).doesNotContainAnyElementsOf(outputLayer).containsExactlyElementsOf(encoding);
        assertThat(kept).extracting(OnnxNodes.Node::outputs).noneMatch(outputs -> outputs.contains("logits"));
        assertThat(OnnxNodes.of(pruned).feeding(Set.of(tags))).isNotEmpty();
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = environment.createSession(buffer, options)) {
            assertThat(session.getInputNames()).containsExactlyInAnyOrderElementsOf(ModelBundle.INPUTS);
            assertThat(session.getOutputNames()).containsExactlyInAnyOrder("state_out", tags);
        }
    }

    @Test
    void shouldHaveNothingToDoWhenEveryOutputIsKept() {
        // Given a step graph all of whose nodes feed its two outputs (the default one pruned to them)
        ByteBuffer buffer = OnnxGraphPruner.keepOutputs(MODEL, Set.copyOf(ModelBundle.OUTPUTS)).orElseThrow();
        byte[] untagged = new byte[buffer.remaining()];
        buffer.get(untagged);

        // When pruned to both outputs
        var pruned = OnnxGraphPruner.keepOutputs(untagged, Set.copyOf(ModelBundle.OUTPUTS));

        // Then there is no smaller graph to use
        assertThat(pruned).isEmpty();
    }

    @Test
    void shouldRefuseAnOutputTheGraphDoesNotHave() {
        // Given the step graph

        // When asked to keep an output it does not have
        // Then the refusal names the missing output and the ones there are
        assertThatThrownBy(() -> OnnxGraphPruner.keepOutputs(MODEL, Set.of("hidden")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[hidden]")
                .hasMessageContaining("state_out");
    }

    @Test
    void shouldRefuseBytesThatAreNotAnOnnxModel() {
        // Given bytes that are not protobuf of a model (a JSON file)
        byte[] json = "{\"name\": \"wm-gru-dialogue\"}".getBytes(StandardCharsets.UTF_8);

        // When pruned
        // Then it is refused, not misread
        assertThatThrownBy(() -> OnnxGraphPruner.keepOutputs(json, Set.of("state_out")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static boolean contains(byte[] data, String text) {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + needle.length <= data.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
