package io.wmstream.topology.memory;

import java.util.Objects;

/**
 * A value the conversation stated, as the fact tagger found it: its placeholder type ("time", "people"), its text
 * (normalised as the tokenizer reads it: lowercase) and the turn it came from.
 */
public record TrackedFact(String type, String value, long turn) {
    public TrackedFact {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
    }
}
