package io.wmstream.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.schemas.json.CanonicalJson;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestAccuracyTest {
    @Test
    void shouldCountATurnRightOnlyWhenItsRequestedTypesAreExactlyTheGoldOnes() {
        // Given three turns: one asks for a phone and an address, one for nothing, one for a postcode
        RequestAccuracy requests = new RequestAccuracy();

        // When the first is read exactly, the second as asking for a phone, the third as asking for nothing
        requests.add(Set.of("phone", "address"), Set.of("address", "phone"));
        requests.add(Set.of(), Set.of("phone"));
        requests.add(Set.of("postcode"), Set.of());

        // Then one turn in three is right, two of three types predicted are right, two of three gold ones found
        JsonNode json = requests.putInto(CanonicalJson.mapper().createObjectNode());
        assertThat(json.path("turns").asLong()).isEqualTo(3);
        assertThat(json.path("accuracy").asDouble()).isEqualTo(0.3333);
        assertThat(json.path("precision").asDouble()).isEqualTo(0.6667);
        assertThat(json.path("recall").asDouble()).isEqualTo(0.6667);
        // And never reading a request would have got the one turn that asks for nothing, none of the two that ask
        assertThat(json.path("emptyBaseline").asDouble()).isEqualTo(0.3333);
        assertThat(json.path("turnsAsking").asLong()).isEqualTo(2);
        assertThat(json.path("accuracyAsking").asDouble()).isEqualTo(0.5);
    }

    @Test
    void shouldTellARecordWithoutRequestedTypesFromOneWithNone() {
        // Given a reply without the field and one with an empty list
        var without = CanonicalJson.mapper().createObjectNode().put("text", "ok");
        var empty = CanonicalJson.mapper().createObjectNode();
        empty.putArray("requested");

        // When their requested types are read
        // Then the first has none to score, the second asks for nothing
        assertThat(RequestAccuracy.requestedOf(without)).isEmpty();
        assertThat(RequestAccuracy.requestedOf(empty)).contains(Set.of());
    }

    @Test
    void shouldReportNoAccuracyWhenNoReplyCarriedRequestedTypes() {
        // Given annotated turns whose replies carried no requested types
        RequestAccuracy requests = new RequestAccuracy();
        requests.addWithoutRequested();

        // When the figures are put
        JsonNode json = requests.putInto(CanonicalJson.mapper().createObjectNode());

        // Then they are null with the reason
        assertThat(json.path("accuracy").isNull()).isTrue();
        assertThat(json.path("precision").isNull()).isTrue();
        assertThat(json.path("note").asText()).startsWith("n/a");
    }
}
