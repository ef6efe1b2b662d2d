package io.wmstream.topology.batching;

import io.wmstream.model.TurnRequest;
import java.util.Arrays;
import java.util.Objects;

/**
 * The whole of a {@link TurnRequest} as a map key: by the model's contract a result depends on nothing else, so two
 * equal keys have the same result (the state is compared bit for bit, through a copy taken when the key is made).
 */
final class RequestKey {
    private final String conversationId;
    private final long turn;
    private final float[] state;
    private final String speaker;
    private final String text;
    private final boolean reply;
    private final int hash;

    private RequestKey(TurnRequest request) {
        this.conversationId = request.conversationId();
        this.turn = request.turn();
        this.state = request.state() == null ? null : request.state().clone();
        this.speaker = request.speaker();
        this.text = request.text();
        this.reply = request.reply();
        this.hash = Objects.hash(conversationId, turn, speaker, text, reply) * 31 + Arrays.hashCode(state);
    }

    static RequestKey of(TurnRequest request) {
        return new RequestKey(request);
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof RequestKey key)) {
            return false;
        }
        // Arrays.equals compares floats by their bits (floatToIntBits), which is what "the same request" means.
        return hash == key.hash && turn == key.turn && reply == key.reply
                && conversationId.equals(key.conversationId) && speaker.equals(key.speaker)
                && text.equals(key.text) && Arrays.equals(state, key.state);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
