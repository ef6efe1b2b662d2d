package io.wmstream.model;

import java.util.Objects;
import java.util.Optional;

/**
 * What one utterance did to a conversation's memory. {@code state} is the memory to store: after the utterance,
 * and after the reply too when one was generated and replies feed back into memory. {@code memoryShift} is the
 * L2 distance between the memory before and right after the utterance (a salience signal). {@code reply} is null
 * when none was asked for. {@code tags} is the fact tagger's reading of the utterance, empty when the model has no
 * tagger. {@code reading} is the dialogue-state heads' reading of the utterance, empty when the model has none.
 */
public record TurnResult(float[] state, double memoryShift, int utteranceTokens, GeneratedReply reply,
        Optional<TokenTags> tags, Optional<StateReading> reading) {

    public TurnResult {
        Objects.requireNonNull(tags, "tags");
        Objects.requireNonNull(reading, "reading");
    }

    /** A result of a model without state heads. */
    public TurnResult(float[] state, double memoryShift, int utteranceTokens, GeneratedReply reply,
            Optional<TokenTags> tags) {
        this(state, memoryShift, utteranceTokens, reply, tags, Optional.empty());
    }

    /** A result of a model without a tagger. */
    public TurnResult(float[] state, double memoryShift, int utteranceTokens, GeneratedReply reply) {
        this(state, memoryShift, utteranceTokens, reply, Optional.empty());
    }
}
