package io.wmstream.model.decoding;

import java.util.Locale;

/** How a reply's next token is chosen ({@code wm.decoding.strategy}). */
public enum DecodingStrategy {
    /** The most likely token; ties go to the lowest id. */
    GREEDY,
    /** A draw from the temperature-scaled, top-k and top-p restricted distribution, seeded per turn. */
    SAMPLE;

    /** Parses {@code greedy} or {@code sample} (case-insensitive). */
    public static DecodingStrategy parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "greedy" -> GREEDY;
            case "sample" -> SAMPLE;
            default -> throw new IllegalArgumentException("Unknown decoding strategy '" + text
                    + "': expected greedy or sample");
        };
    }
}
