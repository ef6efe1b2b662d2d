package io.wmstream.app.replay;

import io.wmstream.model.ConversationModel;
import io.wmstream.model.ForwardingConversationModel;
import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The same model with its working memory reset before every utterance: each request is passed on as if its
 * conversation were new, so the model sees only the current turn. {@code replay --ablate-memory} runs a log through
 * it to show what the memory adds; everything else (stores, turns kept, summaries) works as in any replay.
 */
final class MemorylessModel extends ForwardingConversationModel {

    MemorylessModel(ConversationModel delegate) {
        super(delegate);
    }

    @Override
    public List<TurnResult> advance(List<TurnRequest> batch) {
        List<TurnRequest> reset = new ArrayList<>(batch.size());
        for (TurnRequest request : batch) {
            reset.add(new TurnRequest(request.conversationId(), request.turn(), null, request.speaker(),
                    request.text(), request.reply()));
        }
        return delegate.advance(reset);
    }
}
