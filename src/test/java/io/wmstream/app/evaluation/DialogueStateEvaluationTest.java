package io.wmstream.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.schemas.event.ConversationEvent;
import io.wmstream.schemas.json.CanonicalJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DialogueStateEvaluationTest {
    @Test
    void shouldScoreTheSgdStateOfEveryTurnAndOfTheFinalSummary() throws IOException {
        // Given an SGD-style taxi conversation: two places of one type, a date changed from tuesday to wednesday,
        // a fare never said in the text, and a request for the driver's phone number
        Evaluation evaluation = new Evaluation();
        input(evaluation, "s-1", 0, "user", "A cab from Oak Lane to Pine Hall on Tuesday please.",
                sgd("{\"from_location\":[\"Oak Lane\"],\"to_location\":[\"Pine Hall\"],\"pickup_date\":[\"Tuesday\"],"
                        + "\"ride_fare\":[\"$31\"]}", ""));
        evaluation.onOutput(reply("s-1", 0, state("taxi.place.from", "oak lane", "taxi.place.to", "Pine Hall",
                "taxi.date", "tuesday"), requested()));
        input(evaluation, "s-1", 1, "system", "Booked for Tuesday.", json("{\"annotations\":{\"frames\":[]}}"));
        input(evaluation, "s-1", 2, "user", "Make it Wednesday instead, and what is the phone number?",
                sgd("{\"from_location\":[\"Oak Lane\"],\"to_location\":[\"Pine Hall\"],\"pickup_date\":"
                        + "[\"Wednesday\"]}", "{\"act\":\"REQUEST\",\"slot\":\"phone_number\",\"values\":[]}"));
        evaluation.onOutput(reply("s-1", 2, state("taxi.place.from", "oak lane", "taxi.place.to", "pine hall",
                "taxi.date", "tuesday", "taxi.date", "wednesday"), requested("phone")));

        // When the final summary arrives, its state keeping only the new date but swapping the two places
        ObjectNode summary = summary("s-1", state("taxi.place.from", "pine hall", "taxi.place.to", "oak lane",
                "taxi.date", "Wednesday"));
        evaluation.onOutput(summary);
        JsonNode report = evaluation.toJson(1, 0);

        // Then the first turn's state is exact (the fare, never said, is not gold) and the second keeps a stale date
        JsonNode joint = report.path("jointAccuracy");
        assertThat(joint.path("turns").asLong()).isEqualTo(2);
        assertThat(joint.path("accuracy").asDouble()).isEqualTo(0.5);
        // And both turns' requests were read exactly
        JsonNode requests = report.path("requestAccuracy");
        assertThat(requests.path("turns").asLong()).isEqualTo(2);
        assertThat(requests.path("accuracy").asDouble()).isEqualTo(1.0);
        // And the final state has one pair in three right, every value right when the slot is ignored
        JsonNode state = report.path("finalState");
        assertThat(state.path("conversations").asLong()).isEqualTo(1);
        assertThat(state.path("goldValues").asLong()).isEqualTo(3);
        assertThat(state.path("precision").asDouble()).isEqualTo(0.3333);
        assertThat(state.path("recall").asDouble()).isEqualTo(0.3333);
        assertThat(state.path("valueOnly").path("precision").asDouble()).isEqualTo(1.0);
        assertThat(state.path("bySlot").path("taxi.place.to").path("recall").asDouble()).isZero();
        assertThat(state.path("bySlot").path("taxi.date").path("precision").asDouble()).isEqualTo(1.0);
        assertThat(state.path("bySlot").has("taxi.price")).isFalse();
        assertThat(state.path("signature").asText()).contains("said-in-conversation", "slots:");
        assertThat(EvaluationTable.of(report)).contains("dialogue state of final summaries (1 conversations",
                "taxi.place.from", "per-turn joint accuracy: 0.500 of 2 user turns",
                "request accuracy: 1.000 of 2 user turns (never reading a request: 0.500; 1.000 of the 1 turns "
                        + "that ask");
    }

    @Test
    void shouldScoreAMultiwozReplyWhoseGoldStateArrivesWithTheNextLine() throws IOException {
        // Given a MultiWOZ-style user turn, its reply out before the system line that carries the belief state
        Evaluation evaluation = new Evaluation();
        input(evaluation, "m-1", 0, "user", "i need a train to pine hall on friday , what is the price ?",
                json("{\"annotations\":{\"dialog_act\":{\"Train-Inform\":[[\"Dest\",\"pine hall\"],[\"Day\","
                        + "\"friday\"]],\"Train-Request\":[[\"Price\",\"?\"]]}}}"));
        evaluation.onOutput(reply("m-1", 0, state("train.place.to", "pine hall", "train.date", "friday"),
                requested("price")));
        input(evaluation, "m-1", 1, "system", "it costs 9 pounds .", json("{\"annotations\":{\"dialog_act\":{},"
                + "\"belief_state\":{\"train\":{\"destination\":\"pine hall\",\"day\":\"friday\","
                + "\"departure\":\"not mentioned\",\"booked\":[]}}}}"));

        // When the final summary arrives with the same state
        evaluation.onOutput(summary("m-1", state("train.place.to", "Pine Hall", "train.date", "friday")));
        JsonNode report = evaluation.toJson(1, 0);

        // Then the turn, the request (a train's price is a price) and the final state are all right
        assertThat(report.path("jointAccuracy").path("accuracy").asDouble()).isEqualTo(1.0);
        assertThat(report.path("requestAccuracy").path("accuracy").asDouble()).isEqualTo(1.0);
        assertThat(report.path("finalState").path("f1").asDouble()).isEqualTo(1.0);
        assertThat(report.path("finalState").path("bySlot").fieldNames()).toIterable()
                .containsExactly("train.date", "train.place.to");
    }

    @Test
    void shouldReportTheStateFiguresAsNotMeasuredWhenTheOutputsCarryNoState() throws IOException {
        // Given an annotated conversation whose replies and summary carry no state (a model without one)
        Evaluation evaluation = new Evaluation();
        input(evaluation, "s-1", 0, "user", "A table in Elmtown.", sgd("{\"city\":[\"Elmtown\"]}", ""));
        evaluation.onOutput(EvaluationTest.reply("s-1", 0, "Which day?"));
        evaluation.onOutput(EvaluationTest.finalSummary("s-1", "A table in Elmtown."));

        // When the report is made
        JsonNode report = evaluation.toJson(1, 0);

        // Then no figure is a zero: each is null, says why, and the table says n/a
        assertThat(report.path("finalState").path("f1").isNull()).isTrue();
        assertThat(report.path("finalState").path("conversationsWithoutState").asLong()).isEqualTo(1);
        assertThat(report.path("jointAccuracy").path("accuracy").isNull()).isTrue();
        assertThat(report.path("jointAccuracy").path("turnsWithoutState").asLong()).isEqualTo(1);
        assertThat(report.path("requestAccuracy").path("accuracy").isNull()).isTrue();
        assertThat(EvaluationTable.of(report)).contains("dialogue state: n/a", "per-turn joint accuracy: n/a",
                "request accuracy: n/a");
    }

    private static void input(Evaluation evaluation, String conversation, long turn, String speaker, String text,
            JsonNode line) {
        evaluation.onInput(ConversationEvent.utterance(conversation, turn, speaker, text), line);
    }

    /** A state field: slot, value, slot, value, ... */
    private static ArrayNode state(String... slotsAndValues) {
        ArrayNode state = CanonicalJson.mapper().createArrayNode();
        for (int i = 0; i < slotsAndValues.length; i += 2) {
            state.addObject().put("slot", slotsAndValues[i]).put("value", slotsAndValues[i + 1]).put("turn", 0);
        }
        return state;
    }

    private static ArrayNode requested(String... types) {
        ArrayNode requested = CanonicalJson.mapper().createArrayNode();
        for (String type : types) {
            requested.add(type);
        }
        return requested;
    }

    private static ObjectNode reply(String conversation, long turn, ArrayNode state, ArrayNode requested) {
        ObjectNode reply = EvaluationTest.reply(conversation, turn, "Done.");
        reply.set("state", state);
        reply.set("requested", requested);
        return reply;
    }

    private static ObjectNode summary(String conversation, ArrayNode state) {
        ObjectNode summary = EvaluationTest.finalSummary(conversation, "Agreed.");
        summary.set("state", state);
        summary.putArray("openRequests");
        return summary;
    }

    private static JsonNode sgd(String slotValues, String action) throws IOException {
        return json("{\"annotations\":{\"frames\":[{\"service\":\"RideSharing_1\",\"slots\":[],\"actions\":["
                + action + "],\"state\":{\"active_intent\":\"X\",\"requested_slots\":[],\"slot_values\":"
                + slotValues + "}}]}}");
    }

    private static JsonNode json(String text) throws IOException {
        return CanonicalJson.readTree(text.getBytes(StandardCharsets.UTF_8));
    }
}
