package io.wmstream.topology.memory;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One utterance the working memory keeps: its turn, speaker, (possibly shortened) text and salience, and, when the
 * model has a fact tagger, how likely each of its words is to be part of a fact in that context ({@code factWeights}:
 * lexicon-form words, see {@code SalienceLexicon.words}, to the tagger's probability; words not listed weigh
 * nothing). {@code factWeights} is null when the turn was not tagged, and summaries then weigh its words by the
 * salience lexicon.
 */
public record RememberedTurn(long turn, String speaker, String text, double salience, Map<String, Float> factWeights) {
    public RememberedTurn {
        Objects.requireNonNull(speaker, "speaker");
        Objects.requireNonNull(text, "text");
        // Sorted, so that the stored bytes never depend on hashing.
        factWeights = factWeights == null ? null : Collections.unmodifiableMap(new TreeMap<>(factWeights));
    }

    /** A turn that was not tagged. */
    public RememberedTurn(long turn, String speaker, String text, double salience) {
        this(turn, speaker, text, salience, null);
    }

    /** Whether the fact tagger read this turn. */
    public boolean tagged() {
        return factWeights != null;
    }
}
