package io.wmstream.app.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One (slot, value) pair of a predicted dialogue state, its value normalised as the gold state's values are. */
public record SlotValue(String slot, String value) {
    public SlotValue {
        if (slot == null || value == null) {
            throw new IllegalArgumentException("a slot value has a slot and a value");
        }
    }

    /** The pair with {@code value} normalised ({@link StateSlots#norm}). */
    public static SlotValue of(String slot, String value) {
        return new SlotValue(slot, StateSlots.norm(value));
    }

    /**
     * The pairs of an output record's {@code state} ({@code [{"slot", "value", "turn"}, ...]}), repeats once;
     * empty when the record has no state at all (a model that does not track one), which is not an empty state.
     */
    public static Optional<Set<SlotValue>> stateOf(JsonNode record) {
        JsonNode state = record.get("state");
        if (state == null || !state.isArray()) {
            return Optional.empty();
        }
        Set<SlotValue> pairs = new LinkedHashSet<>();
        for (JsonNode entry : state) {
            if (entry.path("slot").isTextual() && entry.path("value").isValueNode()) {
                pairs.add(of(entry.path("slot").asText(), entry.path("value").asText()));
            }
        }
        return Optional.of(pairs);
    }

    /** Whether {@code gold} (slot to the forms of its value) has this slot with this value among its forms. */
    boolean in(Map<String, Set<String>> gold) {
        Set<String> forms = gold.get(slot);
        return forms != null && forms.contains(value);
    }
}
