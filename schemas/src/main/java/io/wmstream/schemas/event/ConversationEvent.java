package io.wmstream.schemas.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.schemas.json.CanonicalJson;
import java.util.Objects;

/**
 * One input event on {@code conversation-events} (DESIGN 4.2), as accepted by {@link ConversationEventReader}.
 * Optional fields are null when absent; {@code timestamp} is in epoch milliseconds; metadata keys are sorted.
 */
@JsonPropertyOrder({"type", "conversationId", "eventId", "turn", "speaker", "text", "timestamp", "metadata"})
public record ConversationEvent(EventType type, String conversationId, String eventId, Long turn, String speaker,
        String text, @JsonProperty("timestamp") Long timestampMillis, ObjectNode metadata) {
    public ConversationEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(conversationId, "conversationId");
        metadata = CanonicalJson.canonicalCopy(metadata);
    }

    /** An utterance with only the required fields. */
    public static ConversationEvent utterance(String conversationId, long turn, String speaker, String text) {
        return new ConversationEvent(EventType.UTTERANCE, conversationId, null, turn, speaker, text, null, null);
    }

    /** A control event ({@code end}, {@code reset} or {@code forget}) for a conversation. */
    public static ConversationEvent control(EventType type, String conversationId, Long turn) {
        return new ConversationEvent(type, conversationId, null, turn, null, null, null, null);
    }

    @JsonIgnore
    public boolean isUtterance() {
        return type == EventType.UTTERANCE;
    }
}
