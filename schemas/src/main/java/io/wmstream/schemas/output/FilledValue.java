package io.wmstream.schemas.output;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * A placeholder of a reply filled from the conversation's memory: its type, the value put in (the latest of its type
 * the conversation stated), the turn that stated it, and where the value stands in the reply's text, {@code start}
 * inclusive and {@code end} exclusive, in Unicode code points.
 */
@JsonPropertyOrder({"type", "value", "fromTurn", "start", "end"})
public record FilledValue(String type, String value, long fromTurn, int start, int end) {
    public FilledValue {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("value [" + start + ", " + end + ") is empty or negative");
        }
    }
}
