package io.wmstream.model.decoding;

import java.util.List;

/**
 * The next tokens that would make a reply repeat itself, banned while it is decoded: a token that would complete an
 * n-gram of words the reply already holds (as generation libraries' {@code no_repeat_ngram_size} does), and an end
 * of sentence or of reply that would close a sentence whose words an earlier sentence of the reply already had.
 * Words are the tokens with a letter or a digit, placeholders included ("[phone]"); punctuation is not a word, so
 * "the phone number is [phone]. the phone number is" cannot be followed by "[phone]" nor reach it in the first place.
 * A placeholder of one of the {@link #ONCE} types, an attribute of the one thing a reply is about, is banned once the
 * reply holds it, and so is the word naming it: "The phone number is [phone]. The phone is [phone]." repeats itself
 * in other words, and banning the second placeholder alone lets the sentence end in another value ("The phone is
 * [reference].").
 * Immutable and thread-safe.
 */
public final class RepeatBlocker {
    /** The n-gram size of {@code wm.decoding.no.repeat.ngram.size}'s default. */
    public static final int DEFAULT_NGRAM_SIZE = 3;

    private final int ngramSize;
    private final boolean[] word;
    private final boolean[] sentenceEnd;
    private final int[] closers;
    /** Per {@link #ONCE} type in the vocabulary: its placeholder's id, then its naming word's id or -1. */
    private final int[][] once;

    /**
     * Placeholder types a reply gives at most once: on MultiWOZ `test` 4 % of replies gave one of them twice (the
     * same unfilled phone or reference in other words). Types that come in pairs (times, places, names, prices of
     * two options, cars of two bookings) are not in it.
     */
    static final List<String> ONCE = List.of("phone", "address", "postcode", "reference");

    /**
     * A blocker for a vocabulary: {@code ngramSize} 0 bans nothing, neither n-grams nor repeated sentences (the
     * plain decoding rule that a bundle's golden replies follow); {@code stopToken} ends a reply, and so its last
     * sentence.
     */
    public RepeatBlocker(List<String> vocabulary, int stopToken, int ngramSize) {
        if (ngramSize < 0) {
            throw new IllegalArgumentException("ngramSize must be >= 0, got " + ngramSize);
        }
        this.ngramSize = ngramSize;
        this.word = new boolean[vocabulary.size()];
        this.sentenceEnd = new boolean[vocabulary.size()];
        int ends = 0;
        for (int id = 0; id < vocabulary.size(); id++) {
            String token = vocabulary.get(id);
            // Special tokens (<unk>, <eou>, roles) hold letters but are never part of a reply's text.
            boolean special = token.startsWith("<") && token.endsWith(">");
            word[id] = !special && token.codePoints().anyMatch(Character::isLetterOrDigit);
            sentenceEnd[id] = isSentenceEnd(token);
            ends += sentenceEnd[id] ? 1 : 0;
        }
        this.closers = new int[ends + 1];
        int k = 0;
        for (int id = 0; id < sentenceEnd.length; id++) {
            if (sentenceEnd[id]) {
                closers[k++] = id;
            }
        }
        closers[k] = stopToken;
        this.once = ONCE.stream().filter(type -> vocabulary.contains("[" + type + "]"))
                .map(type -> new int[] {vocabulary.indexOf("[" + type + "]"), vocabulary.indexOf(type)})
                .toArray(int[][]::new);
    }

    /** ".", "?" and "!" end a sentence. */
    static boolean isSentenceEnd(String token) {
        return token.equals(".") || token.equals("?") || token.equals("!");
    }

    /** Whether the token counts as a word. */
    public boolean isWord(int id) {
        return word[id];
    }

    /** The most ids {@link #banned} writes: size {@code out} to this. */
    public int maxBanned(int maxTokens) {
        return maxTokens + closers.length + 2 * once.length;
    }

    /**
     * Writes into {@code out} the ids that must not follow {@code tokens[0..count)} and returns how many (an id may
     * appear twice).
     */
    public int banned(int[] tokens, int count, int[] out) {
        int n = 0;
        int words = 0;
        for (int i = 0; i < count; i++) {
            words += word[tokens[i]] ? 1 : 0;
        }
        if (ngramSize > 0 && words >= ngramSize - 1) {
            n = bannedByNgrams(tokens, count, words, out);
        }
        if (ngramSize > 0 && repeatsSentence(tokens, count)) {
            System.arraycopy(closers, 0, out, n, closers.length);
            n += closers.length;
        }
        if (ngramSize > 0) {
            for (int[] type : once) {
                if (holds(tokens, count, type[0])) {
                    out[n++] = type[0];
                    if (type[1] >= 0) {
                        out[n++] = type[1];
                    }
                }
            }
        }
        return n;
    }

    private static boolean holds(int[] tokens, int count, int id) {
        for (int i = 0; i < count; i++) {
            if (tokens[i] == id) {
                return true;
            }
        }
        return false;
    }

    /** For each earlier occurrence of the last n-1 words, the word that followed it. */
    private int bannedByNgrams(int[] tokens, int count, int words, int[] out) {
        int prefix = ngramSize - 1;
        int[] wordIds = new int[words];
        int w = 0;
        for (int i = 0; i < count; i++) {
            if (word[tokens[i]]) {
                wordIds[w++] = tokens[i];
            }
        }
        int n = 0;
        for (int start = 0; start + prefix < words; start++) {
            boolean same = true;
            for (int k = 0; k < prefix && same; k++) {
                same = wordIds[start + k] == wordIds[words - prefix + k];
            }
            if (same) {
                out[n++] = wordIds[start + prefix];
            }
        }
        return n;
    }

    /** Whether the words of the open sentence (after the last sentence end) equal those of an earlier sentence. */
    private boolean repeatsSentence(int[] tokens, int count) {
        int open = count;
        while (open > 0 && !sentenceEnd[tokens[open - 1]]) {
            open--;
        }
        if (!hasWord(tokens, open, count)) {
            return false;
        }
        int end = open - 1;
        while (end > 0) {
            int start = end;
            while (start > 0 && !sentenceEnd[tokens[start - 1]]) {
                start--;
            }
            if (sameWords(tokens, start, end, open, count)) {
                return true;
            }
            end = start - 1;
        }
        return false;
    }

    private boolean hasWord(int[] tokens, int from, int to) {
        for (int i = from; i < to; i++) {
            if (word[tokens[i]]) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code tokens[a..aEnd)} and {@code tokens[b..bEnd)} hold the same words in the same order. */
    private boolean sameWords(int[] tokens, int a, int aEnd, int b, int bEnd) {
        int i = a;
        int j = b;
        while (true) {
            while (i < aEnd && !word[tokens[i]]) {
                i++;
            }
            while (j < bEnd && !word[tokens[j]]) {
                j++;
            }
            if (i == aEnd || j == bEnd) {
                return i == aEnd && j == bEnd;
            }
            if (tokens[i] != tokens[j]) {
                return false;
            }
            i++;
            j++;
        }
    }
}
