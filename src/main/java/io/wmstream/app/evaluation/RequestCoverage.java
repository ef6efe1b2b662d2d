package io.wmstream.app.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Request coverage: of the user turns that request attributes (MultiWOZ's {@code *-Request} dialogue acts, SGD's
 * {@code REQUEST} actions), the share whose reply gives every one of them. A reply gives an attribute when it holds
 * a placeholder of a type that carries it, left as a slot or filled ({@code [phone]} for a phone number,
 * {@code [time]} for a departure); an attribute no placeholder carries (MultiWOZ's parking and internet, SGD's
 * yes-or-no slots such as {@code has_live_music}) is given when the reply names it. A sentence score (one reply
 * against one turn's requests) and a corpus score (overall and per attribute).
 */
public final class RequestCoverage {
    /** The name printed in the signature of the figures. */
    public static final String NAME = "requested-attribute-as-placeholder-1";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\[([a-z_]+)\\]");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    /** MultiWOZ's request slots, lower case, to the placeholder types that carry them. */
    private static final Map<String, List<String>> MULTIWOZ_TYPES = Map.ofEntries(
            Map.entry("phone", List.of("phone")), Map.entry("addr", List.of("address")),
            Map.entry("post", List.of("postcode")), Map.entry("ref", List.of("reference")),
            Map.entry("fee", List.of("price")), Map.entry("ticket", List.of("price")),
            Map.entry("price", List.of("price_range", "price")), Map.entry("time", List.of("time", "number")),
            Map.entry("leave", List.of("time")), Map.entry("arrive", List.of("time")),
            Map.entry("car", List.of("car")), Map.entry("id", List.of("id")), Map.entry("area", List.of("place")),
            Map.entry("type", List.of("category")), Map.entry("food", List.of("food")),
            Map.entry("stars", List.of("count", "number")), Map.entry("name", List.of("name")),
            Map.entry("day", List.of("date")), Map.entry("people", List.of("people")),
            Map.entry("depart", List.of("place", "name")), Map.entry("dest", List.of("place", "name")));
    /** MultiWOZ's request slots no placeholder carries, to the words that name them. */
    private static final Map<String, List<String>> MULTIWOZ_WORDS = Map.of("parking", List.of("parking"),
            "internet", List.of("internet", "wifi"));
    /** Parts of SGD slot names to the placeholder types that carry them, the first match wins. */
    private static final List<Map.Entry<String, List<String>>> SGD_TYPES = List.of(
            Map.entry("phone", List.of("phone")), Map.entry("address", List.of("address")),
            Map.entry("zip", List.of("postcode")), Map.entry("postcode", List.of("postcode")),
            Map.entry("price", List.of("price", "price_range")), Map.entry("fare", List.of("price")),
            Map.entry("cost", List.of("price")), Map.entry("fee", List.of("price")),
            Map.entry("rent", List.of("price")),
            Map.entry("time", List.of("time")), Map.entry("date", List.of("date")),
            Map.entry("rating", List.of("number", "count")), Map.entry("number_of", List.of("count", "people",
                    "number")), Map.entry("city", List.of("place")), Map.entry("location", List.of("place")),
            Map.entry("area", List.of("place")), Map.entry("destination", List.of("place")),
            Map.entry("origin", List.of("place")), Map.entry("airport", List.of("place", "name")),
            Map.entry("station", List.of("place", "name")), Map.entry("name", List.of("name")),
            Map.entry("title", List.of("title")), Map.entry("cuisine", List.of("food")),
            Map.entry("category", List.of("category")), Map.entry("type", List.of("category")),
            Map.entry("genre", List.of("category")));
    /** Words of SGD slot names that say nothing about what is asked ("has_live_music" names "live music"). */
    private static final Set<String> SGD_FILLER_WORDS = Set.of("has", "is", "serves", "are", "allowed", "of", "the",
            "to", "in", "for");

    private long turns;
    private long covered;
    /** Per attribute: turns that requested it, and those whose reply gave it. */
    private final Map<String, long[]> byAttribute = new TreeMap<>();

    /**
     * The attributes a log line requests: {@code multiwoz:slot} for its {@code *-Request} dialogue acts,
     * {@code sgd:slot} for its frames' {@code REQUEST} actions; sorted, each once; empty when it requests none.
     */
    public static List<String> requested(JsonNode line) {
        if (line == null) {
            return List.of();
        }
        Set<String> attributes = new TreeSet<>();
        JsonNode annotations = line.path("annotations");
        JsonNode acts = annotations.get("dialog_act");
        if (acts != null && acts.isObject()) {
            acts.properties().forEach(act -> {
                if (act.getKey().endsWith("-Request") && act.getValue().isArray()) {
                    act.getValue().forEach(pair -> {
                        String slot = pair.path(0).asText("").toLowerCase(Locale.ROOT);
                        if (!slot.isEmpty() && !slot.equals("none")) {
                            attributes.add("multiwoz:" + slot);
                        }
                    });
                }
            });
        }
        JsonNode frames = annotations.get("frames");
        if (frames != null && frames.isArray()) {
            frames.forEach(frame -> frame.path("actions").forEach(action -> {
                String slot = action.path("slot").asText("").toLowerCase(Locale.ROOT);
                if ("REQUEST".equals(action.path("act").asText()) && !slot.isEmpty()) {
                    attributes.add("sgd:" + slot);
                }
            }));
        }
        return List.copyOf(attributes);
    }

    /** Whether {@code reply} (a Reply record as JSON) gives {@code attribute} ({@link #requested}). */
    public static boolean gives(String attribute, JsonNode reply) {
        String text = reply.path("text").asText("").toLowerCase(Locale.ROOT);
        List<String> types = typesOf(attribute);
        if (!types.isEmpty()) {
            Set<String> given = placeholderTypes(reply, text);
            return types.stream().anyMatch(given::contains);
        }
        Set<String> words = new HashSet<>();
        Matcher matcher = WORD.matcher(text);
        while (matcher.find()) {
            words.add(matcher.group());
        }
        List<String> names = namesOf(attribute);
        return !names.isEmpty() && names.stream().anyMatch(words::contains);
    }

    /** The placeholder types that carry an attribute; empty for those only words name. */
    static List<String> typesOf(String attribute) {
        int colon = attribute.indexOf(':');
        String slot = attribute.substring(colon + 1);
        if (attribute.startsWith("multiwoz:")) {
            return MULTIWOZ_TYPES.getOrDefault(slot, List.of());
        }
        for (Map.Entry<String, List<String>> entry : SGD_TYPES) {
            if (slot.contains(entry.getKey())) {
                return entry.getValue();
            }
        }
        return List.of();
    }

    /** The words that name an attribute no placeholder carries. */
    private static List<String> namesOf(String attribute) {
        String slot = attribute.substring(attribute.indexOf(':') + 1);
        if (attribute.startsWith("multiwoz:")) {
            return MULTIWOZ_WORDS.getOrDefault(slot, List.of(slot));
        }
        List<String> names = new ArrayList<>();
        for (String part : slot.split("_")) {
            if (!part.isEmpty() && !SGD_FILLER_WORDS.contains(part)) {
                names.add(part);
            }
        }
        return names;
    }

    /** The types of the reply's slots, filled values and the markers its text still holds. */
    private static Set<String> placeholderTypes(JsonNode reply, String text) {
        Set<String> types = new HashSet<>();
        reply.path("slots").forEach(slot -> types.add(slot.path("type").asText()));
        reply.path("filled").forEach(value -> types.add(value.path("type").asText()));
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            types.add(matcher.group(1));
        }
        return types;
    }

    /** Adds a user turn's requested attributes (none: nothing is counted) and the reply to it. */
    public void add(List<String> requested, JsonNode reply) {
        if (requested.isEmpty()) {
            return;
        }
        turns++;
        boolean all = true;
        for (String attribute : requested) {
            boolean given = gives(attribute, reply);
            long[] counts = byAttribute.computeIfAbsent(attribute, a -> new long[2]);
            counts[0]++;
            counts[1] += given ? 1 : 0;
            all &= given;
        }
        covered += all ? 1 : 0;
    }

    /** User turns with a request that were answered. */
    public long turns() {
        return turns;
    }

    /** The share of those whose reply gives every requested attribute. */
    public double rate() {
        return turns == 0 ? 0 : (double) covered / turns;
    }

    /** Puts the figures into {@code node}: signature, turns, covered, coverage; turns and coverage by attribute. */
    ObjectNode putInto(ObjectNode node) {
        node.put("signature", "requests:multiwoz-Request-acts+sgd-REQUEST-actions|given:" + NAME);
        node.put("turns", turns);
        node.put("covered", covered);
        node.put("coverage", Rounding.round(rate()));
        ObjectNode attributes = node.putObject("byAttribute");
        byAttribute.forEach((attribute, counts) -> {
            ObjectNode one = attributes.putObject(attribute);
            one.put("turns", counts[0]);
            one.put("coverage", Rounding.round(counts[0] == 0 ? 0 : (double) counts[1] / counts[0]));
        });
        return node;
    }
}
