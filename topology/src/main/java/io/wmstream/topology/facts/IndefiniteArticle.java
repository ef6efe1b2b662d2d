package io.wmstream.topology.facts;

import java.util.List;
import java.util.Locale;

/**
 * Whether a value put into a reply right after the article "a" needs "an": the model writes "a [price_range]
 * restaurant" without knowing the value, and "a expensive restaurant" is not English. By the value's first letter,
 * with the common exceptions where the sound is not the letter's ("a European", "a one-star", "a unique"); "h" is
 * left alone ("a hotel", "an hour" cannot be told apart by spelling).
 */
final class IndefiniteArticle {
    private static final List<String> CONSONANT_SOUNDS = List.of("eu", "one", "once", "u");

    private IndefiniteArticle() {
    }

    /** Whether {@code before} ends with the word "a" and a space, and {@code value} starts with a vowel sound. */
    static boolean wantsAn(CharSequence before, String value) {
        int n = before.length();
        if (n < 2 || before.charAt(n - 1) != ' ' || Character.toLowerCase(before.charAt(n - 2)) != 'a') {
            return false;
        }
        if (n >= 3 && Character.isLetterOrDigit(before.charAt(n - 3))) {
            return false;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.isEmpty() || "aeio".indexOf(lower.charAt(0)) < 0) {
            return false;
        }
        return CONSONANT_SOUNDS.stream().noneMatch(lower::startsWith);
    }
}
