package io.wmstream.app.replay;

import io.wmstream.model.ConversationModel;
import io.wmstream.model.ForwardingConversationModel;
import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import java.util.List;

/** A model that counts the time spent inside it, so a replay can report the model's share of its time. */
final class TimedModel extends ForwardingConversationModel {
    private long nanos;

    TimedModel(ConversationModel delegate) {
        super(delegate);
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
}
