package io.wmstream.app.bench;

import io.wmstream.model.ConversationModel;
import io.wmstream.model.ForwardingConversationModel;
import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A model that counts its calls, rows and time, so the benchmark can say how full the pipeline's model calls were
 * (one call per stream thread wave, with cross-task batching) and how much of the phase they took. Closing it leaves
 * the model it wraps open.
 */
final class CountingModel extends ForwardingConversationModel {
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong nanos = new AtomicLong();

    CountingModel(ConversationModel delegate) {
        super(delegate);
    }

    @Override
    public List<TurnResult> advance(List<TurnRequest> batch) {
        calls.incrementAndGet();
        rows.addAndGet(batch.size());
        long started = System.nanoTime();
        try {
            return delegate.advance(batch);
        } finally {
            nanos.addAndGet(System.nanoTime() - started);
        }
    }

    /** Calls and rows so far. */
    long[] counts() {
        return new long[] {calls.get(), rows.get()};
    }

    /** Wall time spent in model calls so far, summed over the calling threads. */
    long nanos() {
        return nanos.get();
    }

    @Override
    public void close() {
    }
}
