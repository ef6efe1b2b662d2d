package io.wmstream.topology.summary;

import io.wmstream.model.TokenTags;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fact weights of an utterance's words from the tagger's reading of it: for each word ({@link
 * SalienceLexicon#words(String)} form) the highest probability, over the tokens it is part of, that the token is
 * part of a fact. Words below {@link #MIN_WEIGHT} are left out: they would add next to nothing to a summary's choice
 * and take room in every stored turn.
 */
public final class TaggedSalience {
    /** The lowest fact weight kept. */
    public static final float MIN_WEIGHT = 0.01f;

    private TaggedSalience() {
    }

    /** The word weights of the text tokens of {@code tags} (the role token and end of utterance left out). */
    public static Map<String, Float> wordWeights(TokenTags tags) {
        Map<String, Float> weights = new HashMap<>();
        List<String> tokens = tags.tokens();
        float[] probabilities = tags.factProbabilities();
        for (int t = 1; t < tokens.size() - 1; t++) {
            float p = probabilities[t];
            if (p < MIN_WEIGHT) {
                continue;
            }
            Set<String> words = SalienceLexicon.words(tokens.get(t));
            for (String word : words) {
                weights.merge(word, p, Math::max);
            }
        }
        return weights;
    }
}
