package io.wmstream.schemas.output;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.schemas.json.CanonicalJson;
import java.util.Objects;

/**
 * A generated reply on {@code conversation-replies} (DESIGN 4.3). {@code turn} is the conversation turn the reply
 * occupies; {@code tokens} counts the generated tokens. Metadata is copied from the event, keys sorted.
 */
@JsonPropertyOrder({"conversationId", "inReplyTo", "turn", "speaker", "text", "tokens", "model", "metadata"})
public record Reply(String conversationId, InReplyTo inReplyTo, long turn, String speaker, String text, int tokens,
        ModelRef model, ObjectNode metadata) {
    public Reply {
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(inReplyTo, "inReplyTo");
        Objects.requireNonNull(speaker, "speaker");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(model, "model");
        if (turn < 0 || tokens < 0) {
            throw new IllegalArgumentException("turn and tokens must be >= 0");
        }
        metadata = CanonicalJson.canonicalCopy(metadata);
    }
}
