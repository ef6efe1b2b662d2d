package io.wmstream.topology.query;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.wmstream.schemas.output.Fact;
import io.wmstream.schemas.output.Highlight;
import io.wmstream.schemas.output.ModelRef;
import io.wmstream.schemas.output.StateValue;
import io.wmstream.topology.memory.RememberedTurn;
import io.wmstream.topology.memory.WorkingMemory;
import io.wmstream.topology.summary.SummaryComposer;
import java.util.List;

/**
 * What {@code GET /conversations/{id}} shows of one conversation: its counters, recent turns, the facts it tracked
 * (every value mentioned, latest first; empty for a model without a fact tagger), the dialogue state (what was
 * agreed, by slot) and the open requests (both empty for a model without dialogue-state heads), the summary its
 * memory would give now, and the model the memory belongs to.
 */
@JsonPropertyOrder({"conversationId", "turns", "lastTurn", "lastActivityMs", "recentTurns", "facts", "state",
    "openRequests", "summary", "model"})
public record ConversationView(String conversationId, int turns, Long lastTurn, long lastActivityMs,
        List<Turn> recentTurns, List<Fact> facts, List<StateValue> state, List<String> openRequests,
        CurrentSummary summary, ModelRef model) {

    /** Renders {@code memory} with the summary {@code composer} makes of it. */
    public static ConversationView of(String conversationId, WorkingMemory memory, SummaryComposer composer) {
        SummaryComposer.Composed composed = composer.compose(memory);
        List<Turn> recent = memory.recentTurns().stream().map(Turn::of).toList();
        return new ConversationView(conversationId, memory.utterances(),
                memory.lastTurn() < 0 ? null : memory.lastTurn(), memory.lastActivityMs(), recent,
                memory.facts().stream().map(f -> new Fact(f.type(), f.value(), f.turn())).toList(),
                memory.dialogue().agreed().stream().map(e -> new StateValue(e.slot(), e.value(), e.turn())).toList(),
                memory.dialogue().openRequests(),
                new CurrentSummary(composed.text(), composed.highlights()),
                new ModelRef(memory.model().name(), memory.model().version()));
    }

    /** One remembered turn. */
    @JsonPropertyOrder({"turn", "speaker", "text", "salience"})
    public record Turn(long turn, String speaker, String text, double salience) {
        static Turn of(RememberedTurn turn) {
            return new Turn(turn.turn(), turn.speaker(), turn.text(), new Highlight(turn.turn(), turn.speaker(),
                    turn.text(), turn.salience()).salience());
        }
    }

    /** The summary the memory would give now. */
    @JsonPropertyOrder({"text", "highlights"})
    public record CurrentSummary(String text, List<Highlight> highlights) {
    }
}
