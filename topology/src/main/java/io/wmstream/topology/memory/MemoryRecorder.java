package io.wmstream.topology.memory;

import io.wmstream.schemas.event.ConversationEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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
                Math.max(memory.lastActivityMs(), activityMs), ids, memory.recentTurns(), memory.salientTurns());
    }

    /** Records an encoded utterance: the new state, the turn in the recent ring and, if salient enough, kept. */
    public WorkingMemory recordUtterance(WorkingMemory memory, float[] newState, long turn, String speaker,
            String text, double salience) {
        var remembered = new RememberedTurn(turn, truncate(speaker, MemoryLimits.SPEAKER_MAX_CHARS),
                truncate(text, limits.turnMaxChars()), salience);
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
                memory.lastActivityMs(), memory.recentEventIds(), recent, salient);
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
