package io.wmstream.schemas.output;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * One entry of a conversation's dialogue state (schema version 3): the slot ({@code domain.type} or
 * {@code domain.type.role}, e.g. {@code restaurant.time}, {@code taxi.place.from}), the value agreed for it, and
 * the turn that set it.
 */
@JsonPropertyOrder({"slot", "value", "turn"})
public record StateValue(String slot, String value, long turn) {
    public StateValue {
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(value, "value");
    }
}
