package io.wmstream.topology.memory;

import io.wmstream.model.StateReading;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Advances a conversation's {@link DialogueState} by the model's reading of one utterance, by the rule model 3.x
 * was evaluated with (training/wmtrain/state.py, {@code track}), so that replay, live and training agree:
 * <ul>
 * <li>a user turn first drops the slots it drops; then each value the system offered in the turn before, in slot
 * order, enters the state when the turn accepts its slot; then each value the turn states, in order, enters its slot
 * when the model says it enters (a later value of a slot replaces an earlier one); its requests join the open ones;
 * the offers are spent;</li>
 * <li>a system turn's values with a slot become the offers (a later value of a slot replaces an earlier one), and
 * the open requests whose type it gives ({@link #answered}) are closed.</li>
 * </ul>
 * Values are kept as the conversation wrote them ({@link io.wmstream.model.TaggedValue#source()}, as the tracked
 * facts are), bounded by {@link MemoryLimits#FACT_VALUE_MAX_CHARS}.
 */
public final class DialogueStateTracker {
    private DialogueStateTracker() {
    }

    /** The state after an utterance read as {@code reading} on {@code turn}. */
    public static DialogueState apply(DialogueState before, StateReading reading, long turn) {
        if (!reading.user()) {
            Map<String, StateEntry> offers = new TreeMap<>();
            Set<String> given = new LinkedHashSet<>();
            for (StateReading.ValueReading value : reading.values()) {
                given.add(value.value().type());
                value.slot().ifPresent(slot -> offers.put(slot, entry(slot, value.value().source(), turn)));
            }
            List<String> open = new ArrayList<>(before.openRequests());
            open.removeAll(given);
            return new DialogueState(before.agreed(), bounded(offers, MemoryLimits.STATE_OFFERS), open);
        }
        Map<String, StateEntry> agreed = new TreeMap<>();
        before.agreed().forEach(e -> agreed.put(e.slot(), e));
        reading.dropped().forEach(agreed::remove);
        for (StateEntry offer : before.offers()) {
            if (reading.accepted().contains(offer.slot())) {
                agreed.put(offer.slot(), new StateEntry(offer.slot(), offer.value(), turn));
            }
        }
        for (StateReading.ValueReading value : reading.values()) {
            if (value.enters() && value.slot().isPresent()) {
                agreed.put(value.slot().get(), entry(value.slot().get(), value.value().source(), turn));
            }
        }
        Set<String> open = new LinkedHashSet<>(before.openRequests());
        open.addAll(reading.requested());
        List<String> requests = new ArrayList<>(open);
        if (requests.size() > MemoryLimits.STATE_REQUESTS) {
            requests = requests.subList(requests.size() - MemoryLimits.STATE_REQUESTS, requests.size());
        }
        return new DialogueState(bounded(agreed, MemoryLimits.STATE_SLOTS), List.of(), requests);
    }

    /**
     * The state once a reply was sent: the open requests whose placeholder ({@code [phone]}) or filled value the
     * reply gives are closed. {@code givenTypes} are the types of the placeholders and values in the reply.
     */
    public static DialogueState answered(DialogueState state, Set<String> givenTypes) {
        if (state.openRequests().isEmpty() || givenTypes.isEmpty()) {
            return state;
        }
        List<String> open = new ArrayList<>(state.openRequests());
        open.removeAll(givenTypes);
        return new DialogueState(state.agreed(), state.offers(), open);
    }

    private static StateEntry entry(String slot, String value, long turn) {
        return new StateEntry(MemoryRecorder.truncate(slot, MemoryLimits.FACT_TYPE_MAX_CHARS * 2),
                MemoryRecorder.truncate(value, MemoryLimits.FACT_VALUE_MAX_CHARS), turn);
    }

    /** The entries in slot order, at most {@code max} (a model's inventory is far smaller; this bounds the store). */
    private static List<StateEntry> bounded(Map<String, StateEntry> bySlot, int max) {
        List<StateEntry> all = new ArrayList<>(bySlot.values());
        return all.size() <= max ? all : all.subList(0, max);
    }
}
