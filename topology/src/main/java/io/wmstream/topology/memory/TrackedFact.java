package io.wmstream.topology.memory;

import java.util.Objects;

/**
 * A value the conversation stated, as the fact tagger found it: its placeholder type ("time", "people"), its text
 * (the original characters of the utterance, capitals kept, from a model runtime that knows them; memory saved
 * before that holds the tokenizer's lowercase form) and the turn it came from.
 */
public record TrackedFact(String type, String value, long turn) {
    public TrackedFact {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
    }
}
