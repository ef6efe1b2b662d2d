package io.wmstream.schemas.output;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.schemas.json.CanonicalJson;
import java.util.List;
import java.util.Objects;

/**
 * A generated reply on {@code conversation-replies} (DESIGN 4.3). {@code turn} is the conversation turn the reply
 * occupies; {@code tokens} counts the generated tokens. With a model that tracks facts (schema version 2), the
 * reply's placeholders are filled from the conversation's memory where it can ({@code filled}) and the rest stay in
 * the text as {@code [type]} markers ({@code slots}); both are null (omitted) for a model without a fact tagger.
 * With a model that tracks the dialogue state (schema version 3), {@code state} is the conversation's state after
 * the turn the reply answers and {@code requested} the attribute types that turn asked for; both null (omitted)
 * otherwise. Metadata is copied from the event, keys sorted.
 */
@JsonPropertyOrder({"conversationId", "inReplyTo", "turn", "speaker", "text", "tokens", "slots", "filled", "state",
    "requested", "model", "metadata"})
public record Reply(String conversationId, InReplyTo inReplyTo, long turn, String speaker, String text, int tokens,
        List<ReplySlot> slots, List<FilledValue> filled, List<StateValue> state, List<String> requested,
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
        slots = slots == null ? null : List.copyOf(slots);
        filled = filled == null ? null : List.copyOf(filled);
        state = state == null ? null : List.copyOf(state);
        requested = requested == null ? null : List.copyOf(requested);
        metadata = CanonicalJson.canonicalCopy(metadata);
    }

    /** A reply of a model without dialogue-state heads: no state, no requests. */
    public Reply(String conversationId, InReplyTo inReplyTo, long turn, String speaker, String text, int tokens,
            List<ReplySlot> slots, List<FilledValue> filled, ModelRef model, ObjectNode metadata) {
        this(conversationId, inReplyTo, turn, speaker, text, tokens, slots, filled, null, null, model, metadata);
    }

    /** A reply of a model without a fact tagger: no slots, nothing filled. */
    public Reply(String conversationId, InReplyTo inReplyTo, long turn, String speaker, String text, int tokens,
            ModelRef model, ObjectNode metadata) {
        this(conversationId, inReplyTo, turn, speaker, text, tokens, null, null, null, null, model, metadata);
    }
}
