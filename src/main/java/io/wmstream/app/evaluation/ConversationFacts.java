package io.wmstream.app.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A conversation's final dialogue state, read from the annotations of its log lines, whichever of the two formats
 * they use: MultiWOZ's cumulative {@code belief_state} on system turns (the last one wins), or SGD's per-service
 * {@code frames[].state.slot_values} on user turns (each service's last state wins; the final state is all
 * services together). Its facts are the state's values that occur verbatim in the conversation's text.
 */
final class ConversationFacts {
    private JsonNode beliefState;
    /** Per SGD service, its last {@code slot_values}: slot to alternative values. */
    private final Map<String, JsonNode> serviceStates = new TreeMap<>();

    /** Reads the annotations of one log line (a JSON object, or null when the line is not one). */
    void onLine(JsonNode line) {
        if (line == null) {
            return;
        }
        JsonNode annotations = line.path("annotations");
        JsonNode belief = annotations.get("belief_state");
        if (belief != null && belief.isObject()) {
            beliefState = belief;
        }
        JsonNode frames = annotations.get("frames");
        if (frames != null && frames.isArray()) {
            for (JsonNode frame : frames) {
                JsonNode values = frame.path("state").get("slot_values");
                if (frame.path("service").isTextual() && values != null && values.isObject()) {
                    serviceStates.put(frame.path("service").asText(), values);
                }
            }
        }
    }

    /** Where the facts come from: {@link FactSource#NONE} when the lines carried no dialogue state. */
    FactSource source() {
        if (beliefState != null) {
            return FactSource.MULTIWOZ_BELIEF_STATE;
        }
        return serviceStates.isEmpty() ? FactSource.NONE : FactSource.SGD_DIALOGUE_STATE;
    }

    /** The final state's values that occur in the utterances, in state order; empty without a state. */
    List<FactRecall.Fact> facts(List<FactRecall.Utterance> utterances) {
        List<List<String>> values = new ArrayList<>();
        if (source() == FactSource.MULTIWOZ_BELIEF_STATE) {
            FactRecall.collect(beliefState, values);
        } else {
            serviceStates.values().forEach(slots -> slots.forEach(alternatives -> {
                List<String> forms = new ArrayList<>();
                if (alternatives.isArray()) {
                    alternatives.forEach(value -> forms.add(value.asText()));
                } else if (alternatives.isValueNode()) {
                    forms.add(alternatives.asText());
                }
                if (!forms.isEmpty()) {
                    values.add(forms);
                }
            }));
        }
        return values.isEmpty() ? List.of() : FactRecall.facts(values, utterances);
    }
}
