package io.wmstream.topology.summary;

import io.wmstream.topology.memory.DialogueState;
import io.wmstream.topology.memory.StateEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What was agreed, as the first sentence of a summary: "Agreed: restaurant day: wednesday; taxi from: acorn guest
 * house." Each slot ({@code domain.type[.role]}) is named by its domain and its role, or its type where it has no
 * role, in words a reader knows; slots in the state's order (by slot). Empty when nothing was agreed.
 */
public final class AgreedText {
    private static final Map<String, String> ROLES = Map.of("from", "from", "to", "to", "leave", "leave at",
            "arrive", "arrive by", "return", "return date", "stars", "stars", "stay", "stay");
    private static final Map<String, String> TYPES = Map.ofEntries(Map.entry("place", "area"),
            Map.entry("date", "day"), Map.entry("price_range", "price range"), Map.entry("category", "type"),
            Map.entry("people", "people"), Map.entry("count", "number"));

    private AgreedText() {
    }

    /** The sentence for {@code state}'s agreed values; empty when it holds none. */
    public static String of(DialogueState state) {
        if (state.agreed().isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>(state.agreed().size());
        for (StateEntry entry : state.agreed()) {
            parts.add(label(entry.slot()) + ": " + entry.value());
        }
        return "Agreed: " + String.join("; ", parts) + ".";
    }

    /** "taxi.place.from" as "taxi from", "restaurant.price_range" as "restaurant price range". */
    static String label(String slot) {
        String[] parts = slot.split("\\.");
        String domain = parts[0].replace('_', ' ');
        if (parts.length >= 3) {
            return domain + " " + ROLES.getOrDefault(parts[2], parts[2].replace('_', ' '));
        }
        String type = parts.length == 2 ? parts[1] : "";
        return (domain + " " + TYPES.getOrDefault(type, type.replace('_', ' '))).trim();
    }
}
