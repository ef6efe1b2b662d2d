package io.wmstream.model.decoding;

import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The sentence a steered reply answers a request with, per request type: "the phone number is [phone] .", as the
 * model's vocabulary spells it (lowercase words; the reply's presentation restores the case). A phrase is written
 * where a sentence may start, so the reply gives what was asked as a sentence of its own, between the model's own
 * sentences, instead of a placeholder or a naming word pushed into the middle of one ("I have many time that meet
 * your criteria"). Immutable and thread-safe.
 */
public final class AnswerPhrases {
    /**
     * Per placeholder type, the words of its answer. Types ask for one attribute of what the conversation is about
     * (a venue, a train, a booking), so "it" and "the" read right whatever the domain. Counts and numbers have
     * none: they measure too many things (stars, nights, rooms, ratings) for one sentence to fit.
     */
    private static final Map<String, List<String>> WORDS = Map.ofEntries(
            Map.entry("phone", List.of("the", "phone", "number", "is", "[phone]", ".")),
            Map.entry("address", List.of("the", "address", "is", "[address]", ".")),
            Map.entry("postcode", List.of("the", "postcode", "is", "[postcode]", ".")),
            Map.entry("reference", List.of("the", "reference", "number", "is", "[reference]", ".")),
            Map.entry("price", List.of("the", "price", "is", "[price]", ".")),
            Map.entry("price_range", List.of("it", "is", "in", "the", "[price_range]", "price", "range", ".")),
            Map.entry("time", List.of("the", "time", "is", "[time]", ".")),
            Map.entry("date", List.of("the", "date", "is", "[date]", ".")),
            Map.entry("id", List.of("the", "train", "id", "is", "[id]", ".")),
            Map.entry("car", List.of("the", "car", "is", "a", "[car]", ".")),
            Map.entry("place", List.of("it", "is", "in", "the", "[place]", ".")),
            Map.entry("category", List.of("it", "is", "a", "[category]", ".")),
            Map.entry("food", List.of("it", "serves", "[food]", "food", ".")),
            Map.entry("name", List.of("the", "name", "is", "[name]", ".")),
            Map.entry("people", List.of("it", "is", "for", "[people]", "people", ".")),
            Map.entry("title", List.of("the", "title", "is", "[title]", ".")),
            Map.entry("person", List.of("the", "name", "is", "[person]", ".")));

    private AnswerPhrases() {
    }

    /**
     * The token ids of a type's answer, or null when the type has none or the vocabulary lacks one of its words
     * (that type is then steered by its naming word and placeholder alone).
     */
    public static int[] of(String type, ToIntFunction<String> tokenId) {
        List<String> words = WORDS.get(type);
        if (words == null) {
            return null;
        }
        int[] ids = new int[words.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tokenId.applyAsInt(words.get(i));
            if (ids[i] < 0) {
                return null;
            }
        }
        return ids;
    }
}
