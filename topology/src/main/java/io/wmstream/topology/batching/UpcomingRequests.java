package io.wmstream.topology.batching;

import io.wmstream.model.TurnRequest;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * The model requests a task's pending events will make, read from its pending events and stored memories without
 * changing anything. A guess that turns out wrong costs a wasted row, never a wrong result: a prepared result is
 * only used for a request equal to the one it was computed for.
 */
public interface UpcomingRequests {
    /**
     * How many requests {@link #next} could make now without a limit: pending utterances that {@code covered} does
     * not hold and that are their conversation's oldest pending event. Cheap: it reads no memory.
     */
    int askable(LongPredicate covered);

    /**
     * The requests of pending events that {@code covered} does not hold yet, oldest first, at most {@code limit}, one
     * per conversation. An event of a conversation with an earlier event still pending is left for a later call: its
     * request starts from what that event leaves.
     */
    Upcoming next(LongPredicate covered, int limit);

    /**
     * Requests, and the sequences of the pending events they account for: those of the requests, and those that
     * need no model call (control events, duplicates, events that cannot be read).
     */
    record Upcoming(List<TurnRequest> requests, List<Long> sequences) {
        public Upcoming {
            requests = List.copyOf(requests);
            sequences = List.copyOf(sequences);
        }

        public static Upcoming none() {
            return new Upcoming(List.of(), List.of());
        }
    }
}
