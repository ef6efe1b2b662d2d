package io.wmstream.model.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.model.Device;
import io.wmstream.model.TokenTags;
import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import io.wmstream.model.support.GoldenBundle;
import io.wmstream.model.support.TestBundles;
import io.wmstream.model.tagging.TagPicker;
import java.util.List;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * On a machine with a GPU: the CUDA path gives the CPU path's tokens on the golden cases, and states within
 * 1e-4 (DESIGN 5.5). Run with {@code mvn -B -pl model-runtime -am verify -Pgpu -Dwm.test.cuda=true}.
 */
@EnabledIfSystemProperty(named = "wm.test.cuda", matches = "true")
class CudaGoldenTest {

    @ParameterizedTest(name = "bundle {0}")
    @EnumSource(GoldenBundle.class)
    void shouldGiveTheCpuTokensAndStatesOnTheGoldenCases(GoldenBundle bundle) {
        // Given the model on the CPU and on CUDA device 0
        OnnxConversationModel cpu = OnnxConversationModel.open(bundle.bundle(), TestBundles.cpu().build());
        try (cpu; OnnxConversationModel cuda = OnnxConversationModel.open(bundle.bundle(),
                TestBundles.cpu().device(Device.cuda(0)).build())) {
            assertThat(cuda.device()).isEqualTo("cuda:0");
            int vocabulary = cpu.info().vocabularySize();

            // When every golden model case runs on both
            int classes = cpu.tagClasses().size();
            for (JsonNode c : bundle.golden().path("model_cases")) {
                long[][] tokens = GoldenModelTest.tokens(c.path("tokens"));
                long[] lengths = GoldenModelTest.longs(c.path("lengths"));
                float[] state = GoldenModelTest.floats(c.path("state"));
                StepOutput onCpu = cpu.step(tokens, lengths, state);
                StepOutput onCuda = cuda.step(tokens, lengths, state);

                // Then the argmax tokens are the same and logits and states are within 1e-4
                for (int b = 0; b < tokens.length; b++) {
                    assertThat(GoldenModelTest.argmax(onCuda.logits(), b * vocabulary, vocabulary))
                            .isEqualTo(GoldenModelTest.argmax(onCpu.logits(), b * vocabulary, vocabulary));
                }
                assertThat(GoldenModelTest.maxDifference(onCuda.logits(), onCpu.logits())).isLessThanOrEqualTo(1e-4);
                assertThat(GoldenModelTest.maxDifference(onCuda.state(), onCpu.state())).isLessThanOrEqualTo(1e-4);
                // and with a tagger, the tags of every real position are the same
                for (int b = 0; b < tokens.length && classes > 0; b++) {
                    int offset = b * tokens[0].length * classes;
                    assertThat(TagPicker.pick(onCuda.tags(), offset, (int) lengths[b], classes))
                            .containsExactly(TagPicker.pick(onCpu.tags(), offset, (int) lengths[b], classes));
                }
            }

            // and a batch gives each request the tokens it gets alone (the largest state difference is printed)
            List<TurnRequest> requests = BatchInvarianceTest.requests(64, cuda.info().stateSize());
            List<TurnResult> batched = cuda.advance(requests);
            double largest = 0;
            for (int i = 0; i < requests.size(); i++) {
                TurnResult alone = cuda.advance(List.of(requests.get(i))).get(0);
                assertThat(batched.get(i).reply()).isEqualTo(alone.reply());
                assertThat(batched.get(i).tags().map(TokenTags::tagIds).orElse(null))
                        .isEqualTo(alone.tags().map(TokenTags::tagIds).orElse(null));
                largest = Math.max(largest, GoldenModelTest.maxDifference(batched.get(i).state(), alone.state()));
            }
            System.out.printf("CUDA batch of 64 against alone: largest state difference %g%n", largest);

            // and the golden greedy replies are the same words
            JsonNode greedy = bundle.golden().path("greedy");
            for (JsonNode c : greedy) {
                JsonNode turn = c.path("history").get(0);
                TurnRequest request = new TurnRequest("gpu", 0, null, turn.path("speaker").asText(),
                        turn.path("text").asText(), true);
                List<TurnResult> onCpu = cpu.advance(List.of(request));
                List<TurnResult> onCuda = cuda.advance(List.of(request));
                assertThat(onCuda.get(0).reply()).isEqualTo(onCpu.get(0).reply());
                assertThat(GoldenModelTest.maxDifference(onCuda.get(0).state(), onCpu.get(0).state()))
                        .isLessThanOrEqualTo(1e-4);
            }
        }
    }
}
