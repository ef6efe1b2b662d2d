package io.wmstream.topology.batching;

import io.wmstream.model.ConversationModel;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One model thread of a {@link ThreadBatchCoordinator}: it computes the calls given to it one after another, in the
 * order given, with a {@link ChainComputer} of its own. A conversation's turn chained behind its turn in a call of
 * this lane ({@link UpcomingRequests.Chain#continues()}) starts from the state that call left here, so it must go to
 * this lane and no other; calls of different lanes hold different conversations and run at once.
 */
final class ModelLane {
    private final int index;
    private final ExecutorService thread;
    private final ChainComputer computer;

    ModelLane(int index, String name, ConversationModel model, int maxRows) {
        this.index = index;
        this.computer = new ChainComputer(model, maxRows);
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread worker = new Thread(runnable, name);
            // A call in flight when the application stops is of no use to anyone: it must not hold the JVM.
            worker.setDaemon(true);
            return worker;
        });
    }

    /** Position among the coordinator's lanes, from 0: the first lanes take a call first. */
    int index() {
        return index;
    }

    /** Queues a call behind the ones given before; it runs on this lane's thread. */
    Future<ChainComputer.Computed> submit(List<UpcomingRequests.Chain> job) {
        return thread.submit(() -> computer.compute(job));
    }

    /** Stops the thread once its calls are done; their results are no longer taken. */
    void shutdown() {
        thread.shutdown();
    }

    @Override
    public String toString() {
        return "lane " + index;
    }
}
