package io.wmstream.app.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.app.evaluation.StateSlots;
import io.wmstream.schemas.json.CanonicalJson;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One reply as a turn of the MultiWOZ end-to-end evaluator's input (mwzeval, Tomiinek/MultiWOZ_Evaluation):
 * {@code response}, the reply delexicalised with mwzeval's placeholder names, and {@code state}, the dialogue state
 * after the user turn it answers in MultiWOZ 2.2's domain and slot names.
 *
 * <p>The response is the reply's text with each filled value and each placeholder left put back as a placeholder.
 * Where wmstream's type is wider than MultiWOZ's slots (a place is an area, a departure or a destination), the
 * filled value's slot in the reply's state tells which; a value no slot holds gets the type's general name.
 */
final class MwzevalTurn {
    /** wmstream placeholder types to mwzeval's names where one name fits whatever the value. */
    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("name", "value_name"), Map.entry("address", "value_address"),
            Map.entry("postcode", "value_postcode"), Map.entry("phone", "value_phone"),
            Map.entry("reference", "value_reference"), Map.entry("id", "value_id"), Map.entry("car", "value_car"),
            Map.entry("food", "value_food"), Map.entry("category", "value_type"), Map.entry("price", "value_price"),
            Map.entry("price_range", "value_pricerange"), Map.entry("date", "value_day"),
            Map.entry("people", "value_people"),
            // MultiWOZ has no titles or persons: both name something, and mwzeval has no nearer name.
            Map.entry("title", "value_name"), Map.entry("person", "value_name"),
            // The filler's slot for a number the model wrote out that the conversation never gave.
            Map.entry("number", "value_count"));

    /** mwzeval's names of a typed value by the role of the state slot that holds it ({@code place.from}). */
    private static final Map<String, String> BY_ROLE = Map.of(
            "place.from", "value_departure", "place.to", "value_destination", "place", "value_area",
            "time.leave", "value_leave", "time.arrive", "value_arrive", "count.stars", "value_stars",
            "count.stay", "value_stay");

    /** A type's name when no state slot holds its value: what it most often is in a MultiWOZ system turn. */
    private static final Map<String, String> GENERAL = Map.of("place", "value_place", "time", "value_time",
            "count", "value_choice");

    /** MultiWOZ's areas: a place that is one is an area even when the state does not hold it. */
    private static final Set<String> AREAS = Set.of("centre", "center", "north", "south", "east", "west");

    /**
     * wmstream's state slots ({@code domain.type[.role]}) to MultiWOZ 2.2's domain and slot; the others (SGD's
     * domains, and slots MultiWOZ has not, such as a taxi's car) have no MultiWOZ name and are left out.
     */
    static final Map<String, List<String>> STATE_SLOTS = Map.ofEntries(
            Map.entry("restaurant.place", List.of("restaurant", "area")),
            Map.entry("restaurant.food", List.of("restaurant", "food")),
            Map.entry("restaurant.price_range", List.of("restaurant", "pricerange")),
            Map.entry("restaurant.name", List.of("restaurant", "name")),
            Map.entry("restaurant.time", List.of("restaurant", "book time")),
            Map.entry("restaurant.date", List.of("restaurant", "book day")),
            Map.entry("restaurant.people", List.of("restaurant", "book people")),
            Map.entry("hotel.place", List.of("hotel", "area")),
            Map.entry("hotel.category", List.of("hotel", "type")),
            Map.entry("hotel.price_range", List.of("hotel", "pricerange")),
            Map.entry("hotel.name", List.of("hotel", "name")),
            Map.entry("hotel.count.stars", List.of("hotel", "stars")),
            Map.entry("hotel.count.stay", List.of("hotel", "book stay")),
            Map.entry("hotel.date", List.of("hotel", "book day")),
            Map.entry("hotel.people", List.of("hotel", "book people")),
            Map.entry("attraction.place", List.of("attraction", "area")),
            Map.entry("attraction.category", List.of("attraction", "type")),
            Map.entry("attraction.name", List.of("attraction", "name")),
            Map.entry("train.place.from", List.of("train", "departure")),
            Map.entry("train.place.to", List.of("train", "destination")),
            Map.entry("train.time.leave", List.of("train", "leaveat")),
            Map.entry("train.time.arrive", List.of("train", "arriveby")),
            Map.entry("train.date", List.of("train", "day")),
            Map.entry("train.people", List.of("train", "book people")),
            Map.entry("taxi.place.from", List.of("taxi", "departure")),
            Map.entry("taxi.place.to", List.of("taxi", "destination")),
            Map.entry("taxi.time.leave", List.of("taxi", "leaveat")),
            Map.entry("taxi.time.arrive", List.of("taxi", "arriveby")));

    private MwzevalTurn() {
    }

    /** A value put in or left as a placeholder, {@code [start, end)} in code points; {@code value} null when left. */
    private record Span(String type, String value, int start, int end) {
    }

    /** The reply (a Reply record's JSON) as mwzeval's turn; the state only when the reply carries one. */
    static ObjectNode of(JsonNode reply) {
        ObjectNode turn = CanonicalJson.mapper().createObjectNode();
        turn.put("response", response(reply));
        if (reply.path("state").isArray()) {
            turn.set("state", state(reply.path("state")));
        }
        return turn;
    }

    /** The reply's text with its values and placeholders as mwzeval's placeholders. */
    static String response(JsonNode reply) {
        List<Span> spans = new ArrayList<>();
        for (JsonNode filled : reply.path("filled")) {
            spans.add(new Span(filled.path("type").asText(), filled.path("value").asText(),
                    filled.path("start").asInt(), filled.path("end").asInt()));
        }
        for (JsonNode slot : reply.path("slots")) {
            spans.add(new Span(slot.path("type").asText(), null, slot.path("start").asInt(),
                    slot.path("end").asInt()));
        }
        spans.sort(Comparator.comparingInt(Span::start));
        // Positions count code points, as the reply's schema says.
        int[] text = reply.path("text").asText().codePoints().toArray();
        StringBuilder out = new StringBuilder(text.length + 16);
        int at = 0;
        for (Span span : spans) {
            if (span.start() < at || span.end() > text.length) {
                throw new IllegalArgumentException("reply span [" + span.start() + ", " + span.end()
                        + ") overlaps another or runs past the text: " + reply);
            }
            out.append(new String(text, at, span.start() - at));
            out.append('[').append(name(span.type(), span.value(), reply.path("state"))).append(']');
            at = span.end();
        }
        out.append(new String(text, at, text.length - at));
        return out.toString();
    }

    /** mwzeval's name of a value of {@code type} ({@code value} null for a placeholder left in the text). */
    static String name(String type, String value, JsonNode state) {
        String fixed = NAMES.get(type);
        if (fixed != null) {
            return fixed;
        }
        if (value != null) {
            String norm = StateSlots.norm(value);
            for (JsonNode entry : state) {
                String slot = entry.path("slot").asText();
                String typeAndRole = slot.substring(slot.indexOf('.') + 1);
                if ((typeAndRole.equals(type) || typeAndRole.startsWith(type + "."))
                        && StateSlots.norm(entry.path("value").asText()).equals(norm)
                        && BY_ROLE.containsKey(typeAndRole)) {
                    return BY_ROLE.get(typeAndRole);
                }
            }
            if (type.equals("place") && AREAS.contains(norm)) {
                return "value_area";
            }
        }
        String general = GENERAL.get(type);
        // A type this table does not know keeps its own name: mwzeval says so when it reads it.
        return general != null ? general : "value_" + type;
    }

    /** The state's slots that have a MultiWOZ name, as {domain: {slot: value}}, values as the evaluation compares. */
    static ObjectNode state(JsonNode state) {
        ObjectNode domains = CanonicalJson.mapper().createObjectNode();
        for (JsonNode entry : state) {
            List<String> name = STATE_SLOTS.get(entry.path("slot").asText());
            if (name != null) {
                ObjectNode domain = domains.has(name.get(0)) ? (ObjectNode) domains.get(name.get(0))
                        : domains.putObject(name.get(0));
                domain.put(name.get(1), StateSlots.norm(entry.path("value").asText()));
            }
        }
        return domains;
    }
}
