package io.wmstream.app.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tokeniser of the reply metrics (BLEU, ROUGE-L), the same for a reply and its reference so that a log's own
 * tokenisation does not count: lower case ({@link Locale#ROOT}); clitics split off by MultiWOZ's tokenisation
 * ("does n't", "i 'm") joined back to their word; then a token is a placeholder such as {@code [time]}, a word of
 * letters and digits that may hold an apostrophe, period, colon, comma, slash or hyphen between two of them
 * ("doesn't", "12.50", "8:00", "north-east"), or any other single character but white space (punctuation).
 */
public final class ReplyTokenizer {
    /** The name printed in every reply score's signature. */
    public static final String NAME = "wm-words-1";

    private static final Pattern CLITIC = Pattern.compile("\\s+(?=(?:n't|'s|'re|'ll|'d|'m|'ve)(?![\\p{L}\\p{N}]))");
    private static final Pattern TOKEN = Pattern.compile(
            "\\[[a-z_]+\\]|[\\p{L}\\p{N}]+(?:['’.:,/-][\\p{L}\\p{N}]+)*|[^\\s\\p{L}\\p{N}]");

    private ReplyTokenizer() {
    }

    /** The tokens of {@code text}; none for null or blank text. */
    public static List<String> tokens(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        String joined = CLITIC.matcher(text.toLowerCase(Locale.ROOT)).replaceAll("");
        List<String> tokens = new ArrayList<>();
        Matcher matcher = TOKEN.matcher(joined);
        while (matcher.find()) {
            tokens.add(matcher.group());
        }
        return tokens;
    }
}
