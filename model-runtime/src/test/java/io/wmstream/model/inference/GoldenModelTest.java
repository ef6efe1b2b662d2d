package io.wmstream.model.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import io.wmstream.model.support.TestBundles;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Java runtime infers exactly as training did: every golden model case of the bundle. */
class GoldenModelTest {
    private static final double MAX_ABSOLUTE_DIFFERENCE = 1e-4;

    private static OnnxConversationModel model;

    @BeforeAll
    static void open() {
        model = OnnxConversationModel.open(TestBundles.defaultBundle(),
                TestBundles.cpu().loopRepeats(0).feedback(false).build());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void shouldMatchEveryGoldenModelCaseWithinTolerance() {
        // Given the golden model cases: batches of 1 and 5, mixed lengths, junk after the end, random states
        JsonNode cases = TestBundles.golden().path("model_cases");
        assertThat(cases.size()).isPositive();
        double worst = 0;
        for (JsonNode c : cases) {
            String name = c.path("name").asText();
            int batch = c.path("batch").asInt();

            // When each is run through the step graph as one call
            StepOutput out = model.step(tokens(c.path("tokens")), longs(c.path("lengths")), floats(c.path("state")));

            // Then logits and states are within 1e-4 of training's, and every row's argmax is the same
            double logits = maxDifference(out.logits(), floats(c.path("logits")));
            double states = maxDifference(out.state(), floats(c.path("state_out")));
            assertThat(logits).as("%s logits", name).isLessThanOrEqualTo(MAX_ABSOLUTE_DIFFERENCE);
            assertThat(states).as("%s states", name).isLessThanOrEqualTo(MAX_ABSOLUTE_DIFFERENCE);
            worst = Math.max(worst, Math.max(logits, states));
            int vocabulary = model.info().vocabularySize();
            for (int b = 0; b < batch; b++) {
                assertThat(argmax(out.logits(), b * vocabulary, vocabulary)).as("%s row %d argmax", name, b)
                        .isEqualTo(c.path("argmax").get(b).asInt());
            }
        }
        System.out.printf("golden model cases: %d, largest difference %.3g%n", cases.size(), worst);
    }

    @Test
    void shouldReproduceTheGoldenGreedyReplies() {
        // Given golden greedy replies decoded from encoded user utterances (32 tokens at most, no loop cut)
        JsonNode cases = TestBundles.golden().path("greedy");
        assertThat(cases.size()).isPositive();
        List<TurnRequest> requests = new ArrayList<>();
        for (JsonNode c : cases) {
            JsonNode turn = c.path("history").get(c.path("history").size() - 1);
            assertThat(model.tokenizer().encodeUtterance(turn.path("speaker").asText(), turn.path("text").asText()))
                    .containsExactly(ints(turn.path("ids")));
            requests.add(new TurnRequest("golden-" + requests.size(), 0, null, turn.path("speaker").asText(),
                    turn.path("text").asText(), true));
        }

        // When the runtime advances fresh conversations by them with a reply
        List<TurnResult> results = model.advance(requests);

        // Then each reply has the golden text and token count
        for (int i = 0; i < results.size(); i++) {
            JsonNode expected = cases.get(i);
            assertThat(results.get(i).reply().text()).as("reply %d", i)
                    .isEqualTo(expected.path("replyText").asText());
            assertThat(results.get(i).reply().tokenCount()).isEqualTo(expected.path("replyIds").size());
        }
    }

    static long[][] tokens(JsonNode rows) {
        long[][] out = new long[rows.size()][];
        for (int b = 0; b < out.length; b++) {
            JsonNode row = rows.get(b);
            out[b] = new long[row.size()];
            for (int t = 0; t < out[b].length; t++) {
                out[b][t] = row.get(t).asLong();
            }
        }
        return out;
    }

    static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    /** Flattens nested arrays of numbers, row-major. */
    static float[] floats(JsonNode nested) {
        List<Float> values = new ArrayList<>();
        flatten(nested, values);
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static void flatten(JsonNode node, List<Float> out) {
        if (node.isArray()) {
            node.forEach(child -> flatten(child, out));
        } else {
            out.add((float) node.asDouble());
        }
    }

    static double maxDifference(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        double max = 0;
        for (int i = 0; i < actual.length; i++) {
            max = Math.max(max, Math.abs((double) actual[i] - expected[i]));
        }
        return max;
    }

    static int argmax(float[] values, int offset, int count) {
        int best = 0;
        for (int i = 1; i < count; i++) {
            if (values[offset + i] > values[offset + best]) {
                best = i;
            }
        }
        return best;
    }
}
