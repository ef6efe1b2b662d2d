package io.wmstream.topology.batching;

import io.wmstream.model.ConversationModel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link ThreadBatchCoordinator} per stream thread of a topology: a task joins the coordinator of the thread
 * it runs on, and only tasks of one thread share model calls (their processing never overlaps).
 */
public final class ThreadBatchCoordinators {
    private final ConversationModel model;
    private final int maxRows;
    private final boolean overlap;
    private final Map<Thread, ThreadBatchCoordinator> byThread = new ConcurrentHashMap<>();

    /**
     * Calls of at most {@code maxRows} requests ({@code wm.batch.max.size}), on a model thread per stream thread when
     * {@code overlap} ({@code wm.batch.overlap}), else on the stream thread.
     */
    public ThreadBatchCoordinators(ConversationModel model, int maxRows, boolean overlap) {
        this.model = model;
        this.maxRows = maxRows;
        this.overlap = overlap;
    }

    /** Joins the calling thread's coordinator; call {@link ThreadBatchCoordinator.Member#leave()} when done. */
    public ThreadBatchCoordinator.Member join(UpcomingRequests upcoming) {
        Thread current = Thread.currentThread();
        ThreadBatchCoordinator coordinator = byThread.computeIfAbsent(current,
                thread -> new ThreadBatchCoordinator(model, maxRows, overlap, thread, () -> byThread.remove(thread)));
        return coordinator.join(upcoming);
    }

    /** Threads with a coordinator now (for tests and metrics). */
    public int threads() {
        return byThread.size();
    }
}
