package io.wmstream.topology.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wmstream.model.ConversationModel;
import io.wmstream.model.GeneratedReply;
import io.wmstream.model.ModelFailureException;
import io.wmstream.model.ModelInfo;
import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThreadBatchCoordinatorTest {
    private final RecordingModel model = new RecordingModel();
    private final ThreadBatchCoordinators coordinators = new ThreadBatchCoordinators(model, 4, 1);
    private final List<ThreadBatchCoordinator.Member> joined = new ArrayList<>();

    @AfterEach
    void leaveAll() {
        model.release.countDown();
        joined.forEach(ThreadBatchCoordinator.Member::leave);
    }

    @Test
    void shouldComputeEveryTasksUpcomingRequestsInOneCallOnTheModelThread() {
        // Given two tasks of this thread, the second with two conversations waiting
        var first = join(new Waiting().add(0, request("a", 0, "hello")));
        var second = join(new Waiting().add(0, request("b1", 2, "a table for two")).add(1, request("b2", 4, "at 8")));

        // When a punctuation lets a call start, and it finishes
        first.pump(true);
        first.settle();

        // Then one call on the thread's model thread served all three, and each task's events are ready
        assertThat(model.calls).containsExactly(List.of("a", "b1", "b2"));
        assertThat(model.threads).containsExactly(Thread.currentThread().getName() + "-model");
        assertThat(first.isReady(0)).isTrue();
        assertThat(second.isReady(0)).isTrue();
        assertThat(second.isReady(1)).isTrue();

        // And each task then gets the result of its own request, from that call, without another
        List<ModelAnswer> answers = second.advance(List.of(request("b1", 2, "a table for two"),
                request("b2", 4, "at 8")));
        assertThat(answers).extracting(a -> a.result().reply().text())
                .containsExactly("b1/2/a table for two", "b2/4/at 8");
        assertThat(answers).extracting(a -> a.call().rows()).containsExactly(3, 3);
        assertThat(model.calls).hasSize(1);
    }

    @Test
    void shouldComputeARequestThatDiffersFromThePreparedOne() {
        // Given a result prepared for turn 2 of b
        var member = join(new Waiting().add(0, request("b", 2, "hi")));
        member.pump(true);
        member.settle();

        // When b asks with another state (its memory changed)
        TurnRequest changed = new TurnRequest("b", 2, new float[] {1f}, "user", "hi", true);
        List<ModelAnswer> answers = member.advance(List.of(changed));

        // Then it is computed afresh, on the stream thread, in a call of its own
        assertThat(model.calls).containsExactly(List.of("b"), List.of("b"));
        assertThat(model.threads.get(1)).isEqualTo(Thread.currentThread().getName());
        assertThat(answers.get(0).result().state()).containsExactly(2f);
        assertThat(answers.get(0).call().rows()).isEqualTo(1);
    }

    @Test
    void shouldCountFoundRecomputedAndWastedPredictions() {
        // Given results prepared for turn 0 of a and turn 2 of b
        var member = join(new Waiting().add(0, request("a", 0, "a table for two")).add(1, request("b", 2, "hi")));
        member.pump(true);
        member.settle();

        // When a asks as predicted, b with another state (the prediction and the run disagree), and both ran
        member.advance(List.of(request("a", 0, "a table for two"),
                new TurnRequest("b", 2, new float[] {1f}, "user", "hi", true)));
        member.ranThrough(1);

        // Then one request found its result, one was computed again, and b's prepared result was wasted
        assertThat(member.takePredictionTally()).isEqualTo(new PredictionTally(1, 1, 1));
        assertThat(member.takePredictionTally()).isEqualTo(new PredictionTally(0, 0, 0));
    }

    @Test
    void shouldNeverPutMoreThanTheBatchLimitInOneCall() {
        // Given a limit of 4 rows, one task with two conversations waiting and another with five
        var first = join(new Waiting().add(0, request("a0", 0, "t")).add(1, request("a1", 0, "t")));
        Waiting many = new Waiting();
        for (int i = 0; i < 5; i++) {
            many.add(i, request("b" + i, 0, "t"));
        }
        var second = join(many);

        // When calls run until every event is covered
        first.pump(true);
        first.settle();
        first.pump(true);
        first.settle();

        // Then no call held more than four, and all seven were computed once
        assertThat(model.calls).containsExactly(List.of("a0", "a1", "b0", "b1"), List.of("b2", "b3", "b4"));
        assertThat(second.isReady(4)).isTrue();
    }

    @Test
    void shouldWaitForAFullCallUntilThePunctuation() {
        // Given a task with two of the four rows waiting
        var member = join(new Waiting().add(0, request("a", 0, "t")).add(1, request("b", 0, "t")));

        // When a record arrives (not a punctuation), then the punctuation comes
        member.pump(false);
        member.settle();
        List<List<String>> beforePunctuation = List.copyOf(model.calls);
        member.pump(true);
        member.settle();

        // Then no call started for the record, and one did at the punctuation
        assertThat(beforePunctuation).isEmpty();
        assertThat(model.calls).containsExactly(List.of("a", "b"));
    }

    @Test
    void shouldQueueAFullCallBehindTheOneComputing() throws InterruptedException {
        // Given a call computing on the model thread (held until released)
        Waiting waiting = new Waiting().add(0, request("a", 0, "t"));
        var member = join(waiting);
        model.holdCalls();
        member.pump(true);
        assertThat(model.started.await(10, TimeUnit.SECONDS)).isTrue();

        // When four more conversations arrive, a record's pump queues them; then the first call finishes
        for (int i = 1; i <= 4; i++) {
            waiting.add(i, request("n" + i, 0, "t"));
        }
        member.pump(false);
        model.release.countDown();
        member.settle();

        // Then the second call was given to the model thread before the first finished, full, and both ran
        assertThat(model.calls).containsExactly(List.of("a"), List.of("n1", "n2", "n3", "n4"));
        for (int i = 0; i <= 4; i++) {
            assertThat(member.isReady(i)).as("event %d", i).isTrue();
        }
    }

    @Test
    void shouldRunAQuarterCallOnAnIdleModelThreadWhileAnotherComputes() throws InterruptedException {
        // Given two model threads and calls of up to 8 rows, the first thread computing a call (held until released)
        var twoThreads = new ThreadBatchCoordinators(model, 8, 2);
        Waiting waiting = new Waiting().add(0, request("a", 0, "t"));
        var member = twoThreads.join(waiting);
        joined.add(member);
        model.holdCalls();
        member.pump(true);
        assertThat(model.started.await(10, TimeUnit.SECONDS)).isTrue();

        // When one more conversation arrives and the punctuation comes, the first call still computing
        waiting.add(1, request("b", 0, "t"));
        member.pump(true);
        // Then it waits: a call of one row beside the one computing would cost the cores more than a later, fuller one
        assertThat(model.calls).hasSize(1);

        // And when a quarter of a call waits, the second thread computes it at the punctuation, beside the first
        waiting.add(2, request("c", 0, "t"));
        member.pump(true);
        assertThat(model.startedTwo.await(10, TimeUnit.SECONDS)).isTrue();
        model.release.countDown();
        member.settle();
        String stream = Thread.currentThread().getName();
        assertThat(model.calls).containsExactlyInAnyOrder(List.of("a"), List.of("b", "c"));
        assertThat(model.threads).containsExactlyInAnyOrder(stream + "-model", stream + "-model-1");
        for (int i = 0; i <= 2; i++) {
            assertThat(member.isReady(i)).as("event %d", i).isTrue();
        }
    }

    @Test
    void shouldWaitForTheOldestCallOnlyWhenOneIsInFlight() {
        // Given a task with a call computing on the model thread
        Waiting waiting = new Waiting().add(0, request("a", 0, "t"));
        var member = join(waiting);
        assertThat(member.awaitOldestCall()).as("nothing in flight yet").isFalse();
        member.pump(true);

        // When the task, holding back its input, waits for the model
        boolean waited = member.awaitOldestCall();

        // Then it waited for that call, whose event is ready, computed on the model thread, and nothing is left
        assertThat(waited).isTrue();
        assertThat(member.isReady(0)).isTrue();
        assertThat(model.threads).containsExactly(Thread.currentThread().getName() + "-model");
        assertThat(member.awaitOldestCall()).isFalse();
    }

    @Test
    void shouldLetEachTaskComputeItsOwnRequestsWhenTheSharedCallFails() {
        // Given another task whose next request makes the model fail
        model.failOn = "poison";
        var first = join(new Waiting().add(0, request("a", 0, "t")));
        var second = join(new Waiting().add(0, request("poison", 0, "t")));

        // When the shared call runs, and each task asks for its own
        first.pump(true);
        first.settle();

        // Then both tasks' events are ready to run; the first gets its result, the second meets the failure
        assertThat(first.isReady(0)).isTrue();
        assertThat(second.isReady(0)).isTrue();
        assertThat(first.advance(List.of(request("a", 0, "t")))).hasSize(1);
        assertThatThrownBy(() -> second.advance(List.of(request("poison", 0, "t"))))
                .isInstanceOf(ModelFailureException.class);
    }

    @Test
    void shouldLeaveOutATaskWhoseStoresCannotBeRead() {
        // Given another task whose stores are closed (it is being moved in a rebalance)
        var first = join(new Waiting().add(0, request("a", 0, "t")));
        join(new Waiting() {
            @Override
            public Upcoming next(LongPredicate covered, int limit, int followUps) {
                throw new IllegalStateException("store closed");
            }
        });

        // When a call runs
        first.pump(true);
        first.settle();

        // Then it held the first task's request only
        assertThat(model.calls).containsExactly(List.of("a"));
        assertThat(first.isReady(0)).isTrue();
    }

    @Test
    void shouldComputeAConversationsLaterUtterancesFromTheStatesTheEarlierOnesLeave() {
        // Given a conversation with three utterances pending, and another with one
        var member = join(new Waiting() {
            @Override
            public Upcoming next(LongPredicate covered, int limit, int followUps) {
                return new Upcoming(List.of(new Chain(request("a", 0, "one"), List.of(request("a", 1, "two"),
                        request("a", 2, "three"))), Chain.of(request("b", 0, "hi"))), List.of(0L, 1L, 2L, 3L));
            }
        });

        // When their call runs
        member.pump(true);
        member.settle();

        // Then the model thread ran the first utterances together, then each later one from the state before it
        assertThat(model.calls).containsExactly(List.of("a", "b"), List.of("a"), List.of("a"));
        // And the task's own requests, built from each state its memory then holds, find their results
        TurnRequest second = new TurnRequest("a", 1, new float[] {1f}, "user", "two", true);
        TurnRequest third = new TurnRequest("a", 2, new float[] {2f}, "user", "three", true);
        List<ModelAnswer> answers = member.advance(List.of(second));
        answers = new ArrayList<>(answers);
        answers.addAll(member.advance(List.of(third)));
        assertThat(answers).extracting(a -> a.result().reply().text()).containsExactly("a/1/two", "a/2/three");
        assertThat(answers).extracting(a -> a.call().rows()).containsExactly(1, 1);
        assertThat(model.calls).hasSize(3);
    }

    @Test
    void shouldRunCallsOnTheStreamThreadWithoutOverlap() {
        // Given coordinators without a model thread (replay, wm.batch.overlap=false)
        var inline = new ThreadBatchCoordinators(model, 4, 0);
        var member = inline.join(new Waiting().add(0, request("a", 0, "t")));

        // When the punctuation pumps
        member.pump(true);

        // Then the call ran on this thread and its result is ready at once
        assertThat(model.threads).containsExactly(Thread.currentThread().getName());
        assertThat(member.isReady(0)).isTrue();
        member.leave();
    }

    @Test
    void shouldForgetATaskThatLeft() {
        // Given two tasks of this thread
        var first = join(new Waiting().add(0, request("a", 0, "t")));
        var second = join(new Waiting().add(0, request("b", 0, "t")));
        assertThat(coordinators.threads()).isEqualTo(1);

        // When the second leaves, a call runs, then the first leaves
        second.leave();
        first.pump(true);
        first.settle();
        first.leave();

        // Then the call held the first task's request only, and no coordinator is left
        assertThat(model.calls).containsExactly(List.of("a"));
        assertThat(coordinators.threads()).isZero();
    }

    private ThreadBatchCoordinator.Member join(Waiting waiting) {
        var member = coordinators.join(waiting);
        joined.add(member);
        return member;
    }

    private static TurnRequest request(String conversation, long turn, String text) {
        return new TurnRequest(conversation, turn, null, "user", text, true);
    }

    /** A task's pending events, one request each, all of distinct conversations. */
    private static class Waiting implements UpcomingRequests {
        private final List<Long> sequences = new ArrayList<>();
        private final List<TurnRequest> requests = new ArrayList<>();

        Waiting add(long sequence, TurnRequest request) {
            sequences.add(sequence);
            requests.add(request);
            return this;
        }

        @Override
        public boolean headReady(LongPredicate ready) {
            return !sequences.isEmpty() && ready.test(sequences.get(0));
        }

        @Override
        public int askable(LongPredicate covered, int enough) {
            return (int) Math.min(enough, sequences.stream().filter(s -> !covered.test(s)).count());
        }

        @Override
        public Upcoming next(LongPredicate covered, int limit, int followUps) {
            List<TurnRequest> out = new ArrayList<>();
            List<Long> accounted = new ArrayList<>();
            for (int i = 0; i < sequences.size() && out.size() < limit; i++) {
                if (!covered.test(sequences.get(i))) {
                    out.add(requests.get(i));
                    accounted.add(sequences.get(i));
                }
            }
            return new Upcoming(out.stream().map(Chain::of).toList(), accounted);
        }
    }

    /**
     * A model whose result names its request and whose state counts the utterances read; it records the
     * conversations and the thread of every call.
     */
    private static final class RecordingModel implements ConversationModel {
        private final List<List<String>> calls = new CopyOnWriteArrayList<>();
        private final List<String> threads = new CopyOnWriteArrayList<>();
        private final CountDownLatch started = new CountDownLatch(1);
        private final CountDownLatch startedTwo = new CountDownLatch(2);
        private final CountDownLatch release = new CountDownLatch(1);
        private volatile boolean hold;
        private volatile String failOn;

        void holdCalls() {
            hold = true;
        }

        @Override
        public ModelInfo info() {
            return new ModelInfo("recording", "1", 1, 1, 8);
        }

        @Override
        public List<TurnResult> advance(List<TurnRequest> batch) {
            calls.add(batch.stream().map(TurnRequest::conversationId).toList());
            threads.add(Thread.currentThread().getName());
            started.countDown();
            startedTwo.countDown();
            if (hold) {
                await();
            }
            List<TurnResult> out = new ArrayList<>();
            for (TurnRequest request : batch) {
                if (request.conversationId().equals(failOn)) {
                    throw new ModelFailureException("cannot advance " + failOn);
                }
                // Each utterance moves the state on by one, so a later request shows which state it started from.
                float[] state = request.state() == null ? new float[] {1f} : new float[] {request.state()[0] + 1};
                out.add(new TurnResult(state, 0, 1, new GeneratedReply(request.conversationId() + "/"
                        + request.turn() + "/" + request.text(), 1)));
            }
            return out;
        }

        private void await() {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
        }
    }
}
