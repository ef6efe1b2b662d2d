package io.wmstream.model;

import java.util.Objects;

/**
 * A value the fact tagger found in an utterance: a run of consecutive tokens given the same placeholder type.
 *
 * @param type the placeholder type without brackets ("time", "reference")
 * @param text the value's tokens joined as a reply joins them (normalised: lowercase, NFKC)
 * @param position the index of its first token in {@link TokenTags} (0 is the role token)
 * @param length how many tokens it spans
 * @param probability the mean over its tokens of the tagger's probability that a token is part of a fact
 * @param source the value as the utterance wrote it: the original characters from its first token's to its last
 *     token's (capitals, accents and apostrophes kept, before NFKC and lowercasing); {@code text} when they are not
 *     known
 */
public record TaggedValue(String type, String text, int position, int length, double probability, String source) {
    public TaggedValue {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(source, "source");
        if (position < 0 || length < 1) {
            throw new IllegalArgumentException("position " + position + " and length " + length + " are invalid");
        }
    }

    /** A value whose original characters are not known: its source is its normalised text. */
    public TaggedValue(String type, String text, int position, int length, double probability) {
        this(type, text, position, length, probability, text);
    }
}
