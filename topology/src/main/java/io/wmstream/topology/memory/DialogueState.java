package io.wmstream.topology.memory;

import java.util.List;

/**
 * What a conversation agreed (model 3.x): the dialogue state, one value per slot, sorted by slot; the values the
 * system offered in its latest turn, which the user's next turn may accept; and the attribute types the user asked
 * for that no reply has given yet, in the order asked. Bounded by {@link MemoryLimits#STATE_SLOTS},
 * {@link MemoryLimits#STATE_OFFERS} and {@link MemoryLimits#STATE_REQUESTS}.
 */
public record DialogueState(List<StateEntry> agreed, List<StateEntry> offers, List<String> openRequests) {
    /** Nothing agreed, offered or asked. */
    public static final DialogueState EMPTY = new DialogueState(List.of(), List.of(), List.of());

    public DialogueState {
        agreed = List.copyOf(agreed);
        offers = List.copyOf(offers);
        openRequests = List.copyOf(openRequests);
    }

    /**
     * The agreed value of {@code type} a reply should say: of the slots of that type, the one set last (on the same
     * turn, the first slot in order); null when none holds one.
     */
    public StateEntry latestOfType(String type) {
        StateEntry best = null;
        for (StateEntry entry : agreed) {
            if (entry.type().equals(type) && (best == null || entry.turn() > best.turn())) {
                best = entry;
            }
        }
        return best;
    }

    public boolean isEmpty() {
        return agreed.isEmpty() && offers.isEmpty() && openRequests.isEmpty();
    }
}
