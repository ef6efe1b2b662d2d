package io.wmstream.topology.memory;

import io.wmstream.schemas.event.ConversationEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Writes what happened into a conversation's memory while keeping it inside its {@link MemoryLimits}. */
public final class MemoryRecorder {
    private final MemoryLimits limits;

    public MemoryRecorder(MemoryLimits limits) {
        this.limits = limits;
    }

    public MemoryLimits limits() {
        return limits;
    }

    /** True when the event repeats one already processed: its turn is not above the last, or its id was seen. */
    public static boolean isDuplicate(WorkingMemory memory, ConversationEvent event) {
        if (event.turn() != null && memory.lastTurn() >= 0 && event.turn() <= memory.lastTurn()) {
            return true;
        }
        return event.eventId() != null && memory.recentEventIds().contains(event.eventId());
    }

    /** Remembers the event's turn and id, so a repeat of it is recognised. */
    public WorkingMemory rememberEvent(WorkingMemory memory, ConversationEvent event, long activityMs) {
        long lastTurn = event.turn() == null ? memory.lastTurn() : Math.max(memory.lastTurn(), event.turn());
        List<String> ids = memory.recentEventIds();
        if (event.eventId() != null && limits.eventIds() > 0) {
            ids = keepLast(append(ids, truncate(event.eventId(), MemoryLimits.EVENT_ID_MAX_CHARS)),
                    limits.eventIds());
        }
        return new WorkingMemory(memory.model(), memory.state(), memory.utterances(), lastTurn,
                Math.max(memory.lastActivityMs(), activityMs), ids, memory.recentTurns(), memory.salientTurns(),
                memory.facts(), memory.dialogue());
    }

    /** Records an encoded utterance that was not tagged (a model without a tagger). */
    public WorkingMemory recordUtterance(WorkingMemory memory, float[] newState, long turn, String speaker,
            String text, double salience) {
        return recordUtterance(memory, newState, turn, speaker, text, salience, null, List.of());
    }

    /**
     * Records an encoded utterance: the new state, the turn in the recent ring and, if salient enough, kept; with its
     * words' fact weights ({@code null} when not tagged) and the facts found in it, which go first in the tracked
     * facts (a value tracked before moves up with its new turn; beyond the limit the oldest go).
     */
    public WorkingMemory recordUtterance(WorkingMemory memory, float[] newState, long turn, String speaker,
            String text, double salience, Map<String, Float> factWeights, List<TrackedFact> found) {
        var remembered = new RememberedTurn(turn, truncate(speaker, MemoryLimits.SPEAKER_MAX_CHARS),
                truncate(text, limits.turnMaxChars()), salience, boundedWeights(factWeights));
        List<RememberedTurn> recent = keepLast(append(memory.recentTurns(), remembered), limits.recentTurns());
        List<RememberedTurn> salient = new ArrayList<>(memory.salientTurns());
        if (limits.salientTurns() > 0) {
            salient.add(remembered);
            // Keep the most salient; on ties the earlier turn, so the choice never depends on anything but input.
            salient.sort(Comparator.comparingDouble(RememberedTurn::salience).reversed()
                    .thenComparingLong(RememberedTurn::turn));
            salient = new ArrayList<>(salient.subList(0, Math.min(salient.size(), limits.salientTurns())));
            salient.sort(Comparator.comparingLong(RememberedTurn::turn));
        } else {
            salient.clear();
        }
        return new WorkingMemory(memory.model(), newState, memory.utterances() + 1, memory.lastTurn(),
                memory.lastActivityMs(), memory.recentEventIds(), recent, salient, track(memory.facts(), found, turn),
                memory.dialogue());
    }

    /** {@code found} (in utterance order) put before {@code known}, one entry per type and value, bounded. */
    List<TrackedFact> track(List<TrackedFact> known, List<TrackedFact> found, long turn) {
        if (found.isEmpty() || limits.facts() == 0) {
            return limits.facts() == 0 ? List.of() : known;
        }
        Map<String, TrackedFact> latest = new LinkedHashMap<>();
        // The last value of a type in the utterance is its latest, so the utterance's values go in reverse order.
        for (int i = found.size() - 1; i >= 0; i--) {
            TrackedFact fact = found.get(i);
            var bounded = new TrackedFact(truncate(fact.type(), MemoryLimits.FACT_TYPE_MAX_CHARS),
                    truncate(fact.value(), MemoryLimits.FACT_VALUE_MAX_CHARS), turn);
            latest.putIfAbsent(bounded.type() + '\n' + bounded.value(), bounded);
        }
        for (TrackedFact fact : known) {
            latest.putIfAbsent(fact.type() + '\n' + fact.value(), fact);
        }
        List<TrackedFact> all = new ArrayList<>(latest.values());
        return all.size() <= limits.facts() ? all : all.subList(0, limits.facts());
    }

    /** At most {@link MemoryLimits#FACT_WEIGHTS_PER_TURN} weights: the heaviest, ties to the word first in order. */
    private static Map<String, Float> boundedWeights(Map<String, Float> weights) {
        if (weights == null || weights.size() <= MemoryLimits.FACT_WEIGHTS_PER_TURN) {
            return weights;
        }
        List<Map.Entry<String, Float>> entries = new ArrayList<>(new TreeMap<>(weights).entrySet());
        entries.sort(Map.Entry.<String, Float>comparingByValue().reversed());
        Map<String, Float> kept = new TreeMap<>();
        entries.subList(0, MemoryLimits.FACT_WEIGHTS_PER_TURN).forEach(e -> kept.put(e.getKey(), e.getValue()));
        return kept;
    }

    private static <T> List<T> append(List<T> list, T item) {
        List<T> copy = new ArrayList<>(list.size() + 1);
        copy.addAll(list);
        copy.add(item);
        return copy;
    }

    private static <T> List<T> keepLast(List<T> list, int n) {
        return list.size() <= n ? list : list.subList(list.size() - n, list.size());
    }

    /** At most {@code maxChars} characters, never splitting a surrogate pair. */
    static String truncate(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return text;
        }
        int end = maxChars;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }
}
