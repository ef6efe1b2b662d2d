package io.wmstream.model.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import io.wmstream.model.bundle.InvalidBundleException;
import io.wmstream.model.bundle.ModelBundle;
import io.wmstream.model.support.GoldenBundle;
import io.wmstream.model.support.TestBundles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encoding runs the step graph pruned to its state, and its tags where there is a tagger (no output layer); it must
 * give exactly what the full graph gives, so pruning changes the cost of a call and nothing else.
 */
class StateGraphTest {

    @Test
    void shouldEncodeWithThePrunedGraphBitForBitAsWithTheFullGraph(@TempDir Path temp) {
        // Given a bundle without a tagger, and 300 generated utterances, most with a prior memory, half of them
        // asking for a reply
        ModelBundle untagged = ModelBundle.load(TestBundles.writeUntaggedTo(temp.resolve("untagged")));
        List<TurnRequest> requests = BatchInvarianceTest.requests(300, 384);

        // When advanced in batches of 50 by a model that encodes with the pruned graph and by one whose pruned
        // graph was dropped (every call then runs the full graph)
        try (OnnxConversationModel pruned = OnnxConversationModel.open(untagged, TestBundles.cpu().build());
                OnnxConversationModel full = OnnxConversationModel.open(untagged, TestBundles.cpu().build())) {
            assertThat(pruned.graph().hasStateGraph()).isTrue();
            assertThat(pruned.graph().hasDecodeGraph()).as("a graph without a tagger decodes on itself").isFalse();
            full.graph().dropStateGraph();
            assertThat(full.graph().hasStateGraph()).isFalse();
            for (int from = 0; from < requests.size(); from += 50) {
                List<TurnRequest> batch = requests.subList(from, from + 50);
                List<TurnResult> a = pruned.advance(batch);
                List<TurnResult> b = full.advance(batch);

                // Then states, memory shifts and replies are the same, bit for bit
                for (int i = 0; i < batch.size(); i++) {
                    assertThat(a.get(i).state()).as("state %d", from + i).isEqualTo(b.get(i).state());
                    assertThat(a.get(i).memoryShift()).isEqualTo(b.get(i).memoryShift());
                    assertThat(a.get(i).reply()).isEqualTo(b.get(i).reply());
                }
            }
        }
    }

    @Test
    void shouldTagWithThePrunedGraphBitForBitAsWithTheFullGraph() {
        // Given the shipped bundle's tagged utterances and generated ones, with and without a prior memory
        ModelBundle bundle = GoldenBundle.SHIPPED.bundle();
        List<TurnRequest> requests = new ArrayList<>(BatchInvarianceTest.requests(60, bundle.info().stateSize()));
        for (JsonNode c : GoldenBundle.SHIPPED.golden().path("taggedUtterances")) {
            requests.add(new TurnRequest("tagged-" + requests.size(), 0, null, c.path("speaker").asText(),
                    c.path("text").asText(), false));
        }

        // When advanced by a model that encodes with the graph pruned to state and tags, and by one without it
        try (OnnxConversationModel pruned = OnnxConversationModel.open(bundle, TestBundles.cpu().build());
                OnnxConversationModel full = OnnxConversationModel.open(bundle, TestBundles.cpu().build())) {
            assertThat(pruned.graph().hasStateGraph()).isTrue();
            assertThat(pruned.graph().hasDecodeGraph()).as("decoding leaves the tagger out").isTrue();
            full.graph().dropStateGraph();
            List<TurnResult> a = pruned.advance(requests);
            List<TurnResult> b = full.advance(requests);

            // Then states and every token's tag are the same
            for (int i = 0; i < requests.size(); i++) {
                assertThat(a.get(i).state()).as("state %d", i).isEqualTo(b.get(i).state());
                assertThat(a.get(i).tags().orElseThrow().tagIds()).as("tags %d", i)
                        .isEqualTo(b.get(i).tags().orElseThrow().tagIds());
            }
        }
    }

    @Test
    void shouldRefuseAGraphWithoutTheTaggerOutputItsManifestDeclares(@TempDir Path temp) throws IOException {
        // Given a format 2 manifest with a tagger over a graph without a tags output (a generated untagged one's)
        Path untagged = TestBundles.writeUntaggedTo(temp.resolve("untagged"));
        Path dir = TestBundles.copyDefaultAsTaggedTo(temp.resolve("bundle"));
        Files.copy(untagged.resolve("model.onnx"), dir.resolve("model.onnx"), StandardCopyOption.REPLACE_EXISTING);
        JsonNode graphFile = TestBundles.mapper().readTree(untagged.resolve("manifest.json").toFile()).path("files")
                .path("model.onnx");
        TestBundles.editJson(dir, "manifest.json", m -> ((ObjectNode) m.path("files")).set("model.onnx", graphFile));
        ModelBundle bundle = ModelBundle.load(dir);

        // When a model is opened on it
        // Then it is refused, naming the graph's outputs and the one the tagger reads
        assertThatThrownBy(() -> OnnxConversationModel.open(bundle, TestBundles.cpu().build()))
                .isInstanceOf(InvalidBundleException.class)
                .hasMessageEndingWith("model.onnx has outputs [logits, state_out] but the manifest's tagger reads "
                        + "'tags'");
    }
}
