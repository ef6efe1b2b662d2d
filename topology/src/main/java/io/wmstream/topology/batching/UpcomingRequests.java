package io.wmstream.topology.batching;

import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * The model requests a task's pending events will make, read from its pending events and stored memories without
 * changing anything. A guess that turns out wrong costs a wasted row, never a wrong result: a prepared result is
 * only used for a request equal to the one it was computed for.
 */
public interface UpcomingRequests {
    /** Whether the oldest pending event is one {@code ready} holds: the task has events it can run now. */
    boolean headReady(LongPredicate ready);

    /**
     * How many chains {@link #next} could start now, counted up to {@code enough}: pending utterances that
     * {@code covered} does not hold and that are their conversation's oldest pending event. Cheap: it reads no
     * memory, stops at {@code enough}, and may look only at the oldest events of a long queue (counting fewer).
     */
    int askable(LongPredicate covered, int enough);

    /**
     * The requests of pending events that {@code covered} does not hold yet, oldest first, as at most {@code limit}
     * chains (one per conversation) with at most {@code followUps} follow-ups in all.
     */
    Upcoming next(LongPredicate covered, int limit, int followUps);

    /**
     * As {@link #next(LongPredicate, int, int)}, where a conversation whose oldest pending events are covered goes on
     * after them (chaining): when their call finished ({@code ready}) and {@code prepared} holds their results, its
     * next request starts from the state they leave, as the task will find it in the memory once it ran them; when
     * their call is still in flight and {@code continuable} holds them (the call being built goes to the same model
     * thread), its chain {@link Chain#continues()} from the state that call leaves, which the model thread has when it
     * computes the next call; when {@code continuable} does not, the conversation waits. A model thread so computes a
     * conversation's pending turns one call after another, without waiting for the task to run each one first.
     */
    default Upcoming next(LongPredicate covered, LongPredicate ready, LongPredicate continuable,
            PreparedResults prepared, int limit, int followUps) {
        return next(covered, limit, followUps);
    }

    /** The results a finished call left for a task, looked up by the exact request (they stay for the task). */
    @FunctionalInterface
    interface PreparedResults {
        /** The result computed for exactly {@code request}, or null when none is kept. */
        TurnResult peek(TurnRequest request);

        static PreparedResults none() {
            return request -> null;
        }
    }

    /**
     * Chains of requests, and the sequences of the pending events they account for: those of the requests, and
     * those that need no model call (control events, duplicates, events that cannot be read).
     */
    record Upcoming(List<Chain> chains, List<Long> sequences) {
        public Upcoming {
            chains = List.copyOf(chains);
            sequences = List.copyOf(sequences);
        }

        public static Upcoming none() {
            return new Upcoming(List.of(), List.of());
        }
    }

    /**
     * One conversation's pending utterances in order: the first request as it is, and the ones after it, whose
     * state is the state the one before leaves (their {@code state} is ignored), so the model thread can compute
     * them one after another without the stream thread. When {@code continues}, the first request's state is
     * ignored too: it is the state the conversation's latest request computed on the model thread left (its
     * earlier events are in a call still in flight, ahead of this one).
     */
    record Chain(TurnRequest first, List<TurnRequest> followUps, boolean continues) {
        public Chain {
            followUps = List.copyOf(followUps);
        }

        public Chain(TurnRequest first, List<TurnRequest> followUps) {
            this(first, followUps, false);
        }

        public static Chain of(TurnRequest first) {
            return new Chain(first, List.of());
        }
    }
}
