package io.wmstream.topology.batching;

import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import java.util.List;

/** How one task advances its conversations: the model's contract ({@code ConversationModel#advance}), per task. */
@FunctionalInterface
public interface ModelCalls {
    /** The results of {@code requests}, in request order; raises {@code ModelFailureException} like the model. */
    List<TurnResult> advance(List<TurnRequest> requests);
}
