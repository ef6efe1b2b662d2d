package io.wmstream.schemas.output;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.wmstream.schemas.json.FixedDecimalSerializer;
import java.util.Objects;

/** One utterance a summary keeps, with the salience that ranked it (rounded to four decimals). */
@JsonPropertyOrder({"turn", "speaker", "text", "salience"})
public record Highlight(long turn, String speaker, String text,
        @JsonSerialize(using = FixedDecimalSerializer.class) double salience) {
    public Highlight {
        Objects.requireNonNull(speaker, "speaker");
        Objects.requireNonNull(text, "text");
        salience = FixedDecimalSerializer.round(salience);
    }
}
