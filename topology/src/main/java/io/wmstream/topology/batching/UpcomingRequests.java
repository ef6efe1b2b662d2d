package io.wmstream.topology.batching;

import io.wmstream.model.TurnRequest;
import java.util.List;

/**
 * The model requests a task expects its next wave to make, read from its pending events and stored memories
 * without changing anything. A guess that turns out wrong costs a wasted row, never a wrong result: a prepared
 * result is only used for a request equal to the one it was computed for.
 */
@FunctionalInterface
public interface UpcomingRequests {
    /** At most {@code limit} requests, for distinct conversations. */
    List<TurnRequest> next(int limit);
}
