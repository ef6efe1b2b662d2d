package io.wmstream.model;

import java.util.List;

/**
 * The working-memory model as the stream processor sees it: advance a batch of conversations by one utterance
 * each (and generate the replies asked for), in one batched set of model calls.
 *
 * <p>Contract: the requests of one call belong to distinct conversations; results come back in request order;
 * a result depends only on its own request (never on the batch it was run in), so a replay with other batch
 * sizes gives the same output. A failure of the model raises {@link ModelFailureException} for the whole call.
 */
public interface ConversationModel extends AutoCloseable {

    /** Name, version and dimensions of the loaded model. */
    ModelInfo info();

    /**
     * The fact tagger's classes (class 0 "none", then placeholder types); empty when the model has no tagger, and
     * then no {@link TurnResult} has tags.
     */
    default List<String> tagClasses() {
        return List.of();
    }

    /**
     * Whether the model reads the dialogue state (model 3.x): then every tagged {@link TurnResult} carries a
     * {@link StateReading}.
     */
    default boolean tracksDialogueState() {
        return false;
    }

    /** Advances every request's memory by its utterance, then generates the requested replies. */
    List<TurnResult> advance(List<TurnRequest> batch);

    @Override
    void close();
}
