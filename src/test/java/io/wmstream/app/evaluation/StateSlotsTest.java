package io.wmstream.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.schemas.json.CanonicalJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StateSlotsTest {
    private final StateSlots slots = StateSlots.defaults();

    @Test
    void shouldKeepATripsDepartureAndDestinationInTwoSlots() throws IOException {
        // Given a MultiWOZ belief state and an SGD state that each hold two places of one trip
        JsonNode belief = json("{\"taxi\":{\"departure\":\"Oak Lane\",\"destination\":\"the Pine Hall\","
                + "\"leaveAt\":\"08:15\",\"arriveBy\":\"not mentioned\"}}");
        JsonNode sgd = json("{\"from_location\":[\"Oak Lane\"],\"to_location\":[\"Pine Hall\"],"
                + "\"number_of_riders\":[\"2\"]}");

        // When they are mapped to state slots
        Map<String, Set<String>> multiwoz = slots.multiwozBelief(belief);
        Map<String, Set<String>> schemaGuided = slots.sgdState(Map.of("RideSharing_2", sgd));

        // Then the places get their roles, a time its role, and a value that says nothing is no state
        assertThat(multiwoz).containsOnly(Map.entry("taxi.place.from", Set.of("oak lane")),
                Map.entry("taxi.place.to", Set.of("pine hall")), Map.entry("taxi.time.leave", Set.of("08:15")));
        assertThat(schemaGuided).containsOnly(Map.entry("taxi.place.from", Set.of("oak lane")),
                Map.entry("taxi.place.to", Set.of("pine hall")), Map.entry("taxi.people", Set.of("2")));
    }

    @Test
    void shouldNameTheDomainOfAServiceOutsideTheTableByItsName() {
        // Given a service the table names and two it does not

        // When their domains are asked for
        // Then the table's wins, and another loses its number and its plural s (not in a short name)
        assertThat(slots.domainOfService("Restaurants_1")).isEqualTo("restaurant");
        assertThat(slots.domainOfService("Dentists_3")).isEqualTo("dentist");
        assertThat(slots.domainOfService("Bus_2")).isEqualTo("bus");
    }

    @Test
    void shouldApplyTheTablesItIsGiven() {
        // Given tables other than the defaults, as a bundle manifest may carry
        StateSlots custom = new StateSlots(Map.of("restaurants", "dining"),
                Map.of("time", List.of(new StateSlots.Role("start", List.of("begin")))));

        // When a slot is mapped
        // Then its domain and role come from those tables
        assertThat(custom.slotKey(custom.domainOfService("Restaurants_2"), "time", "begin_time"))
                .isEqualTo("dining.time.start");
        assertThat(custom.slotKey("dining", "time", "leaving_time")).isEqualTo("dining.time");
        assertThat(custom.fingerprint()).isNotEqualTo(slots.fingerprint());
    }

    @Test
    void shouldNormaliseCaseSpacesAFinalDotAndALeadingThe() {
        // Given values written in different ways

        // When they are normalised
        // Then they compare as the state compares them
        assertThat(StateSlots.norm("  The   Corner  House. ")).isEqualTo("corner house");
        assertThat(StateSlots.norm("Theatre")).isEqualTo("theatre");
    }

    @Test
    void shouldTakeAMultiwozUserTurnsStateFromTheLineAfterItWithoutTheBookedResults() throws IOException {
        // Given a MultiWOZ-style user turn asking for a phone number and a price range, and the system turn after it
        StateSlots.Dialogue dialogue = slots.dialogue();
        dialogue.onUtterance(0L, "user", json("{\"annotations\":{\"dialog_act\":{\"Hotel-Inform\":"
                + "[[\"Area\",\"east\"]],\"Hotel-Request\":[[\"Phone\",\"?\"],[\"Price\",\"?\"]]}}}"));
        assertThat(dialogue.states()).isEmpty();
        dialogue.onUtterance(1L, "system", json("{\"annotations\":{\"belief_state\":{\"hotel\":{\"area\":\"east\","
                + "\"parking\":\"yes\",\"booked\":[{\"name\":\"x\"}]}}}}"));

        // When the gold of the user turn is read
        // Then its state is the system line's belief state, the yes/no slot and the booked results left out
        assertThat(dialogue.states()).containsOnlyKeys(0L);
        assertThat(dialogue.states().get(0L)).containsOnly(Map.entry("hotel.place", Set.of("east")));
        assertThat(dialogue.requests().get(0L)).containsExactlyInAnyOrder("phone", "price_range");
        assertThat(dialogue.finalState()).isEqualTo(dialogue.states().get(0L));
    }

    @Test
    void shouldMergeEachSgdServicesLatestStateAndReadItsRequests() throws IOException {
        // Given an SGD-style conversation over two services, the date of the first changed in a later turn
        StateSlots.Dialogue dialogue = slots.dialogue();
        dialogue.onUtterance(0L, "user", sgd("Restaurants_1", "{\"date\":[\"Tuesday\"],\"city\":[\"Elmtown\"]}",
                ""));
        dialogue.onUtterance(1L, "system", json("{\"annotations\":{\"frames\":[]}}"));
        dialogue.onUtterance(2L, "user", sgd("Restaurants_1", "{\"date\":[\"Wednesday\"],\"city\":[\"Elmtown\"]}",
                "{\"act\":\"REQUEST\",\"slot\":\"phone_number\",\"values\":[]}"));
        dialogue.onUtterance(4L, "user", sgd("Movies_1", "{\"show_time\":[\"6 pm\",\"18:00\"]}",
                "{\"act\":\"INFORM\",\"slot\":\"show_time\",\"values\":[\"6 pm\"]}"));

        // When the gold of each user turn is read
        // Then the changed date replaces the old one, and a value's alternatives are one value's forms
        assertThat(dialogue.states().get(0L)).containsEntry("restaurant.date", Set.of("tuesday"));
        assertThat(dialogue.states().get(2L)).containsEntry("restaurant.date", Set.of("wednesday"));
        assertThat(dialogue.finalState()).containsOnly(Map.entry("restaurant.date", Set.of("wednesday")),
                Map.entry("restaurant.place", Set.of("elmtown")), Map.entry("movie.time", Set.of("6 pm", "18:00")));
        assertThat(dialogue.requests().get(0L)).isEmpty();
        assertThat(dialogue.requests().get(2L)).containsExactly("phone");
        assertThat(dialogue.requests()).doesNotContainKey(1L);
    }

    @Test
    void shouldKeepOnlyTheFormsSaidInTheConversation() {
        // Given a state with a value said, one with only one form said, and one never said
        Map<String, Set<String>> state = Map.of("restaurant.time", Set.of("6 pm", "18:00"),
                "restaurant.name", Set.of("corner house"), "restaurant.food", Set.of("thai"));

        // When it is cut to the conversation's text
        Map<String, Set<String>> said = StateSlots.saidIn(state, "Table at the Corner   House at 6 PM please");

        // Then the value never said is gone, and only the forms said are kept
        assertThat(said).containsOnly(Map.entry("restaurant.time", Set.of("6 pm")),
                Map.entry("restaurant.name", Set.of("corner house")));
    }

    private static JsonNode sgd(String service, String slotValues, String action) throws IOException {
        return json("{\"annotations\":{\"frames\":[{\"service\":\"" + service + "\",\"slots\":[],\"actions\":["
                + action + "],\"state\":{\"active_intent\":\"X\",\"requested_slots\":[],\"slot_values\":"
                + slotValues + "}}]}}");
    }

    private static JsonNode json(String text) throws IOException {
        return CanonicalJson.readTree(text.getBytes(StandardCharsets.UTF_8));
    }
}
