package io.wmstream.schemas.output;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.schemas.json.CanonicalJson;
import java.util.List;
import java.util.Objects;

/**
 * A summary on {@code conversation-summaries} (DESIGN 4.4): {@code upToTurn} is the last turn it covers,
 * {@code turns} how many utterances the conversation had, {@code highlights} what the working memory kept,
 * {@code facts} the values it tracked, latest first (schema version 2; null, omitted, for a model without a fact
 * tagger), {@code state} the dialogue state (what was agreed, by slot) and {@code openRequests} what the user asked
 * for that no reply gave yet (schema version 3; null, omitted, for a model without dialogue-state heads).
 */
@JsonPropertyOrder({"conversationId", "kind", "reason", "upToTurn", "turns", "text", "highlights", "facts", "state",
    "openRequests", "model", "metadata"})
public record Summary(String conversationId, SummaryKind kind, SummaryReason reason, long upToTurn, int turns,
        String text, List<Highlight> highlights, List<Fact> facts, List<StateValue> state, List<String> openRequests,
        ModelRef model, ObjectNode metadata) {
    public Summary {
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(model, "model");
        highlights = List.copyOf(Objects.requireNonNull(highlights, "highlights"));
        facts = facts == null ? null : List.copyOf(facts);
        state = state == null ? null : List.copyOf(state);
        openRequests = openRequests == null ? null : List.copyOf(openRequests);
        if (turns < 0) {
            throw new IllegalArgumentException("turns must be >= 0");
        }
        metadata = CanonicalJson.canonicalCopy(metadata);
    }

    /** A summary of a model without dialogue-state heads: no state, no open requests. */
    public Summary(String conversationId, SummaryKind kind, SummaryReason reason, long upToTurn, int turns,
            String text, List<Highlight> highlights, List<Fact> facts, ModelRef model, ObjectNode metadata) {
        this(conversationId, kind, reason, upToTurn, turns, text, highlights, facts, null, null, model, metadata);
    }

    /** A summary of a model without a fact tagger: no tracked facts. */
    public Summary(String conversationId, SummaryKind kind, SummaryReason reason, long upToTurn, int turns,
            String text, List<Highlight> highlights, ModelRef model, ObjectNode metadata) {
        this(conversationId, kind, reason, upToTurn, turns, text, highlights, null, null, null, model, metadata);
    }
}
