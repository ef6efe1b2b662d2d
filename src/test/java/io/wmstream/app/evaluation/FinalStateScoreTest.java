package io.wmstream.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.schemas.json.CanonicalJson;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FinalStateScoreTest {
    @Test
    void shouldCountASwappedDepartureAndDestinationWrongByPairAndRightByValue() {
        // Given a trip from one place to another, predicted the wrong way round
        FinalStateScore score = new FinalStateScore();
        Map<String, Set<String>> gold = Map.of("taxi.place.from", Set.of("oak lane"),
                "taxi.place.to", Set.of("pine hall"));

        // When it is scored
        score.add(gold, Set.of(SlotValue.of("taxi.place.from", "Pine Hall"), SlotValue.of("taxi.place.to",
                "Oak Lane")));

        // Then no pair is right, but every value is
        JsonNode json = score.putInto(CanonicalJson.mapper().createObjectNode());
        assertThat(json.path("precision").asDouble()).isZero();
        assertThat(json.path("recall").asDouble()).isZero();
        assertThat(json.path("f1").asDouble()).isZero();
        assertThat(json.path("valueOnly").path("precision").asDouble()).isEqualTo(1.0);
        assertThat(json.path("valueOnly").path("recall").asDouble()).isEqualTo(1.0);
    }

    @Test
    void shouldCountAStaleValueAgainstPrecisionAndAnyFormOfAValueAsFound() {
        // Given a date the user changed from tuesday to wednesday and a time with two forms
        FinalStateScore score = new FinalStateScore();
        Map<String, Set<String>> gold = Map.of("restaurant.date", Set.of("wednesday"),
                "restaurant.time", Set.of("6 pm", "18:00"));

        // When a state holding both dates and one form of the time is scored
        score.add(gold, Set.of(SlotValue.of("restaurant.date", "Tuesday"), SlotValue.of("restaurant.date",
                "wednesday"), SlotValue.of("restaurant.time", "18:00")));

        // Then two of three pairs are right and both gold values found, per slot too
        JsonNode json = score.putInto(CanonicalJson.mapper().createObjectNode());
        assertThat(json.path("precision").asDouble()).isEqualTo(0.6667);
        assertThat(json.path("recall").asDouble()).isEqualTo(1.0);
        assertThat(json.path("f1").asDouble()).isEqualTo(0.8);
        JsonNode date = json.path("bySlot").path("restaurant.date");
        assertThat(date.path("gold").asLong()).isEqualTo(1);
        assertThat(date.path("predicted").asLong()).isEqualTo(2);
        assertThat(date.path("precision").asDouble()).isEqualTo(0.5);
        assertThat(date.path("recall").asDouble()).isEqualTo(1.0);
    }

    @Test
    void shouldReportNoFiguresRatherThanZerosWhenNoStateWasPredicted() {
        // Given conversations with a gold state whose summaries carried none
        FinalStateScore score = new FinalStateScore();
        score.addWithoutState();

        // When the figures are put
        JsonNode json = score.putInto(CanonicalJson.mapper().createObjectNode());

        // Then they are null, with the reason
        assertThat(json.path("precision").isNull()).isTrue();
        assertThat(json.path("f1").isNull()).isTrue();
        assertThat(json.path("valueOnly").path("recall").isNull()).isTrue();
        assertThat(json.path("conversationsWithoutState").asLong()).isEqualTo(1);
        assertThat(json.path("note").asText()).startsWith("n/a");
    }

    @Test
    void shouldScoreAnEmptyPredictionAgainstGoldValuesAsZero() {
        // Given a conversation with a gold value whose summary's state is empty
        FinalStateScore score = new FinalStateScore();

        // When it is scored
        score.add(Map.of("hotel.people", Set.of("4")), Set.of());

        // Then recall and F1 are 0 and precision is not defined
        JsonNode json = score.putInto(CanonicalJson.mapper().createObjectNode());
        assertThat(json.path("recall").asDouble()).isZero();
        assertThat(json.path("f1").isNumber()).isTrue();
        assertThat(json.path("f1").asDouble()).isZero();
        assertThat(json.path("precision").isNull()).isTrue();
    }
}
