package io.wmstream.app.bench;

import io.wmstream.model.ConversationModel;
import io.wmstream.model.GeneratedReply;
import io.wmstream.model.ModelInfo;
import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import java.util.ArrayList;
import java.util.List;

/**
 * A model that costs nothing: the state goes through unchanged (zeros for a new conversation) and every reply is the
 * same word. For the benchmark's pipeline ceiling, figure (b): what the topology, the stores and the broker allow when
 * the model takes no time; and for tests that push many events through the real topology. It never runs in a
 * pipeline a user starts.
 */
public final class NoOpModel implements ConversationModel {
    private final ModelInfo info;
    private final float[] initialState;
    private final GeneratedReply reply = new GeneratedReply("ok", 1);

    /** Stamped with the real model's {@code info}, so its memories have the real sizes. */
    public NoOpModel(ModelInfo info) {
        this.info = info;
        this.initialState = new float[info.stateSize()];
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public List<TurnResult> advance(List<TurnRequest> batch) {
        List<TurnResult> out = new ArrayList<>(batch.size());
        for (TurnRequest request : batch) {
            float[] state = request.state() == null ? initialState : request.state();
            out.add(new TurnResult(state, 0.0, 1, request.reply() ? reply : null));
        }
        return out;
    }

    @Override
    public void close() {
    }
}
