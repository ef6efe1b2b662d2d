package io.wmstream.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The dialogue-state heads' reading of one utterance (model 3.x), decided by the manifest's rule: for each value the
 * tagger found, the state slot it is about (the highest-scoring slot of the value's type, ties to the lowest index;
 * empty when no slot has that type) and whether it enters the state after this turn (its logit above 0); for the
 * utterance, the slots whose offered value it accepts, the slots it drops, and the attribute types it asks for
 * (each logit above 0). A user turn applies all of it; a system turn's values are offers ({@code DialogueState}).
 *
 * @param user whether the utterance is the user's (its role token is the user's); otherwise its values are offers
 * @param values one reading per {@link TokenTags#values()}, in the same order
 * @param accepted slots whose value the system offered in the turn before this one enter the state
 * @param dropped slots this turn takes out of the state
 * @param requested attribute types (placeholder types) the speaker asked for
 */
public record StateReading(boolean user, List<ValueReading> values, List<String> accepted, List<String> dropped,
        List<String> requested) {

    public StateReading {
        values = List.copyOf(values);
        accepted = List.copyOf(accepted);
        dropped = List.copyOf(dropped);
        requested = List.copyOf(requested);
    }

    /** A reading of nothing (an utterance without tokens). */
    public static StateReading none() {
        return new StateReading(false, List.of(), List.of(), List.of(), List.of());
    }

    /** One tagged value's slot and whether it enters the state. */
    public record ValueReading(TaggedValue value, Optional<String> slot, boolean enters) {
        public ValueReading {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(slot, "slot");
        }
    }

    /**
     * Decides a reading from the heads' scores.
     *
     * @param user whether the utterance is the user's
     * @param values the tagged values of the utterance
     * @param slotScores per token of the utterance, {@code slots.size() + 1} scores: the slots' logits, then "enters"
     * @param updateScores accept per slot, drop per slot, then one per request type
     * @param slots the manifest's state slots
     * @param slotTypes the placeholder type of each slot
     * @param requestTypes the manifest's request types
     */
    public static StateReading decide(boolean user, List<TaggedValue> values, float[] slotScores, float[] updateScores,
            List<String> slots, List<String> slotTypes, List<String> requestTypes) {
        int k = slots.size();
        int width = k + 1;
        List<ValueReading> readings = new ArrayList<>(values.size());
        for (TaggedValue value : values) {
            int last = value.position() + value.length() - 1;
            int base = last * width;
            int best = -1;
            for (int s = 0; s < k; s++) {
                // Strictly greater: a tie keeps the lower index, as training's rule says.
                boolean better = best < 0 || slotScores[base + s] > slotScores[base + best];
                if (slotTypes.get(s).equals(value.type()) && better) {
                    best = s;
                }
            }
            readings.add(new ValueReading(value, best < 0 ? Optional.empty() : Optional.of(slots.get(best)),
                    slotScores[base + k] > 0));
        }
        List<String> accepted = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (int s = 0; s < k; s++) {
            if (updateScores[s] > 0) {
                accepted.add(slots.get(s));
            }
            if (updateScores[k + s] > 0) {
                dropped.add(slots.get(s));
            }
        }
        List<String> requested = new ArrayList<>();
        for (int r = 0; r < requestTypes.size(); r++) {
            if (updateScores[2 * k + r] > 0) {
                requested.add(requestTypes.get(r));
            }
        }
        return new StateReading(user, readings, accepted, dropped, requested);
    }
}
