package io.wmstream.topology.summary;

import io.wmstream.topology.memory.RememberedTurn;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How much an utterance matters to the conversation, as the working memory judges it:
 * {@code shift x (1 + novelty) x role weight}, where {@code shift} is how far the utterance moved the memory
 * (the L2 distance between the GRU states before and after it), {@code novelty} the share of its words the memory
 * had not kept yet (a repeat adds little), and the role weight favours the speakers whose words carry the
 * conversation's facts (users state what they want; replies mostly restate it).
 */
public final class SalienceScorer {
    private static final double USER_WEIGHT = 1.0;
    private static final double OTHER_WEIGHT = 0.6;

    private SalienceScorer() {
    }

    public static double score(double memoryShift, String speaker, String text, List<RememberedTurn> remembered) {
        Set<String> words = words(text);
        if (words.isEmpty()) {
            return 0.0;
        }
        Set<String> known = new HashSet<>();
        for (RememberedTurn turn : remembered) {
            known.addAll(words(turn.text()));
        }
        long fresh = words.stream().filter(w -> !known.contains(w)).count();
        double novelty = (double) fresh / words.size();
        double roleWeight = "user".equals(speaker.toLowerCase(Locale.ROOT)) ? USER_WEIGHT : OTHER_WEIGHT;
        return memoryShift * (1.0 + novelty) * roleWeight;
    }

    /** Lowercased runs of letters and digits. */
    static Set<String> words(String text) {
        Set<String> words = new HashSet<>();
        StringBuilder word = new StringBuilder();
        text.toLowerCase(Locale.ROOT).codePoints().forEach(cp -> {
            if (Character.isLetterOrDigit(cp)) {
                word.appendCodePoint(cp);
            } else if (word.length() > 0) {
                words.add(word.toString());
                word.setLength(0);
            }
        });
        if (word.length() > 0) {
            words.add(word.toString());
        }
        return words;
    }
}
