package io.wmstream.model;

import java.util.List;
import java.util.Objects;

/**
 * A model that passes every call on to another, for wrappers that change or watch one call (reset the memory,
 * time or count the calls): they override what they change and inherit the rest.
 */
public abstract class ForwardingConversationModel implements ConversationModel {
    /** The model calls are passed on to. */
    protected final ConversationModel delegate;

    protected ForwardingConversationModel(ConversationModel delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
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
    public boolean tracksDialogueState() {
        return delegate.tracksDialogueState();
    }

    @Override
    public List<TurnResult> advance(List<TurnRequest> batch) {
        return delegate.advance(batch);
    }

    /** Closes the model passed on to. */
    @Override
    public void close() {
        delegate.close();
    }
}
