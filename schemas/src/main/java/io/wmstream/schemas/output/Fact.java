package io.wmstream.schemas.output;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/** A fact the working memory tracked: its placeholder type, its value as read, and the turn that stated it. */
@JsonPropertyOrder({"type", "value", "turn"})
public record Fact(String type, String value, long turn) {
    public Fact {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
    }
}
