package io.wmstream.app.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The dialogue-state slots of an annotated log, by the rule model 3.0 is trained on
 * ({@code model-runtime/training/wmtrain/state_slots.py}): a slot is {@code domain.type} or
 * {@code domain.type.role}, the domain from the MultiWOZ domain or the SGD service's name, the type from the slot's
 * placeholder type, the role from words in the slot's name. The domain table and the role words are data (the
 * bundle's manifest carries a copy), so an evaluation and a model agree on them; {@link #defaults()} holds the
 * values the training script uses.
 */
public final class StateSlots {
    /** A role of a type ({@code from}, {@code leave}, ...) and the words of a slot name that give it. */
    public record Role(String role, List<String> words) {
        public Role {
            words = List.copyOf(words);
        }
    }

    /** Values that say nothing: not state. */
    private static final Set<String> NOT_VALUES = Set.of("", "none", "not mentioned", "dontcare", "dont care",
            "don't care", "?");

    /** MultiWOZ 2.1 belief-state slots to types (yes/no slots such as parking have no value said in the text). */
    static final Map<String, String> MULTIWOZ_STATE_TYPES = Map.ofEntries(
            Map.entry("area", "place"), Map.entry("destination", "place"), Map.entry("departure", "place"),
            Map.entry("leaveAt", "time"), Map.entry("arriveBy", "time"), Map.entry("book_time", "time"),
            Map.entry("book_people", "people"), Map.entry("book_day", "date"), Map.entry("day", "date"),
            Map.entry("book_stay", "count"), Map.entry("stars", "count"), Map.entry("pricerange", "price_range"),
            Map.entry("food", "food"), Map.entry("type", "category"), Map.entry("name", "name"));

    /** MultiWOZ request slots ({@code *-Request} acts) to types; "Price" depends on the domain. */
    static final Map<String, String> MULTIWOZ_REQUEST_TYPES = Map.ofEntries(
            Map.entry("Addr", "address"), Map.entry("Post", "postcode"), Map.entry("Phone", "phone"),
            Map.entry("Ref", "reference"), Map.entry("Fee", "price"), Map.entry("Ticket", "price"),
            Map.entry("Id", "id"), Map.entry("Car", "car"), Map.entry("Leave", "time"), Map.entry("Arrive", "time"),
            Map.entry("Time", "time"), Map.entry("Area", "place"), Map.entry("Name", "name"),
            Map.entry("Type", "category"), Map.entry("Stars", "count"), Map.entry("Food", "food"),
            Map.entry("Day", "date"), Map.entry("People", "people"), Map.entry("Stay", "count"),
            Map.entry("Dest", "place"), Map.entry("Depart", "place"), Map.entry("Choice", "count"));

    /** SGD slots to placeholder types ({@code wmdata.SGD_SLOT_TYPES}); a slot without one is not state. */
    static final Map<String, String> SGD_SLOT_TYPES = sgdSlotTypes();

    private final Map<String, String> domains;
    private final Map<String, List<Role>> roleWords;

    /**
     * A rule with {@code domains} (SGD service names, lowercased and without their number, to domains) and
     * {@code roleWords} (per type, its roles in the order they are tried).
     */
    public StateSlots(Map<String, String> domains, Map<String, List<Role>> roleWords) {
        this.domains = Map.copyOf(domains);
        Map<String, List<Role>> roles = new HashMap<>();
        roleWords.forEach((type, list) -> roles.put(type, List.copyOf(list)));
        this.roleWords = Map.copyOf(roles);
    }

    /** The tables of {@code wmtrain/state_slots.py}: {@code DOMAINS} and {@code ROLE_WORDS}. */
    public static StateSlots defaults() {
        Map<String, String> domains = Map.ofEntries(
                Map.entry("restaurants", "restaurant"), Map.entry("hotels", "hotel"), Map.entry("travel", "attraction"),
                Map.entry("ridesharing", "taxi"), Map.entry("buses", "bus"), Map.entry("flights", "flight"),
                Map.entry("rentalcars", "car_rental"), Map.entry("movies", "movie"), Map.entry("music", "music"),
                Map.entry("events", "event"), Map.entry("homes", "home"), Map.entry("services", "service"),
                Map.entry("media", "media"), Map.entry("weather", "weather"), Map.entry("banks", "bank"),
                Map.entry("calendar", "calendar"), Map.entry("trains", "train"));
        Map<String, List<Role>> roles = Map.of(
                "place", List.of(new Role("from", List.of("origin", "from", "depart", "pickup")),
                        new Role("to", List.of("dest", "to_", "where_to", "dropoff"))),
                "time", List.of(new Role("arrive", List.of("arriv", "end")),
                        new Role("leave", List.of("leav", "depart", "pickup", "start"))),
                "date", List.of(new Role("return", List.of("return", "check_out", "dropoff", "inbound"))),
                "count", List.of(new Role("stars", List.of("star")), new Role("stay", List.of("stay", "night",
                        "days"))));
        return new StateSlots(domains, roles);
    }

    /** {@code Restaurants_1} is {@code restaurant}; another service: its name lowercased, without number and plural. */
    public String domainOfService(String service) {
        String base = service.split("_", -1)[0].toLowerCase(Locale.ROOT);
        String domain = domains.get(base);
        if (domain != null) {
            return domain;
        }
        return base.endsWith("s") && base.length() > 3 ? base.substring(0, base.length() - 1) : base;
    }

    /** The role a slot name gives a value of {@code type} (the first whose word it contains), or "". */
    public String roleOf(String type, String slotName) {
        String name = slotName.toLowerCase(Locale.ROOT);
        for (Role role : roleWords.getOrDefault(type, List.of())) {
            if (role.words().stream().anyMatch(name::contains)) {
                return role.role();
            }
        }
        return "";
    }

    /** The state slot of an annotated slot: {@code domain.type} or {@code domain.type.role}. */
    public String slotKey(String domain, String type, String slotName) {
        String role = roleOf(type, slotName);
        return domain + "." + type + (role.isEmpty() ? "" : "." + role);
    }

    /** A short digest of the tables, printed in the signature: two figures are comparable when it is the same. */
    public String fingerprint() {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(domains).forEach((k, v) -> text.append(k).append('=').append(v).append(';'));
        new TreeMap<>(roleWords).forEach((type, roles) -> roles.forEach(role -> text.append(type).append('.')
                .append(role.role()).append('=').append(String.join(",", role.words())).append(';')));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString()
                    .getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 4; i++) {
                hex.append(String.format(Locale.ROOT, "%02x", digest[i]));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    /** A value as the state compares it: lower case, single spaces, no trailing '.', no leading "the ". */
    public static String norm(String value) {
        String v = String.join(" ", value.toLowerCase(Locale.ROOT).trim().split("\\s+"));
        v = v.endsWith(".") ? v.substring(0, v.length() - 1) : v;
        return v.startsWith("the ") ? v.substring(4) : v;
    }

    /** The state of a MultiWOZ belief state ({@code {domain: {slot: value}}}); its "booked" results are not state. */
    public Map<String, Set<String>> multiwozBelief(JsonNode belief) {
        Map<String, Set<String>> state = new TreeMap<>();
        belief.properties().forEach(domain -> {
            if (!domain.getValue().isObject()) {
                return;
            }
            domain.getValue().properties().forEach(slot -> {
                String type = MULTIWOZ_STATE_TYPES.get(slot.getKey());
                if (type != null && slot.getValue().isTextual() && !NOT_VALUES.contains(norm(slot.getValue()
                        .asText()))) {
                    state.put(slotKey(domain.getKey(), type, slot.getKey()), new TreeSet<>(Set.of(norm(slot
                            .getValue().asText()))));
                }
            });
        });
        return state;
    }

    /**
     * The state of SGD's per-service {@code slot_values} (each service's latest), all services together; a slot's
     * alternatives ("6 pm", "18:00") are one value's forms.
     */
    public Map<String, Set<String>> sgdState(Map<String, JsonNode> services) {
        Map<String, Set<String>> state = new TreeMap<>();
        services.forEach((service, values) -> {
            String domain = domainOfService(service);
            values.properties().forEach(slot -> {
                String type = SGD_SLOT_TYPES.get(slot.getKey());
                Set<String> forms = new TreeSet<>();
                if (slot.getValue().isArray()) {
                    slot.getValue().forEach(form -> forms.add(norm(form.asText())));
                } else if (slot.getValue().isValueNode()) {
                    forms.add(norm(slot.getValue().asText()));
                }
                forms.removeAll(NOT_VALUES);
                if (type != null && !forms.isEmpty()) {
                    state.computeIfAbsent(slotKey(domain, type, slot.getKey()), k -> new TreeSet<>()).addAll(forms);
                }
            });
        });
        return state;
    }

    /** The types a MultiWOZ user turn asks for: its {@code *-Request} acts' slots. */
    public static Set<String> multiwozRequests(JsonNode dialogActs) {
        Set<String> types = new TreeSet<>();
        dialogActs.properties().forEach(act -> {
            if (!act.getKey().endsWith("-Request")) {
                return;
            }
            String domain = act.getKey().split("-", -1)[0].toLowerCase(Locale.ROOT);
            for (JsonNode pair : act.getValue()) {
                String type = multiwozRequestType(domain, pair.path(0).asText());
                if (type != null) {
                    types.add(type);
                }
            }
        });
        return types;
    }

    static String multiwozRequestType(String domain, String slot) {
        if (slot.equals("Price")) {
            return domain.equals("train") || domain.equals("attraction") ? "price" : "price_range";
        }
        return MULTIWOZ_REQUEST_TYPES.get(slot);
    }

    /** The types an SGD user turn asks for: its frames' {@code REQUEST} actions' slots. */
    public static Set<String> sgdRequests(JsonNode frames) {
        Set<String> types = new TreeSet<>();
        for (JsonNode frame : frames) {
            for (JsonNode action : frame.path("actions")) {
                String type = SGD_SLOT_TYPES.get(action.path("slot").asText());
                if ("REQUEST".equals(action.path("act").asText()) && type != null) {
                    types.add(type);
                }
            }
        }
        return types;
    }

    /**
     * The part of {@code state} said in a conversation: per slot the forms that occur in {@code text} (on word
     * boundaries, case-insensitive), a slot none of whose forms occurs left out; as the fact scores count facts.
     */
    public static Map<String, Set<String>> saidIn(Map<String, Set<String>> state, String text) {
        String normalised = FactRecall.normalise(text);
        Map<String, Set<String>> said = new TreeMap<>();
        state.forEach((slot, forms) -> {
            Set<String> found = new TreeSet<>();
            forms.stream().filter(form -> FactRecall.contains(normalised, form)).forEach(found::add);
            if (!found.isEmpty()) {
                said.put(slot, found);
            }
        });
        return said;
    }

    /** A reader of one conversation's annotated lines: the gold state and requests of each user turn. */
    public Dialogue dialogue() {
        return new Dialogue();
    }

    /**
     * The annotations of one conversation, line by line: after each user turn the dialogue state (SGD: each
     * service's latest {@code state.slot_values} over the user turns so far, merged; MultiWOZ: the
     * {@code belief_state} of the line right after the user turn) and the types it asks for.
     */
    public final class Dialogue {
        private final Map<String, JsonNode> services = new LinkedHashMap<>();
        private final Map<Long, Map<String, Set<String>>> states = new HashMap<>();
        private final Map<Long, Set<String>> requests = new HashMap<>();
        private Long awaitingBelief;
        private Long lastStateTurn;

        private Dialogue() {
        }

        /** One utterance's line ({@code line} null when it was not JSON); a turn of null is not scored. */
        public void onUtterance(Long turn, String speaker, JsonNode line) {
            JsonNode annotations = line == null ? null : line.path("annotations");
            if (awaitingBelief != null) {
                JsonNode belief = annotations == null ? null : annotations.get("belief_state");
                if (belief != null && belief.isObject()) {
                    putState(awaitingBelief, multiwozBelief(belief));
                }
                awaitingBelief = null;
            }
            if (turn == null || annotations == null || !"user".equals(speaker.trim().toLowerCase(Locale.ROOT))) {
                return;
            }
            JsonNode frames = annotations.get("frames");
            JsonNode acts = annotations.get("dialog_act");
            if (frames != null && frames.isArray()) {
                for (JsonNode frame : frames) {
                    JsonNode values = frame.path("state").get("slot_values");
                    if (frame.path("service").isTextual() && values != null && values.isObject()) {
                        services.put(frame.path("service").asText(), values);
                    }
                }
                putState(turn, sgdState(services));
                requests.put(turn, sgdRequests(frames));
            } else if (acts != null && acts.isObject()) {
                requests.put(turn, multiwozRequests(acts));
                awaitingBelief = turn;
            }
        }

        private void putState(Long turn, Map<String, Set<String>> state) {
            states.put(turn, state);
            lastStateTurn = turn;
        }

        /** The gold state after each user turn that has one, by turn. */
        public Map<Long, Map<String, Set<String>>> states() {
            return states;
        }

        /** The gold requested types of each annotated user turn, by turn. */
        public Map<Long, Set<String>> requests() {
            return requests;
        }

        /** The state after the last user turn that has one; null when no turn has one. */
        public Map<String, Set<String>> finalState() {
            return lastStateTurn == null ? null : states.get(lastStateTurn);
        }
    }

    private static Map<String, String> sgdSlotTypes() {
        Map<String, String> types = new HashMap<>();
        put(types, "name", "restaurant_name", "hotel_name", "attraction_name", "property_name", "theater_name",
                "dentist_name", "doctor_name", "stylist_name", "venue", "airlines");
        put(types, "title", "movie_name", "title", "song_name", "album", "event_name");
        put(types, "person", "artist", "directed_by", "recipient_account_name");
        put(types, "place", "city", "area", "location", "destination", "origin", "from_location", "to_location",
                "pickup_location", "pickup_city", "event_location", "city_of_event", "where_to", "destination_city",
                "origin_city", "destination_airport", "origin_airport", "from_station", "to_station",
                "destination_station_name", "origin_station_name");
        put(types, "address", "address", "street_address", "venue_address", "address_of_location");
        put(types, "date", "date", "appointment_date", "check_in_date", "check_out_date", "departure_date",
                "dropoff_date", "event_date", "leaving_date", "pickup_date", "return_date", "show_date",
                "visit_date");
        put(types, "time", "time", "appointment_time", "available_end_time", "available_start_time",
                "departure_time", "event_time", "inbound_arrival_time", "inbound_departure_time", "leaving_time",
                "outbound_arrival_time", "outbound_departure_time", "pickup_time", "show_time");
        put(types, "people", "party_size", "number_of_adults", "number_of_seats", "number_of_tickets",
                "number_of_riders", "group_size", "passengers", "travelers");
        put(types, "count", "number_of_rooms", "number_of_beds", "number_of_baths", "number_of_days",
                "number_stops", "transfers", "star_rating");
        put(types, "number", "rating", "average_rating", "humidity", "temperature", "wind", "precipitation",
                "wait_time", "approximate_ride_duration", "year");
        put(types, "price", "price", "total_price", "fare", "ride_fare", "rent", "price_per_night", "amount",
                "balance");
        put(types, "price_range", "price_range");
        put(types, "phone", "phone_number");
        put(types, "car", "car_name", "car_type", "ride_type");
        put(types, "food", "cuisine");
        put(types, "category", "category", "subcategory", "genre", "event_type", "type", "show_type",
                "account_type", "recipient_account_type", "seating_class", "fare_type", "playback_device");
        return Map.copyOf(types);
    }

    private static void put(Map<String, String> types, String type, String... slots) {
        for (String slot : slots) {
            types.put(slot, type);
        }
    }
}
