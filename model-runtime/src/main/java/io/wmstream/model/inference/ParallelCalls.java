package io.wmstream.model.inference;

import io.wmstream.model.ModelFailureException;
import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Deals a batch into several model calls run at once (the first on the caller's thread), replying and not
 * replying rows each round-robin so that every call has about the same work, and puts the results back in order.
 */
final class ParallelCalls implements AutoCloseable {
    private final ExecutorService threads;

    /** Room for {@code calls} calls at once: {@code calls - 1} threads besides the caller's. */
    ParallelCalls(String model, int calls) {
        this.threads = Executors.newFixedThreadPool(calls - 1, new CallThreads(model));
    }

    List<TurnResult> advance(List<TurnRequest> batch, int parts, Function<List<TurnRequest>, List<TurnResult>> call) {
        List<List<Integer>> rows = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
            rows.add(new ArrayList<>());
        }
        int replying = 0;
        int silent = 0;
        for (int i = 0; i < batch.size(); i++) {
            rows.get(batch.get(i).reply() ? replying++ % parts : (parts - 1 - silent++ % parts)).add(i);
        }
        List<Future<List<TurnResult>>> others = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            List<TurnRequest> part = rows.get(p).stream().map(batch::get).toList();
            others.add(threads.submit(() -> call.apply(part)));
        }
        TurnResult[] results = new TurnResult[batch.size()];
        try {
            place(results, rows.get(0), call.apply(rows.get(0).stream().map(batch::get).toList()));
            for (int p = 1; p < parts; p++) {
                place(results, rows.get(p), others.get(p - 1).get());
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new ModelFailureException("A parallel model call failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelFailureException("Interrupted while waiting for a parallel model call", e);
        } finally {
            others.forEach(future -> future.cancel(false));
        }
        return List.of(results);
    }

    private static void place(TurnResult[] results, List<Integer> rows, List<TurnResult> partResults) {
        for (int k = 0; k < rows.size(); k++) {
            results[rows.get(k)] = partResults.get(k);
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }

    /** Daemon threads named for the model, so a thread dump says what they are and they never hold a JVM open. */
    private static final class CallThreads implements ThreadFactory {
        private final String model;
        private final AtomicInteger count = new AtomicInteger();

        CallThreads(String model) {
            this.model = model;
        }

        @Override
        public Thread newThread(Runnable work) {
            Thread thread = new Thread(work, "wm-model-" + model + "-call-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
