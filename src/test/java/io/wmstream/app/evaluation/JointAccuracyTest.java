package io.wmstream.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.schemas.json.CanonicalJson;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JointAccuracyTest {
    private static final Map<String, Set<String>> GOLD = Map.of("taxi.place.from", Set.of("oak lane"),
            "taxi.place.to", Set.of("pine hall"), "taxi.date", Set.of("wednesday"));

    @Test
    void shouldCountATurnRightOnlyWhenItsStateIsExactlyTheGoldOne() {
        // Given the same gold state after four turns
        JointAccuracy joint = new JointAccuracy();

        // When an exact state, one missing a value, one with a stale extra value and one swapping roles are scored
        joint.add(GOLD, Set.of(SlotValue.of("taxi.place.from", "Oak Lane"), SlotValue.of("taxi.place.to",
                "pine hall"), SlotValue.of("taxi.date", "Wednesday")));
        joint.add(GOLD, Set.of(SlotValue.of("taxi.place.from", "oak lane"), SlotValue.of("taxi.place.to",
                "pine hall")));
        joint.add(GOLD, Set.of(SlotValue.of("taxi.place.from", "oak lane"), SlotValue.of("taxi.place.to",
                "pine hall"), SlotValue.of("taxi.date", "wednesday"), SlotValue.of("taxi.date", "tuesday")));
        joint.add(GOLD, Set.of(SlotValue.of("taxi.place.from", "pine hall"), SlotValue.of("taxi.place.to",
                "oak lane"), SlotValue.of("taxi.date", "wednesday")));

        // Then only the first is right
        JsonNode json = joint.putInto(CanonicalJson.mapper().createObjectNode());
        assertThat(json.path("turns").asLong()).isEqualTo(4);
        assertThat(json.path("accuracy").asDouble()).isEqualTo(0.25);
    }

    @Test
    void shouldCountAnEmptyStateRightAfterATurnWithNoGoldValue() {
        // Given a turn after which nothing is held
        JointAccuracy joint = new JointAccuracy();

        // When an empty state and a non-empty one are scored
        joint.add(Map.of(), Set.of());
        joint.add(Map.of(), Set.of(SlotValue.of("taxi.date", "tuesday")));

        // Then the empty one is right
        assertThat(joint.accuracy()).isEqualTo(0.5);
    }

    @Test
    void shouldReportNoAccuracyWhenNoReplyCarriedAState() {
        // Given turns with a gold state whose replies carried none
        JointAccuracy joint = new JointAccuracy();
        joint.addWithoutState();

        // When the figures are put
        JsonNode json = joint.putInto(CanonicalJson.mapper().createObjectNode());

        // Then the accuracy is null with the reason
        assertThat(json.path("accuracy").isNull()).isTrue();
        assertThat(json.path("turnsWithoutState").asLong()).isEqualTo(1);
        assertThat(json.path("note").asText()).contains("carry no state");
    }
}
