package io.wmstream.model.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import io.wmstream.model.support.TestBundles;
import io.wmstream.model.bench.SampleUtterances;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The replay determinism invariant at the model: a request's result does not depend on the batch it ran in.
 * ONNX Runtime's CPU kernels compute each row independently, so states are compared bit for bit. The single
 * requests run with one intra-op thread and the batches with two, so the thread count is shown not to matter
 * either.
 */
class BatchInvarianceTest {
    private static final int UTTERANCES = 1000;

    private static OnnxConversationModel model;
    private static List<TurnRequest> requests;
    private static List<TurnResult> alone;

    @BeforeAll
    static void runEachAlone() {
        model = OnnxConversationModel.open(TestBundles.defaultBundle(), TestBundles.cpu().intraOpThreads(2).build());
        requests = requests(UTTERANCES, model.info().stateSize());
        alone = new ArrayList<>();
        try (OnnxConversationModel single = OnnxConversationModel.open(TestBundles.defaultBundle(),
                TestBundles.cpu().intraOpThreads(1).build())) {
            for (TurnRequest request : requests) {
                alone.add(single.advance(List.of(request)).get(0));
            }
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void shouldGiveBitwiseIdenticalResultsInBatchesOfEight() {
        // Given 1,000 utterances of task-oriented dialogue, each already run alone
        // When they run again in shuffled batches of 8
        List<TurnResult> batched = inBatches(8, 1);
        // Then every state, memory shift and reply is identical, bit for bit
        assertIdentical(batched, 8);
    }

    @Test
    void shouldGiveBitwiseIdenticalResultsInBatchesOfSixtyFour() {
        // Given the same utterances
        // When they run in shuffled batches of 64
        List<TurnResult> batched = inBatches(64, 2);
        // Then every result is identical to the one computed alone
        assertIdentical(batched, 64);
    }

    @Test
    void shouldGiveBitwiseIdenticalResultsWhenBatchesAreDealtIntoParallelCalls() {
        // Given the same utterances and a model that deals a batch into up to three calls run at once
        try (OnnxConversationModel parallel = OnnxConversationModel.open(TestBundles.defaultBundle(),
                TestBundles.cpu().intraOpThreads(1).parallelCalls(3).build())) {
            // When they run in shuffled batches of 64 (three calls) and of 20 (two calls of at least 8 rows)
            List<TurnResult> inThree = inBatches(parallel, 64, 3);
            List<TurnResult> inTwo = inBatches(parallel, 20, 4);
            // Then every result is identical to the one computed alone
            assertIdentical(inThree, 64);
            assertIdentical(inTwo, 20);

            // And a bad request in a part that runs on another thread is refused as it is in one call
            List<TurnRequest> withBad = new ArrayList<>(requests.subList(0, 24));
            withBad.set(23, new TurnRequest("conversation-bad", 1, new float[3], "user", "hello", true));
            assertThatThrownBy(() -> parallel.advance(withBad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("conversation-bad");
        }
    }

    @Test
    void shouldGiveBitwiseIdenticalBeamSearchResultsInBatchesOfOneAndSixtyFour() {
        // Given beam search of width 4, and 256 of the utterances, each run alone
        var beams = TestBundles.cpu().beamWidth(4).build();
        List<TurnRequest> some = requests.subList(0, 256);
        List<TurnResult> beamAlone = new ArrayList<>();
        try (OnnxConversationModel single = OnnxConversationModel.open(TestBundles.defaultBundle(),
                beams.toBuilder().intraOpThreads(1).build());
                OnnxConversationModel batched = OnnxConversationModel.open(TestBundles.defaultBundle(),
                        beams.toBuilder().intraOpThreads(2).build())) {
            for (TurnRequest request : some) {
                beamAlone.add(single.advance(List.of(request)).get(0));
            }
            // When they run again in batches of 64 (up to 256 hypotheses in one step call)
            List<TurnResult> inBatches = new ArrayList<>();
            for (int start = 0; start < some.size(); start += 64) {
                inBatches.addAll(batched.advance(some.subList(start, start + 64)));
            }

            // Then every reply and stored state is the same, bit for bit
            int differentFromGreedy = 0;
            for (int i = 0; i < some.size(); i++) {
                assertThat(inBatches.get(i).reply()).isEqualTo(beamAlone.get(i).reply());
                assertThat(inBatches.get(i).state()).isEqualTo(beamAlone.get(i).state());
                differentFromGreedy += java.util.Objects.equals(beamAlone.get(i).reply(), alone.get(i).reply())
                        ? 0 : 1;
            }
            // And the beams did search: some replies differ from greedy ones
            assertThat(differentFromGreedy).isPositive();
        }
    }

    /** Runs every request once, in shuffled batches of {@code size}, and returns results in request order. */
    private static List<TurnResult> inBatches(int size, long seed) {
        return inBatches(model, size, seed);
    }

    private static List<TurnResult> inBatches(OnnxConversationModel model, int size, long seed) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        TurnResult[] results = new TurnResult[requests.size()];
        for (int start = 0; start < order.size(); start += size) {
            List<Integer> slice = order.subList(start, Math.min(order.size(), start + size));
            List<TurnRequest> batch = slice.stream().map(requests::get).toList();
            List<TurnResult> out = model.advance(batch);
            for (int k = 0; k < slice.size(); k++) {
                results[slice.get(k)] = out.get(k);
            }
        }
        return List.of(results);
    }

    private static void assertIdentical(List<TurnResult> batched, int size) {
        double largestStateDifference = 0;
        int differentStates = 0;
        int replies = 0;
        for (int i = 0; i < requests.size(); i++) {
            TurnResult a = alone.get(i);
            TurnResult b = batched.get(i);
            largestStateDifference = Math.max(largestStateDifference, GoldenModelTest.maxDifference(b.state(),
                    a.state()));
            differentStates += java.util.Arrays.equals(a.state(), b.state()) ? 0 : 1;
            assertThat(b.utteranceTokens()).isEqualTo(a.utteranceTokens());
            assertThat(b.reply()).as("reply to %s", requests.get(i).text()).isEqualTo(a.reply());
            replies += a.reply() == null ? 0 : 1;
        }
        System.out.printf("batch %d: %d utterances, %d replies, %d states not bitwise equal, largest difference %g%n",
                size, requests.size(), replies, differentStates, largestStateDifference);
        assertThat(differentStates).as("states that differ from the single-request run").isZero();
        for (int i = 0; i < requests.size(); i++) {
            assertThat(Double.doubleToLongBits(batched.get(i).memoryShift()))
                    .isEqualTo(Double.doubleToLongBits(alone.get(i).memoryShift()));
        }
    }

    /** Requests with varied speakers, lengths and prior states (a quarter fresh, the rest random memories). */
    static List<TurnRequest> requests(int count, int stateSize) {
        Random random = new Random(20261129);
        List<TurnRequest> out = new ArrayList<>();
        List<String[]> utterances = SampleUtterances.generate(count, 7);
        for (int i = 0; i < count; i++) {
            float[] state = null;
            if (random.nextInt(4) != 0) {
                state = new float[stateSize];
                for (int k = 0; k < stateSize; k++) {
                    state[k] = (float) Math.tanh(random.nextGaussian() * 0.8);
                }
            }
            String[] utterance = utterances.get(i);
            out.add(new TurnRequest("conversation-" + i, random.nextInt(40), state, utterance[0], utterance[1],
                    utterance[0].equals("user")));
        }
        return out;
    }
}
