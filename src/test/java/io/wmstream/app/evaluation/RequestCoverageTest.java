package io.wmstream.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.schemas.json.CanonicalJson;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestCoverageTest {

    private static JsonNode json(String text) throws IOException {
        return CanonicalJson.mapper().readTree(text);
    }

    private static ObjectNode reply(String text, String... filledTypes) {
        ObjectNode reply = EvaluationTest.reply("c-1", 0, text);
        var filled = reply.putArray("filled");
        for (String type : filledTypes) {
            filled.addObject().put("type", type).put("value", "x");
        }
        return reply;
    }

    @Test
    void shouldReadTheRequestsOfMultiwozActsAndSgdActionsOnly() throws IOException {
        // Given a MultiWOZ line that requests a phone and a postcode while it informs an area, and an SGD line
        // with a REQUEST action beside an INFORM
        JsonNode multiwoz = json("{\"annotations\": {\"dialog_act\": {\"Hotel-Request\": [[\"Phone\", \"?\"], "
                + "[\"Post\", \"?\"]], \"Hotel-Inform\": [[\"Area\", \"north\"]]}}}");
        JsonNode sgd = json("{\"annotations\": {\"frames\": [{\"service\": \"Restaurants_1\", \"actions\": ["
                + "{\"act\": \"REQUEST\", \"slot\": \"has_live_music\", \"values\": []}, {\"act\": \"INFORM\", "
                + "\"slot\": \"city\", \"values\": [\"Paris\"]}]}]}}");

        // When their requests are read
        // Then only the requested attributes come out, sorted
        assertThat(RequestCoverage.requested(multiwoz)).containsExactly("multiwoz:phone", "multiwoz:post");
        assertThat(RequestCoverage.requested(sgd)).containsExactly("sgd:has_live_music");
        assertThat(RequestCoverage.requested(json("{\"annotations\": {}}"))).isEmpty();
        assertThat(RequestCoverage.requested(null)).isEmpty();
    }

    @Test
    void shouldGiveAnAttributeByItsPlaceholderLeftOrFilledOrByNameWhenNoPlaceholderCarriesIt() {
        // Given replies with a phone slot left in the text, a filled address, and parking named
        ObjectNode left = reply("The phone number is [phone].");
        ObjectNode filled = reply("It is at 12 Mill Road.", "address");
        ObjectNode named = reply("Yes, it has free parking and wifi.");

        // When each is checked against requests
        // Then each gives what it holds and nothing else
        assertThat(RequestCoverage.gives("multiwoz:phone", left)).isTrue();
        assertThat(RequestCoverage.gives("multiwoz:addr", left)).isFalse();
        assertThat(RequestCoverage.gives("multiwoz:addr", filled)).isTrue();
        assertThat(RequestCoverage.gives("multiwoz:parking", named)).isTrue();
        assertThat(RequestCoverage.gives("multiwoz:internet", named)).isTrue();
        assertThat(RequestCoverage.gives("multiwoz:parking", left)).isFalse();
        assertThat(RequestCoverage.gives("sgd:phone_number", left)).isTrue();
        assertThat(RequestCoverage.gives("sgd:has_live_music", reply("They have live music."))).isTrue();
        assertThat(RequestCoverage.gives("sgd:serves_alcohol", reply("They have live music."))).isFalse();
    }

    @Test
    void shouldCountATurnCoveredOnlyWhenItsReplyGivesEveryRequestedAttribute() {
        // Given a turn that asks for phone and postcode answered with the phone only, one answered with both, and
        // a turn without requests
        RequestCoverage coverage = new RequestCoverage();
        coverage.add(List.of("multiwoz:phone", "multiwoz:post"), reply("The phone number is [phone]."));
        coverage.add(List.of("multiwoz:phone", "multiwoz:post"), reply("Call [phone], postcode [postcode]."));
        coverage.add(List.of(), reply("Hello."));

        // When the figures are read
        ObjectNode node = coverage.putInto(CanonicalJson.mapper().createObjectNode());

        // Then half the turns with a request are covered, the phone always and the postcode half the time
        assertThat(coverage.turns()).isEqualTo(2);
        assertThat(node.path("coverage").asDouble()).isEqualTo(0.5);
        assertThat(node.path("byAttribute").path("multiwoz:phone").path("coverage").asDouble()).isEqualTo(1.0);
        assertThat(node.path("byAttribute").path("multiwoz:post").path("coverage").asDouble()).isEqualTo(0.5);
        assertThat(node.path("signature").asText()).contains(RequestCoverage.NAME);
    }
}
