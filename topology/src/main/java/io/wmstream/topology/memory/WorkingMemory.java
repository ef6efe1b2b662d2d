package io.wmstream.topology.memory;

import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One conversation's working memory as stored: the recurrent state (null until the first utterance), counters,
 * what duplicate detection needs, a bounded ring of recent turns and a bounded set of the most salient turns.
 *
 * @param model the model the state belongs to
 * @param state the hidden state, layer-major, or null when nothing has been encoded yet
 * @param utterances utterances accepted so far (the conversation's own turn counter)
 * @param lastTurn the last processed event turn, or -1 when no event carried one
 * @param lastActivityMs event time of the last accepted event
 * @param recentEventIds the most recent eventIds, oldest first
 * @param recentTurns the most recent utterances, oldest first
 * @param salientTurns the most salient utterances seen, ordered by turn
 * @param facts the values the fact tagger found (mentioned by anyone), latest first, one entry per type and value
 * @param dialogue what was agreed, offered and asked (a model with dialogue-state heads; empty otherwise)
 */
public record WorkingMemory(ModelStamp model, float[] state, int utterances, long lastTurn, long lastActivityMs,
        List<String> recentEventIds, List<RememberedTurn> recentTurns, List<RememberedTurn> salientTurns,
        List<TrackedFact> facts, DialogueState dialogue) {

    public WorkingMemory {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(dialogue, "dialogue");
        recentEventIds = List.copyOf(recentEventIds);
        recentTurns = List.copyOf(recentTurns);
        salientTurns = List.copyOf(salientTurns);
        facts = List.copyOf(facts);
        if (state != null && state.length != model.stateSize()) {
            throw new IllegalArgumentException("state has " + state.length + " floats, model " + model + " needs "
                    + model.stateSize());
        }
    }

    /** A memory that tracks no dialogue state (a model without dialogue-state heads). */
    public WorkingMemory(ModelStamp model, float[] state, int utterances, long lastTurn, long lastActivityMs,
            List<String> recentEventIds, List<RememberedTurn> recentTurns, List<RememberedTurn> salientTurns,
            List<TrackedFact> facts) {
        this(model, state, utterances, lastTurn, lastActivityMs, recentEventIds, recentTurns, salientTurns, facts,
                DialogueState.EMPTY);
    }

    /** A memory that tracks no facts (a model without a tagger). */
    public WorkingMemory(ModelStamp model, float[] state, int utterances, long lastTurn, long lastActivityMs,
            List<String> recentEventIds, List<RememberedTurn> recentTurns, List<RememberedTurn> salientTurns) {
        this(model, state, utterances, lastTurn, lastActivityMs, recentEventIds, recentTurns, salientTurns,
                List.of());
    }

    /** A conversation that has seen nothing yet. */
    public static WorkingMemory empty(ModelStamp model, long activityMs) {
        return new WorkingMemory(model, null, 0, -1, activityMs, List.of(), List.of(), List.of(), List.of(),
                DialogueState.EMPTY);
    }

    /**
     * The value of {@code type} a reply should say: the agreed one ({@link DialogueState#latestOfType}) where the
     * dialogue state holds one, else the latest value of the type anyone mentioned; null when the memory holds none.
     */
    public TrackedFact valueForReply(String type) {
        StateEntry agreed = dialogue.latestOfType(type);
        return agreed != null ? new TrackedFact(type, agreed.value(), agreed.turn()) : latestFact(type);
    }

    /** The latest tracked value of {@code type}, or null when the memory holds none. */
    public TrackedFact latestFact(String type) {
        for (TrackedFact fact : facts) {
            if (fact.type().equals(type)) {
                return fact;
            }
        }
        return null;
    }

    /** The same memory with {@code next} as its dialogue state. */
    public WorkingMemory withDialogue(DialogueState next) {
        return new WorkingMemory(model, state, utterances, lastTurn, lastActivityMs, recentEventIds, recentTurns,
                salientTurns, facts, next);
    }

    /**
     * Every turn the memory holds, salient or recent, once each, in turn order (the two sets mostly overlap; a turn
     * in both has the same text and salience in both).
     */
    public List<RememberedTurn> rememberedTurns() {
        TreeMap<Long, RememberedTurn> byTurn = new TreeMap<>();
        salientTurns.forEach(t -> byTurn.put(t.turn(), t));
        recentTurns.forEach(t -> byTurn.putIfAbsent(t.turn(), t));
        return List.copyOf(byTurn.values());
    }

    /**
     * The same conversation with its memory (state, turns, tracked facts, dialogue state) cleared but what duplicate
     * detection needs kept (DESIGN 4.2 reset).
     */
    public WorkingMemory cleared(long activityMs) {
        return new WorkingMemory(model, null, utterances, lastTurn, activityMs, recentEventIds, List.of(), List.of(),
                List.of(), DialogueState.EMPTY);
    }
}
