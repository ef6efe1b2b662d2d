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
import org.junit.jupiter.api.Test;

class ThreadBatchCoordinatorTest {
    private final RecordingModel model = new RecordingModel();
    private final ThreadBatchCoordinators coordinators = new ThreadBatchCoordinators(model, 4);

    @Test
    void shouldAnswerAnotherTasksNextRequestsInTheCallersModelCall() {
        // Given two tasks of one thread, the second with two conversations waiting
        TurnRequest a = request("a", 0, "hello");
        TurnRequest b1 = request("b1", 2, "a table for two");
        TurnRequest b2 = request("b2", 4, "at eight");
        var first = coordinators.join(limit -> List.of());
        var second = coordinators.join(limit -> List.of(b1, b2));

        // When the first task advances its conversation, then the second its own two
        List<TurnResult> firstResults = first.advance(List.of(a));
        assertThat(second.hasPrepared()).isTrue();
        List<TurnResult> secondResults = second.advance(List.of(request("b1", 2, "a table for two"),
                request("b2", 4, "at eight")));

        // Then one model call served all three, and each got the result of its own request
        assertThat(model.calls).containsExactly(List.of("a", "b1", "b2"));
        assertThat(firstResults).extracting(r -> r.reply().text()).containsExactly("a/0/hello");
        assertThat(secondResults).extracting(r -> r.reply().text())
                .containsExactly("b1/2/a table for two", "b2/4/at eight");
        assertThat(second.hasPrepared()).isFalse();
    }

    @Test
    void shouldComputeARequestThatDiffersFromThePreparedOne() {
        // Given a result prepared for turn 2 of b, whose memory then changed (another state)
        var first = coordinators.join(limit -> List.of());
        var second = coordinators.join(limit -> List.of(request("b", 2, "hi")));
        first.advance(List.of(request("a", 0, "x")));

        // When b asks with another state
        TurnRequest changed = new TurnRequest("b", 2, new float[] {1f}, "user", "hi", true);
        List<TurnResult> results = second.advance(List.of(changed));

        // Then it is computed afresh, not taken from what was prepared, and nothing stale is kept
        assertThat(model.calls).containsExactly(List.of("a", "b"), List.of("b"));
        assertThat(results.get(0).state()).containsExactly(1f);
        assertThat(second.hasPrepared()).isFalse();
    }

    @Test
    void shouldNeverPutMoreThanTheBatchLimitInOneCall() {
        // Given a limit of 4 rows and another task with five conversations waiting
        var first = coordinators.join(limit -> List.of());
        coordinators.join(limit -> {
            List<TurnRequest> upcoming = new ArrayList<>();
            for (int i = 0; i < Math.min(limit, 5); i++) {
                upcoming.add(request("b" + i, 0, "t"));
            }
            return upcoming;
        });

        // When the first task advances two conversations
        first.advance(List.of(request("a0", 0, "t"), request("a1", 0, "t")));

        // Then its call held its own two and two of the other task's
        assertThat(model.calls).containsExactly(List.of("a0", "a1", "b0", "b1"));
    }

    @Test
    void shouldRunTheCallersRequestsAloneWhenTheFilledCallFails() {
        // Given another task whose next request makes the model fail
        model.failOn = "poison";
        var first = coordinators.join(limit -> List.of());
        var second = coordinators.join(limit -> List.of(request("poison", 0, "t")));

        // When the first task advances
        List<TurnResult> results = first.advance(List.of(request("a", 0, "t")));

        // Then its own request still has its result; the other task meets its failure itself
        assertThat(results).hasSize(1);
        assertThat(second.hasPrepared()).isFalse();
        assertThatThrownBy(() -> second.advance(List.of(request("poison", 0, "t"))))
                .isInstanceOf(ModelFailureException.class);
    }

    @Test
    void shouldRunTheCallerAloneWhenAnotherTasksStoresCannotBeRead() {
        // Given another task whose stores are closed (it is being moved in a rebalance)
        var first = coordinators.join(limit -> List.of());
        coordinators.join(limit -> {
            throw new IllegalStateException("store closed");
        });

        // When the first task advances
        List<TurnResult> results = first.advance(List.of(request("a", 0, "t")));

        // Then its call held its own request only, and it got its result
        assertThat(model.calls).containsExactly(List.of("a"));
        assertThat(results).hasSize(1);
    }

    @Test
    void shouldForgetATaskThatLeft() {
        // Given two tasks of this thread
        var first = coordinators.join(limit -> List.of());
        var second = coordinators.join(limit -> List.of(request("b", 0, "t")));
        assertThat(coordinators.threads()).isEqualTo(1);

        // When the second leaves, then the first
        second.leave();
        first.advance(List.of(request("a", 0, "t")));
        first.leave();

        // Then the call held the first task's request only, and no coordinator is left
        assertThat(model.calls).containsExactly(List.of("a"));
        assertThat(coordinators.threads()).isZero();
    }

    private static TurnRequest request(String conversation, long turn, String text) {
        return new TurnRequest(conversation, turn, null, "user", text, true);
    }

    /** A model whose result names its request; it records the conversations of every call. */
    private static final class RecordingModel implements ConversationModel {
        private final List<List<String>> calls = new ArrayList<>();
        private String failOn;

        @Override
        public ModelInfo info() {
            return new ModelInfo("recording", "1", 1, 1, 8);
        }

        @Override
        public List<TurnResult> advance(List<TurnRequest> batch) {
            calls.add(batch.stream().map(TurnRequest::conversationId).toList());
            List<TurnResult> out = new ArrayList<>();
            for (TurnRequest request : batch) {
                if (request.conversationId().equals(failOn)) {
                    throw new ModelFailureException("cannot advance " + failOn);
                }
                float[] state = request.state() == null ? new float[] {0f} : request.state();
                out.add(new TurnResult(state, 0, 1, new GeneratedReply(request.conversationId() + "/"
                        + request.turn() + "/" + request.text(), 1)));
            }
            return out;
        }

        @Override
        public void close() {
        }
    }
}
