package io.wmstream.topology.batching;

import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The results finished calls left for one task, keyed by their exact request, until the task runs the events they
 * belong to, and how the task's requests were answered, for its metrics. A result is only ever used for a request
 * equal to the one it was computed for. Used on the task's stream thread only.
 */
final class KeptResults {
    private final Map<RequestKey, Kept> kept = new HashMap<>();
    /** Requests answered by a kept result, not yet taken by its task (as the next two). */
    private int found;
    /** Requests with no kept result: the task computed them on its own thread. */
    private int computedByTask;
    /** Results dropped because no request of the task matched them: the model thread's work wasted. */
    private int unused;

    /** Keeps {@code answer} for the request {@code key}, until the events up to {@code newestSequence} have run. */
    void keep(RequestKey key, ModelAnswer answer, long newestSequence) {
        kept.put(key, new Kept(answer, newestSequence));
    }

    /** The result kept for exactly {@code request}, if any, left in place for its task. */
    TurnResult peek(TurnRequest request) {
        Kept result = kept.isEmpty() ? null : kept.get(RequestKey.of(request));
        return result == null ? null : result.answer().result();
    }

    /**
     * Fills the empty places of {@code answers} from the kept results, which are taken; returns the indexes of the
     * requests still without.
     */
    List<Integer> take(List<TurnRequest> requests, ModelAnswer[] answers) {
        List<Integer> misses = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            if (answers[i] != null) {
                continue;
            }
            Kept result = kept.isEmpty() ? null : kept.remove(RequestKey.of(requests.get(i)));
            if (result != null) {
                answers[i] = result.answer();
            } else {
                misses.add(i);
            }
        }
        return misses;
    }

    /** Counts a task's {@code requests}, of which {@code computed} had no kept result. */
    void counted(int requests, int computed) {
        found += requests - computed;
        computedByTask += computed;
    }

    /** Drops what was kept for events up to {@code sequence}, all run: a result left was for a request never made. */
    void dropThrough(long sequence) {
        int before = kept.size();
        kept.values().removeIf(result -> result.newestSequence() <= sequence);
        unused += before - kept.size();
    }

    /** Drops what was kept for events older than {@code oldestWaiting}, the task's oldest event still waiting. */
    void dropOlderThan(long oldestWaiting) {
        int before = kept.size();
        kept.values().removeIf(result -> result.newestSequence() < oldestWaiting);
        unused += before - kept.size();
    }

    void clear() {
        kept.clear();
    }

    /** The counts since the last time they were taken. */
    PredictionTally takeTally() {
        PredictionTally tally = new PredictionTally(found, computedByTask, unused);
        found = 0;
        computedByTask = 0;
        unused = 0;
        return tally;
    }

    /** A result, with the newest event of the share it was computed for (to drop it once that has run). */
    private record Kept(ModelAnswer answer, long newestSequence) {
    }
}
