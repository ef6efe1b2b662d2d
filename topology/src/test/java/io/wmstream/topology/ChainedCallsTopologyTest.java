package io.wmstream.topology;

import static io.wmstream.topology.TopologyHarness.utterance;
import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.model.ConversationModel;
import io.wmstream.model.ModelInfo;
import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import io.wmstream.topology.config.ModelFactory;
import io.wmstream.topology.config.WmConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Near capacity, on the model thread of a live run: a conversation's next turn goes into the call after the one
 * computing its turn before (chained from the state that call leaves, before the task ran anything), and a task runs a
 * conversation's ready turn without waiting behind another conversation's turn still in a call. Outputs are the
 * bytes of a run one utterance at a time.
 */
class ChainedCallsTopologyTest {
    private static final String[][] EVENTS = {
        {"hotel-1", "Hi, I need a room in the north of town for two nights."},
        {"hotel-1", "Something cheap, and it must have free parking."},
        {"taxi-7", "I want a taxi from the station to the museum at 14:30."},
        {"train-3", "Is there a train from Cambridge to Ely on Sunday after 10:15?"}};

    private static ConversationModel model;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void openModel() {
        model = ModelFactory.open(new WmConfig(Map.of(WmConfig.MODEL_DEVICE_CONFIG, "cpu")));
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    @Test
    void shouldChainAConversationsNextTurnAndRunReadyTurnsAheadOfAConversationStillInACall()
            throws InterruptedException {
        // Given calls of two rows on the model thread, each held until the test lets it compute
        GatedModel gated = new GatedModel(model);
        List<String> chained = new ArrayList<>();
        // (one model thread: a second would take train's turn alone while the first computes)
        try (var harness = new TopologyHarness(gated, stateDir, "wm-chained", Map.of(WmConfig.BATCH_MAX_SIZE_CONFIG, 2,
                WmConfig.IDLE_EXPIRY_MS_CONFIG, 0L, WmConfig.MODEL_THREADS_CONFIG, 1), true)) {
            // When hotel's two turns, then taxi's and train's first arrive (taxi's fills the first call, train's
            // the one queued behind it), and the first call computes
            for (int i = 0; i < EVENTS.length; i++) {
                harness.send(EVENTS[i][0], event(i));
            }
            gated.computeCalls(1);
            List<TestRecord<String, String>> afterFirst = replies(harness, 2);

            // Then taxi's reply went out though hotel's second turn, older, is still in a call
            assertThat(afterFirst).extracting(TestRecord::key).containsExactly("hotel-1", "taxi-7");

            // And when the second call computes, it held hotel's second turn with train's: two calls for four turns,
            // hotel's second asked for before the task ran its first
            gated.computeCalls(1);
            List<TestRecord<String, String>> afterSecond = replies(harness, 2);
            assertThat(gated.calls).containsExactly(List.of("hotel-1/0", "taxi-7/0"), List.of("hotel-1/1",
                    "train-3/0"));
            assertThat(afterSecond).extracting(TestRecord::key).containsExactly("hotel-1", "train-3");
            // And every request found its prepared result: none computed again, none wasted
            assertThat(harness.metric("model-requests-prepared-total")).isEqualTo(4);
            assertThat(harness.metric("model-requests-computed-by-task-total")).isZero();
            assertThat(harness.metric("prepared-results-unused-total")).isZero();
            afterFirst.forEach(reply -> chained.add(reply.value()));
            afterSecond.forEach(reply -> chained.add(reply.value()));
        } finally {
            gated.computeAll();
        }

        // And the replies are the bytes of a run one utterance at a time, on the stream thread
        List<String> oneAtATime;
        try (var harness = new TopologyHarness(model, stateDir, "wm-one-at-a-time",
                Map.of(WmConfig.BATCH_MAX_SIZE_CONFIG, 1, WmConfig.IDLE_EXPIRY_MS_CONFIG, 0L))) {
            for (int i = 0; i < EVENTS.length; i++) {
                harness.send(EVENTS[i][0], event(i));
            }
            oneAtATime = harness.flush().replies().stream().map(TestRecord::value).toList();
        }
        assertThat(chained).containsExactlyInAnyOrderElementsOf(oneAtATime).hasSize(4);
    }

    /**
     * The replies forwarded once the wall clock let the task take in what the model thread finished, {@code count}
     * of them (a call's results are taken in at the first punctuation after it returned, a moment after it
     * computed): at most ten seconds of punctuations.
     */
    private static List<TestRecord<String, String>> replies(TopologyHarness harness, int count)
            throws InterruptedException {
        List<TestRecord<String, String>> replies = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (replies.size() < count && System.nanoTime() < deadline) {
            replies.addAll(harness.flush().replies());
            Thread.sleep(10);
        }
        return replies;
    }

    /** Event {@code i} of {@link #EVENTS}, with its turn among its conversation's events before it. */
    private static String event(int i) {
        int turn = 0;
        for (int j = 0; j < i; j++) {
            turn += EVENTS[j][0].equals(EVENTS[i][0]) ? 1 : 0;
        }
        return utterance(EVENTS[i][0], turn, "user", EVENTS[i][1]);
    }

    /** The real model, each call of which waits for the test's leave, recording its requests once computed. */
    private static final class GatedModel implements ConversationModel {
        private final ConversationModel model;
        private final Semaphore leave = new Semaphore(0);
        private final Semaphore computed = new Semaphore(0);
        private final List<List<String>> calls = new CopyOnWriteArrayList<>();

        GatedModel(ConversationModel model) {
            this.model = model;
        }

        /** Lets {@code count} calls compute and waits until they did (a bounded wait: a call never made fails). */
        void computeCalls(int count) throws InterruptedException {
            leave.release(count);
            assertThat(computed.tryAcquire(count, 10, TimeUnit.SECONDS)).as("%d more call(s) computed", count)
                    .isTrue();
        }

        void computeAll() {
            leave.release(1_000);
        }

        @Override
        public ModelInfo info() {
            return model.info();
        }

        @Override
        public List<String> tagClasses() {
            return model.tagClasses();
        }

        @Override
        public boolean tracksDialogueState() {
            return model.tracksDialogueState();
        }

        @Override
        public List<TurnResult> advance(List<TurnRequest> batch) {
            try {
                if (!leave.tryAcquire(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never let this call compute");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            List<TurnResult> results = model.advance(batch);
            calls.add(batch.stream().map(request -> request.conversationId() + "/" + request.turn()).toList());
            computed.release();
            return results;
        }

        @Override
        public void close() {
        }
    }
}
