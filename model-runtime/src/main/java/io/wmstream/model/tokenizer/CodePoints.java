package io.wmstream.model.tokenizer;

import java.text.Normalizer;
import java.util.Arrays;

/**
 * Steps 1 to 4 of every wm-word spec: NFKC, per-code-point lowercase, apostrophe folding, and the class of each
 * normalised code point. The specs differ only in how they scan the classified code points into words.
 */
final class CodePoints {
    static final int SPACE = 0;
    static final int IGNORED = 1;
    static final int LETTER = 2;
    static final int MARK = 3;
    static final int DIGIT = 4;
    static final int OTHER = 5;

    private CodePoints() {
    }

    /** Steps 1 to 3: NFKC, per-code-point full lowercase, apostrophe folding; as code points. */
    static int[] normalize(String text) {
        String nfkc = Normalizer.normalize(text, Normalizer.Form.NFKC);
        int[] out = new int[nfkc.length() + 8];
        int n = 0;
        for (int i = 0; i < nfkc.length(); ) {
            int cp = nfkc.codePointAt(i);
            i += Character.charCount(cp);
            if (n + 2 > out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            if (cp == 0x130) {
                // The one unconditional multi-code-point lowercase mapping (SpecialCasing.txt).
                out[n++] = 'i';
                out[n++] = 0x307;
            } else {
                out[n++] = lowerOne(cp);
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * Steps 1 to 3 with where each normalised code point came from: {@code from[k]} and {@code to[k]} are the char
     * offsets in {@code text} of the piece that gave code point {@code k}. A piece is a code point with the marks that
     * follow it (NFKC composes only within such pieces in practice), normalised on its own; when the pieces do not
     * give the whole text's normalisation, null (no offsets are then better than wrong ones).
     */
    static Traced normalizeTraced(String text) {
        int[] whole = normalize(text);
        int[] codePoints = new int[whole.length];
        int[] from = new int[whole.length];
        int[] to = new int[whole.length];
        int n = 0;
        int start = 0;
        while (start < text.length()) {
            int end = start + Character.charCount(text.codePointAt(start));
            while (end < text.length() && continuesPiece(text.codePointAt(end))) {
                end += Character.charCount(text.codePointAt(end));
            }
            for (int cp : normalize(text.substring(start, end))) {
                if (n == whole.length || whole[n] != cp) {
                    return null;
                }
                codePoints[n] = cp;
                from[n] = start;
                to[n] = end;
                n++;
            }
            start = end;
        }
        return n == whole.length ? new Traced(codePoints, from, to) : null;
    }

    /** A combining mark, or a Hangul medial or final jamo (which NFKC composes with the syllable before it). */
    private static boolean continuesPiece(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK || (cp >= 0x1160 && cp <= 0x11FF);
    }

    /** Normalised code points and the char range of the original text each came from. */
    record Traced(int[] codePoints, int[] from, int[] to) {
    }

    /** Steps 2 and 3 for one code point other than U+0130: its lowercase, apostrophes folded. */
    static int lowerOne(int cp) {
        int lower = cp < 0x80 ? (cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp) : Character.toLowerCase(cp);
        return lower == 0x2019 || lower == 0x2018 || lower == 0x2BC ? '\'' : lower;
    }

    /** Step 4 over a whole normalised text. */
    static int[] classify(int[] codePoints) {
        int[] classes = new int[codePoints.length];
        for (int i = 0; i < codePoints.length; i++) {
            classes[i] = classify(codePoints[i]);
        }
        return classes;
    }

    /** Step 4: the class of a (normalised) code point. */
    static int classify(int cp) {
        if ((cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F) || cp == 0x85) {
            return SPACE;
        }
        int type = Character.getType(cp);
        switch (type) {
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR:
                return SPACE;
            default:
                break;
        }
        if (cp >= '0' && cp <= '9') {
            return DIGIT;
        }
        return switch (type) {
            case Character.CONTROL, Character.FORMAT -> IGNORED;
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.NON_SPACING_MARK, Character.COMBINING_SPACING_MARK, Character.ENCLOSING_MARK -> MARK;
            default -> OTHER;
        };
    }
}
