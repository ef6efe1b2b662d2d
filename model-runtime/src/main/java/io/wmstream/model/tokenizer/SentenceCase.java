package io.wmstream.model.tokenizer;

import java.util.Locale;
import java.util.Set;

/**
 * Writes a reply decoded in the tokenizer's lowercase as people write it: the first letter of every sentence
 * capitalised, and the words English always capitalises ("I", "I'm", days of the week, months but "may" and
 * "march", which are more often a verb). A sentence starts at the text's start and after ".", "?" or "!" followed by
 * white space ("12.50" goes on). Placeholders ({@code [name]}) stay as they are: a backend or the filler puts the
 * value there. Each change maps one code point to one (its title case), so the text keeps its length in code
 * points. Deterministic and independent of the default locale.
 */
public final class SentenceCase {
    private static final Set<String> ALWAYS_CAPITALISED = Set.of("i", "i'm", "i'd", "i'll", "i've", "monday",
            "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "april", "june",
            "july", "august", "september", "october", "november", "december");

    private SentenceCase() {
    }

    /** {@code text} in sentence case. */
    public static String apply(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            if (cp == '[') {
                int close = text.indexOf(']', i);
                int end = close < 0 ? text.length() : close + 1;
                out.append(text, i, end);
                i = end;
                continue;
            }
            if (!Character.isLetterOrDigit(cp)) {
                out.appendCodePoint(cp);
                i += Character.charCount(cp);
                continue;
            }
            int end = wordEnd(text, i);
            String word = text.substring(i, end);
            if (startsSentence(text, i) || ALWAYS_CAPITALISED.contains(word.toLowerCase(Locale.ROOT))) {
                out.append(capitalised(word));
            } else {
                out.append(word);
            }
            i = end;
        }
        return out.toString();
    }

    /** {@code word} with its first code point in title case when it is a lowercase letter. */
    public static String capitalised(String word) {
        if (word.isEmpty()) {
            return word;
        }
        int first = word.codePointAt(0);
        if (!Character.isLowerCase(first)) {
            return word;
        }
        return new StringBuilder(word.length()).appendCodePoint(Character.toTitleCase(first))
                .append(word, Character.charCount(first), word.length()).toString();
    }

    /**
     * Whether a word at char offset {@code at} of {@code text} starts a sentence: nothing but white space and
     * opening punctuation before it, back to the text's start or to a sentence's end followed by white space.
     */
    public static boolean startsSentence(String text, int at) {
        int i = at;
        boolean space = false;
        while (i > 0) {
            int cp = text.codePointBefore(i);
            if (Character.isWhitespace(cp)) {
                space = true;
            } else if (cp == '.' || cp == '?' || cp == '!') {
                return space;
            } else if (!isOpening(cp)) {
                return false;
            }
            i -= Character.charCount(cp);
        }
        return true;
    }

    private static boolean isOpening(int cp) {
        int type = Character.getType(cp);
        return type == Character.START_PUNCTUATION || type == Character.INITIAL_QUOTE_PUNCTUATION || cp == '"'
                || cp == '\'';
    }

    /** The end of the word at {@code at}: letters, marks, digits, and an apostrophe before a letter. */
    private static int wordEnd(String text, int at) {
        int j = at;
        while (j < text.length()) {
            int cp = text.codePointAt(j);
            int type = Character.getType(cp);
            if (Character.isLetterOrDigit(cp) || type == Character.NON_SPACING_MARK
                    || type == Character.COMBINING_SPACING_MARK) {
                j += Character.charCount(cp);
            } else if (cp == '\'' && j + 1 < text.length() && Character.isLetter(text.codePointAt(j + 1))) {
                j += 1;
            } else {
                break;
            }
        }
        return j;
    }
}
