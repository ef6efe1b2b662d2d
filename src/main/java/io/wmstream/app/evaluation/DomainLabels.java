package io.wmstream.app.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The domains a log line names: MultiWOZ's dialogue-act domains ({@code "Hotel-Inform"} is {@code hotel},
 * {@code "general-thank"} is {@code general}) and SGD's services ({@code Restaurants_1}). Sorted, each once.
 */
final class DomainLabels {
    private DomainLabels() {
    }

    static List<String> of(JsonNode line) {
        if (line == null) {
            return List.of();
        }
        TreeSet<String> domains = new TreeSet<>();
        JsonNode annotations = line.path("annotations");
        JsonNode acts = annotations.get("dialog_act");
        if (acts != null && acts.isObject()) {
            acts.fieldNames().forEachRemaining(act -> {
                int dash = act.indexOf('-');
                if (dash > 0) {
                    domains.add(act.substring(0, dash).toLowerCase(Locale.ROOT));
                }
            });
        }
        JsonNode frames = annotations.get("frames");
        if (frames != null && frames.isArray()) {
            frames.forEach(frame -> {
                if (frame.path("service").isTextual() && !frame.path("service").asText().isBlank()) {
                    domains.add(frame.path("service").asText());
                }
            });
        }
        return List.copyOf(domains);
    }
}
