package io.wmstream.schemas.output;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * A placeholder a reply's text still holds (the conversation stated no value of its type): its type and where its
 * marker ({@code [type]}) stands in the text, {@code start} inclusive and {@code end} exclusive, in Unicode code
 * points. A backend replaces it with a value of its own (a booking reference from its database, say).
 */
@JsonPropertyOrder({"type", "start", "end"})
public record ReplySlot(String type, int start, int end) {
    public ReplySlot {
        Objects.requireNonNull(type, "type");
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("slot [" + start + ", " + end + ") is empty or negative");
        }
    }
}
