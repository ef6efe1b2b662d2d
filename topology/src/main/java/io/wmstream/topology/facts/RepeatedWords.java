package io.wmstream.topology.facts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds the values put into a filled reply that repeat a word 3-gram of it. Words are runs of letters and digits
 * (lower-cased) and placeholders ("[phone]"), as in decoding's ban; punctuation is not a word.
 */
final class RepeatedWords {
    private static final int ORDER = 3;

    private RepeatedWords() {
    }

    /**
     * The index in {@code spans} (each {start, end, ...} in chars of {@code text}) of the last span that overlaps a
     * repeated 3-gram's second occurrence or the occurrence it repeats; -1 when no 3-gram repeats or none of the
     * spans takes part in one.
     */
    static int lastSpanInRepeat(String text, List<int[]> spans) {
        if (spans.isEmpty()) {
            return -1;
        }
        List<int[]> words = words(text);
        Map<String, Integer> first = new HashMap<>();
        int found = -1;
        for (int w = 0; w + ORDER <= words.size(); w++) {
            StringBuilder key = new StringBuilder();
            for (int k = w; k < w + ORDER; k++) {
                int[] word = words.get(k);
                key.append(text, word[0], word[1]).append(' ');
            }
            Integer before = first.putIfAbsent(key.toString().toLowerCase(Locale.ROOT), w);
            if (before != null) {
                found = Math.max(found, lastOverlapping(spans, words, before, w));
            }
        }
        return found;
    }

    /** The last span overlapping the words of either occurrence, or -1. */
    private static int lastOverlapping(List<int[]> spans, List<int[]> words, int one, int other) {
        int found = -1;
        for (int s = 0; s < spans.size(); s++) {
            int[] span = spans.get(s);
            if (overlaps(span, words, one) || overlaps(span, words, other)) {
                found = s;
            }
        }
        return found;
    }

    private static boolean overlaps(int[] span, List<int[]> words, int at) {
        int start = words.get(at)[0];
        int end = words.get(at + ORDER - 1)[1];
        return span[0] < end && start < span[1];
    }

    /** Each word's start and end in chars. */
    private static List<int[]> words(String text) {
        List<int[]> words = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            if (text.charAt(i) == '[') {
                int close = text.indexOf(']', i + 1);
                if (close > i + 1) {
                    words.add(new int[] {i, close + 1});
                    i = close + 1;
                    continue;
                }
            }
            int cp = text.codePointAt(i);
            if (!Character.isLetterOrDigit(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            int j = i;
            while (j < text.length() && Character.isLetterOrDigit(text.codePointAt(j))) {
                j += Character.charCount(text.codePointAt(j));
            }
            words.add(new int[] {i, j});
            i = j;
        }
        return words;
    }
}
