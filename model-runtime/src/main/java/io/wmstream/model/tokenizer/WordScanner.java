package io.wmstream.model.tokenizer;

import java.util.List;

/**
 * Step 5 of a wm-word spec: the left-to-right scan of normalised, classified code points into token strings. The
 * one part in which the specs differ, so each spec is one implementation, chosen by name.
 */
interface WordScanner {

    /**
     * Appends the tokens of {@code codePoints}, whose classes ({@link CodePoints}) are {@code classes}, and, when
     * {@code starts} is not null, the index in {@code codePoints} where each begins (a token is the code points from
     * there, as many as it has).
     */
    void scan(int[] codePoints, int[] classes, List<String> out, List<Integer> starts);

    /** The scanner of a spec, or null when this runtime does not implement it. */
    static WordScanner forSpec(String spec, List<String> placeholders) {
        return switch (spec) {
            case LetterWordScanner.SPEC_NAME -> new LetterWordScanner();
            case AlphanumericWordScanner.SPEC_NAME -> new AlphanumericWordScanner(placeholders);
            default -> null;
        };
    }
}
