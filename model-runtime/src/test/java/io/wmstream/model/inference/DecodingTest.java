package io.wmstream.model.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.model.GeneratedReply;
import io.wmstream.model.ModelRuntimeConfig;
import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import io.wmstream.model.decoding.DecodingStrategy;
import io.wmstream.model.support.TestBundles;
import io.wmstream.model.bench.SampleUtterances;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replies: reproducible sampling, token limits, feedback into memory, no special tokens. */
class DecodingTest {

    private static List<TurnRequest> requests(int count) {
        List<TurnRequest> out = new ArrayList<>();
        List<String[]> utterances = SampleUtterances.generate(count, 11);
        for (int i = 0; i < count; i++) {
            out.add(new TurnRequest("conv-" + i, 3 + i, null, "user", utterances.get(i)[1], true));
        }
        return out;
    }

    private static List<TurnResult> run(ModelRuntimeConfig config, List<TurnRequest> requests) {
        try (OnnxConversationModel model = OnnxConversationModel.open(TestBundles.defaultBundle(), config)) {
            return model.advance(requests);
        }
    }

    @Test
    void shouldReproduceSampledRepliesWhateverTheBatch() {
        // Given sampling at temperature 1.2 with top-k 40 and top-p 0.95
        ModelRuntimeConfig sampling = TestBundles.cpu().strategy(DecodingStrategy.SAMPLE).temperature(1.2).topK(40)
                .topP(0.95).build();
        List<TurnRequest> requests = requests(24);

        // When the same turns are decoded twice together and once each alone
        List<TurnResult> first = run(sampling, requests);
        List<TurnResult> second = run(sampling, requests);
        List<TurnResult> alone = new ArrayList<>();
        try (OnnxConversationModel model = OnnxConversationModel.open(TestBundles.defaultBundle(), sampling)) {
            for (TurnRequest request : requests) {
                alone.add(model.advance(List.of(request)).get(0));
            }
        }

        // Then every reply and state is the same each time
        for (int i = 0; i < requests.size(); i++) {
            assertThat(second.get(i).reply()).isEqualTo(first.get(i).reply());
            assertThat(alone.get(i).reply()).isEqualTo(first.get(i).reply());
            assertThat(alone.get(i).state()).isEqualTo(first.get(i).state());
        }
    }

    @Test
    void shouldSampleOtherRepliesForOtherTurnsAndDifferFromGreedy() {
        // Given the same utterances at other turn numbers
        ModelRuntimeConfig sampling = TestBundles.cpu().strategy(DecodingStrategy.SAMPLE).temperature(1.5).build();
        List<TurnRequest> requests = requests(16);
        List<TurnRequest> later = requests.stream().map(r -> new TurnRequest(r.conversationId(), r.turn() + 100,
                r.state(), r.speaker(), r.text(), true)).toList();

        // When sampled, and decoded greedily
        List<TurnResult> sampled = run(sampling, requests);
        List<TurnResult> sampledLater = run(sampling, later);
        List<TurnResult> greedy = run(TestBundles.cpu().build(), requests);

        // Then the seeds make a difference: most replies change with the turn and differ from greedy ones
        int changedWithTurn = 0;
        int differentFromGreedy = 0;
        for (int i = 0; i < requests.size(); i++) {
            changedWithTurn += sampled.get(i).reply().equals(sampledLater.get(i).reply()) ? 0 : 1;
            differentFromGreedy += sampled.get(i).reply().equals(greedy.get(i).reply()) ? 0 : 1;
        }
        assertThat(changedWithTurn).isGreaterThan(requests.size() / 2);
        assertThat(differentFromGreedy).isGreaterThan(requests.size() / 2);
    }

    @Test
    void shouldStopAtTheMaximumTokensAndWriteNoSpecialTokens() {
        // Given a limit of 3 reply tokens
        List<TurnResult> results = run(TestBundles.cpu().maxReplyTokens(3).build(), requests(20));
        // When replies are generated
        // Then none is longer, and none contains a special token's text
        for (TurnResult result : results) {
            GeneratedReply reply = result.reply();
            assertThat(reply.tokenCount()).isBetween(0, 3);
            assertThat(reply.text()).doesNotContain("<eou>", "<system>", "<user>", "<pad>", "<unk>");
        }
    }

    @Test
    void shouldStoreTheMemoryAfterTheReplyOnlyWhenFeedbackIsOn() {
        // Given the same requests with and without feedback, and without a reply
        List<TurnRequest> requests = requests(8);
        List<TurnRequest> silent = requests.stream().map(r -> new TurnRequest(r.conversationId(), r.turn(), r.state(),
                r.speaker(), r.text(), false)).toList();

        // When advanced
        List<TurnResult> feedback = run(TestBundles.cpu().feedback(true).build(), requests);
        List<TurnResult> noFeedback = run(TestBundles.cpu().feedback(false).build(), requests);
        List<TurnResult> noReply = run(TestBundles.cpu().build(), silent);

        // Then without feedback the stored memory is the one right after the utterance; with it, it has moved on;
        // the memory shift is measured over the utterance alone either way, and the reply text is the same
        for (int i = 0; i < requests.size(); i++) {
            assertThat(noReply.get(i).reply()).isNull();
            assertThat(noFeedback.get(i).state()).isEqualTo(noReply.get(i).state());
            assertThat(feedback.get(i).state()).isNotEqualTo(noReply.get(i).state());
            assertThat(feedback.get(i).memoryShift()).isEqualTo(noReply.get(i).memoryShift()).isPositive();
            assertThat(feedback.get(i).reply()).isEqualTo(noFeedback.get(i).reply());
        }
    }

    @Test
    void shouldTreatANullStateAsZerosAndLeaveTheCallersStateUntouched() {
        // Given a zero memory given explicitly, and the same request with none
        float[] zeros = new float[TestBundles.defaultBundle().info().stateSize()];
        TurnRequest explicit = new TurnRequest("c", 1, zeros, "user", "Hello there!", true);
        TurnRequest implicit = new TurnRequest("c", 1, null, "user", "Hello there!", true);

        // When advanced
        List<TurnResult> results = run(TestBundles.cpu().build(), List.of(explicit));
        List<TurnResult> same = run(TestBundles.cpu().build(), List.of(implicit));

        // Then both give the same result and the caller's array still holds zeros
        assertThat(results.get(0)).usingRecursiveComparison().isEqualTo(same.get(0));
        assertThat(zeros).containsOnly(0f);
    }

    @Test
    void shouldNeverRepeatAWordThreeGramOrASentenceGreedilyOrWithBeams() {
        // Given 300 turns with varied memories, which greedy decoding without the ban answers with some repeats
        List<TurnRequest> requests = BatchInvarianceTest.requests(300, TestBundles.defaultBundle().info().stateSize())
                .stream().map(r -> new TurnRequest(r.conversationId(), r.turn(), r.state(), "user", r.text(), true))
                .toList();
        var tokenizer = TestBundles.defaultBundle().tokenizer();
        long unbanned = run(TestBundles.cpu().noRepeatNgramSize(0).build(), requests).stream()
                .filter(result -> repeatsThreeGram(tokenizer.split(result.reply().text()))).count();
        assertThat(unbanned).as("replies that repeat a 3-gram when none is banned").isPositive();

        // When they are decoded with 3-grams banned, greedily and with beams of 4
        for (ModelRuntimeConfig config : List.of(TestBundles.cpu().build(), TestBundles.cpu().beamWidth(4).build())) {
            for (TurnResult result : run(config, requests)) {
                // Then no reply repeats a 3-gram of words, nor a sentence
                List<String> tokens = tokenizer.split(result.reply().text());
                assertThat(repeatsThreeGram(tokens)).as("reply %s", result.reply().text()).isFalse();
                List<String> sentences = sentences(tokens);
                assertThat(sentences).as("reply %s", result.reply().text()).doesNotHaveDuplicates();
            }
        }
    }

    private static List<String> words(List<String> tokens) {
        return tokens.stream().filter(t -> t.codePoints().anyMatch(Character::isLetterOrDigit)).toList();
    }

    private static boolean repeatsThreeGram(List<String> tokens) {
        List<String> words = words(tokens);
        java.util.Set<List<String>> seen = new java.util.HashSet<>();
        for (int i = 0; i + 3 <= words.size(); i++) {
            if (!seen.add(words.subList(i, i + 3))) {
                return true;
            }
        }
        return false;
    }

    /** The words of each sentence, joined by spaces. */
    private static List<String> sentences(List<String> tokens) {
        List<String> out = new ArrayList<>();
        List<String> open = new ArrayList<>();
        for (String token : tokens) {
            if (token.equals(".") || token.equals("?") || token.equals("!")) {
                if (!words(open).isEmpty()) {
                    out.add(String.join(" ", words(open)));
                }
                open.clear();
            } else {
                open.add(token);
            }
        }
        if (!words(open).isEmpty()) {
            out.add(String.join(" ", words(open)));
        }
        return out;
    }
}
