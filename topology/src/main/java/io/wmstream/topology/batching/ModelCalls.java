package io.wmstream.topology.batching;

import io.wmstream.model.TurnRequest;
import java.util.List;

/** How one task advances its conversations: the model's contract ({@code ConversationModel#advance}), per task. */
@FunctionalInterface
public interface ModelCalls {
    /**
     * The answers to {@code requests}, in request order; raises {@code ModelFailureException} like the model.
     * Each answer names the call that computed it, which may have been made before this call, for other tasks too.
     */
    List<ModelAnswer> advance(List<TurnRequest> requests);
}
