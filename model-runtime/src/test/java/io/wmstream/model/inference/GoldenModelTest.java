package io.wmstream.model.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.model.TokenTags;
import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import io.wmstream.model.bench.SampleUtterances;
import io.wmstream.model.bundle.ModelBundle;
import io.wmstream.model.support.GoldenBundle;
import io.wmstream.model.support.TestBundles;
import io.wmstream.model.tagging.TagPicker;
import io.wmstream.model.tokenizer.SentenceCase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Java runtime infers exactly as training did: every golden model case of the shipped bundle
 * ({@link GoldenBundle}), tags and tagged utterances included where there is a tagger.
 */
class GoldenModelTest {
    private static final double MAX_ABSOLUTE_DIFFERENCE = 1e-4;

    private static OnnxConversationModel open(GoldenBundle bundle) {
        // The golden replies follow the plain rule of the manifest: no loop cut, nothing banned.
        return OnnxConversationModel.open(bundle.bundle(), TestBundles.cpu().loopRepeats(0).noRepeatNgramSize(0)
                .feedback(false).build());
    }

    @ParameterizedTest(name = "bundle {0}")
    @EnumSource(GoldenBundle.class)
    void shouldMatchEveryGoldenModelCaseWithinTolerance(GoldenBundle bundle) {
        // Given the golden model cases: batches of 1 and 5, mixed lengths, junk after the end, random states
        JsonNode cases = bundle.golden().path("model_cases");
        assertThat(cases.size()).isPositive();
        double worst = 0;
        try (OnnxConversationModel model = open(bundle)) {
            int classes = model.tagClasses().size();
            for (JsonNode c : cases) {
                String name = c.path("name").asText();
                int batch = c.path("batch").asInt();
                long[][] tokens = tokens(c.path("tokens"));
                long[] lengths = longs(c.path("lengths"));

                // When each is run through the step graph as one call
                StepOutput out = model.step(tokens, lengths, floats(c.path("state")));

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
                // and with a tagger, each row's tag scores up to its length are within 1e-4 and its tags the same
                if (classes == 0) {
                    assertThat(out.tags()).isEmpty();
                    continue;
                }
                int time = tokens[0].length;
                for (int b = 0; b < batch; b++) {
                    int length = (int) lengths[b];
                    float[] row = Arrays.copyOfRange(out.tags(), b * time * classes, (b * time + length) * classes);
                    double tags = maxDifference(row, floats(c.path("tags").get(b)));
                    assertThat(tags).as("%s row %d tags", name, b).isLessThanOrEqualTo(MAX_ABSOLUTE_DIFFERENCE);
                    worst = Math.max(worst, tags);
                    assertThat(TagPicker.pick(out.tags(), b * time * classes, length, classes))
                            .as("%s row %d tag ids", name, b).containsExactly(ints(c.path("tagIds").get(b)));
                }
            }
        }
        System.out.printf("golden model cases of %s: %d, largest difference %.3g%n", bundle, cases.size(), worst);
    }

    @ParameterizedTest(name = "bundle {0}")
    @EnumSource(GoldenBundle.class)
    void shouldReproduceTheGoldenGreedyReplies(GoldenBundle bundle) {
        // Given golden greedy replies decoded from encoded user utterances (32 tokens at most, no loop cut)
        JsonNode cases = bundle.golden().path("greedy");
        assertThat(cases.size()).isPositive();
        try (OnnxConversationModel model = open(bundle)) {
            List<TurnRequest> requests = new ArrayList<>();
            for (JsonNode c : cases) {
                JsonNode turn = c.path("history").get(c.path("history").size() - 1);
                assertThat(model.tokenizer().encodeUtterance(turn.path("speaker").asText(),
                        turn.path("text").asText())).containsExactly(ints(turn.path("ids")));
                requests.add(new TurnRequest("golden-" + requests.size(), 0, null, turn.path("speaker").asText(),
                        turn.path("text").asText(), true));
            }

            // When the runtime advances fresh conversations by them with a reply
            List<TurnResult> results = model.advance(requests);

            // Then each reply has the golden text, in sentence case, and token count
            for (int i = 0; i < results.size(); i++) {
                JsonNode expected = cases.get(i);
                assertThat(results.get(i).reply().text()).as("reply %d", i)
                        .isEqualTo(SentenceCase.apply(expected.path("replyText").asText()));
                assertThat(results.get(i).reply().tokenCount()).isEqualTo(expected.path("replyIds").size());
            }
        }
    }

    @ParameterizedTest(name = "bundle {0}")
    @EnumSource(GoldenBundle.class)
    void shouldTagEveryGoldenTaggedUtteranceExactly(GoldenBundle bundle) {
        // Given a bundle with a tagger and its golden tagged utterances, each read as one row from the zero state
        Assumptions.assumeTrue(bundle.hasTagger(), () -> "the " + bundle + " bundle has no tagger");
        JsonNode cases = bundle.golden().path("taggedUtterances");
        assertThat(cases.size()).isPositive();
        try (OnnxConversationModel model = open(bundle)) {
            List<TurnRequest> requests = new ArrayList<>();
            for (JsonNode c : cases) {
                requests.add(new TurnRequest("tagged-" + requests.size(), 0, null, c.path("speaker").asText(),
                        c.path("text").asText(), false));
            }

            // When each is tagged alone, and all are advanced as one batch from fresh memories
            List<TurnResult> batched = model.advance(requests);

            // Then ids, tag ids and class names are exactly the golden ones, alone and in the batch
            for (int i = 0; i < cases.size(); i++) {
                JsonNode c = cases.get(i);
                int[] ids = model.tokenizer().encodeUtterance(c.path("speaker").asText(), c.path("text").asText());
                assertThat(ids).as("ids of %s", c.path("text")).containsExactly(ints(c.path("ids")));
                TokenTags alone = model.tag(ids, null).orElseThrow();
                assertThat(alone.tagIds()).as("tag ids of %s", c.path("text")).containsExactly(ints(c.path("tagIds")));
                assertThat(alone.tagNames()).as("tags of %s", c.path("text")).isEqualTo(strings(c.path("tags")));
                TokenTags inBatch = batched.get(i).tags().orElseThrow();
                assertThat(inBatch.tokenIds()).containsExactly(ids);
                assertThat(inBatch.tagIds()).as("batched tag ids of %s", c.path("text"))
                        .containsExactly(alone.tagIds());
            }
        }
    }

    @Test
    void shouldTagLongAndOneTokenUtterancesWhateverThePieceSize() {
        // Given the shipped bundle, a long utterance (hundreds of tokens) and a one-token one
        ModelBundle bundle = GoldenBundle.SHIPPED.bundle();
        String text = SampleUtterances.longText(30, 1) + " at 19:30 for 4 people, ref EB05KFXV";
        List<TurnRequest> requests = List.of(new TurnRequest("long", 0, null, "user", text, true),
                new TurnRequest("short", 0, null, "agent", "ok", false));
        int[] eou = {bundle.tokenizerSpec().eouId()};

        // When advanced with pieces of 5 tokens and of the default size, and the one token tagged alone
        try (OnnxConversationModel small = OnnxConversationModel.open(bundle, TestBundles.cpu().chunkTokens(5).build());
                OnnxConversationModel usual = OnnxConversationModel.open(bundle, TestBundles.cpu().build())) {
            List<TurnResult> a = small.advance(requests);
            List<TurnResult> b = usual.advance(requests);

            // Then states and every token's tag are the same (a tagged utterance is read in one piece), and a
            // call shorter than the tagger's lookahead still tags
            assertThat(a.get(0).tags().orElseThrow().size()).isGreaterThan(300);
            for (int i = 0; i < requests.size(); i++) {
                assertThat(a.get(i).state()).isEqualTo(b.get(i).state());
                assertThat(a.get(i).tags().orElseThrow().tagIds()).isEqualTo(b.get(i).tags().orElseThrow().tagIds());
                assertThat(a.get(i).reply()).isEqualTo(b.get(i).reply());
            }
            assertThat(usual.tag(eou, null).orElseThrow().tagIds()).hasSize(1);
        }
    }

    @Test
    void shouldReportNoTaggerForABundleWithoutOne(@TempDir Path temp) {
        // Given a generated bundle without a tagger
        ModelBundle untagged = ModelBundle.load(TestBundles.writeUntaggedTo(temp.resolve("untagged")));
        try (OnnxConversationModel model = OnnxConversationModel.open(untagged, TestBundles.cpu().build())) {
            // When an utterance is advanced and tagged
            TurnResult result = model.advance(List.of(new TurnRequest("c", 0, null, "user", "at 17:45", false))).get(0);

            // Then there is no tagger, no tag classes and no tags, and no call fails for it
            assertThat(model.tagger()).isEmpty();
            assertThat(model.tagClasses()).isEmpty();
            assertThat(result.tags()).isEmpty();
            assertThat(model.tag(model.tokenizer().encodeUtterance("user", "at 17:45"), null)).isEmpty();
        }
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
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
