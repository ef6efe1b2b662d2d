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
    private final int modelThreads;
    private final Map<Thread, ThreadBatchCoordinator> byThread = new ConcurrentHashMap<>();

    /**
     * Calls of at most {@code maxRows} requests ({@code wm.batch.max.size}), on {@code modelThreads} model threads per
     * stream thread ({@code wm.model.threads} with {@code wm.batch.overlap}), or on the stream thread itself when 0.
     */
    public ThreadBatchCoordinators(ConversationModel model, int maxRows, int modelThreads) {
        if (modelThreads < 0) {
            throw new IllegalArgumentException("modelThreads must be at least 0, was " + modelThreads);
        }
        this.model = model;
        this.maxRows = maxRows;
        this.modelThreads = modelThreads;
    }

    /** Joins the calling thread's coordinator; call {@link ThreadBatchCoordinator.Member#leave()} when done. */
    public ThreadBatchCoordinator.Member join(UpcomingRequests upcoming) {
        Thread current = Thread.currentThread();
        ThreadBatchCoordinator coordinator = byThread.computeIfAbsent(current,
                thread -> new ThreadBatchCoordinator(model, maxRows, modelThreads, thread,
                        () -> byThread.remove(thread)));
        return coordinator.join(upcoming);
    }

    /** Threads with a coordinator now (for tests and metrics). */
    public int threads() {
        return byThread.size();
    }
}
