package io.wmstream.app.replay;

import io.wmstream.model.ConversationModel;
import io.wmstream.model.ModelInfo;
import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import java.util.List;

/** A model that counts the time spent inside it, so a replay can report the model's share of its time. */
final class TimedModel implements ConversationModel {
    private final ConversationModel delegate;
    private long nanos;

    TimedModel(ConversationModel delegate) {
        this.delegate = delegate;
    }

    @Override
    public ModelInfo info() {
        return delegate.info();
    }

    @Override
    public List<String> tagClasses() {
        return delegate.tagClasses();
    }

    @Override
    public List<TurnResult> advance(List<TurnRequest> batch) {
        long started = System.nanoTime();
        try {
            return delegate.advance(batch);
        } finally {
            nanos += System.nanoTime() - started;
        }
    }

    /** Time spent in {@link #advance} so far. */
    long nanos() {
        return nanos;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
