package io.wmstream.topology;

import static io.wmstream.topology.TopologyHarness.utterance;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.model.ConversationModel;
import io.wmstream.schemas.json.CanonicalJson;
import io.wmstream.topology.config.ModelFactory;
import io.wmstream.topology.config.WmConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The requests the thread's model calls are prepared for, predicted from a task's pending events, are the requests
 * the task then makes: on an ordinary log none of the prepared work is wasted and the task computes nothing itself.
 */
class PredictedRequestsTopologyTest {
    /** Three MultiWOZ-like conversations, written for this test; the restaurant's events carry no turn numbers. */
    private static final List<String[]> HOTEL = List.of(
            new String[] {"user", "I need a guesthouse in the north with free wifi, for 3 nights from Thursday."},
            new String[] {"system", "Acorn Guest House is a moderately priced guesthouse in the north. Shall I book?"},
            new String[] {"user", "Yes, for 2 people please."},
            new String[] {"system", "Booked. Your reference number is 9FQ2XK1L."},
            new String[] {"user", "Thanks, that is all I need."});
    private static final List<String[]> TRAIN = List.of(
            new String[] {"user", "Is there a train from Cambridge to Ely on Sunday after 10:15?"},
            new String[] {"system", "TR4212 leaves at 10:50 and arrives at 11:07. Would you like a ticket?"},
            new String[] {"user", "Yes, one ticket please."},
            new String[] {"system", "Done: the fare is 3.52 pounds, payable at the station. Reference 0KHM4ZLC."});
    private static final List<String[]> RESTAURANT = List.of(
            new String[] {"user", "Can you find me a cheap Italian restaurant in the centre?"},
            new String[] {"system", "Pizza Hut City Centre is cheap and serves Italian food."},
            new String[] {"user", "Please book a table for 4 at 19:30 on Friday."},
            new String[] {"system", "Your table is reserved; reference 6XN2J3A8."},
            new String[] {"user", "Great, and what is their phone number?"},
            new String[] {"system", "It is 01223 323737."});

    private static ConversationModel model;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void openModel() {
        model = ModelFactory.open(new WmConfig(Map.of(WmConfig.MODEL_DEVICE_CONFIG, "cpu")));
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    // Batches of 2: calls of first requests only (and a full queue running before taking more); of 64: few
    // conversations wait, so the calls hold each one's later utterances too, as follow-ups from the states before.
    // No idle expiry: an idle scan runs whatever is pending without waiting for a prediction, and the first scan on
    // stream time comes with the first record.
    @ParameterizedTest(name = "wm.batch.max.size={0}")
    @ValueSource(ints = {2, 64})
    void shouldFindEveryPredictedRequestOnAnInterleavedLog(int batchSize) {
        try (var harness = new TopologyHarness(model, stateDir, "wm-predicted-" + batchSize,
                Map.of(WmConfig.BATCH_MAX_SIZE_CONFIG, batchSize, WmConfig.IDLE_EXPIRY_MS_CONFIG, 0L))) {
            // Given three conversations interleaved turn by turn, as a live log holds them
            int utterances = 0;
            for (int turn = 0; turn < RESTAURANT.size(); turn++) {
                utterances += send(harness, "hotel-1", HOTEL, turn) + send(harness, "train-2", TRAIN, turn);
                String[] said = RESTAURANT.get(turn);
                harness.send("restaurant-3", "{\"conversationId\":\"restaurant-3\",\"speaker\":\"" + said[0]
                        + "\",\"text\":\"" + said[1] + "\"}");
                utterances++;
            }

            // When every batch has run
            List<TestRecord<String, String>> replies = harness.flush().replies();

            // Then every request found the result prepared for it: none was computed again, none was wasted
            assertThat(replies).hasSize(8);
            assertThat(harness.metric("model-requests-prepared-total")).isEqualTo(utterances);
            assertThat(harness.metric("model-requests-computed-by-task-total")).isZero();
            assertThat(harness.metric("prepared-results-unused-total")).isZero();
            // And the restaurant's turns were numbered from its utterance count, in its predictions as in its run
            assertThat(replies).filteredOn(reply -> reply.key().equals("restaurant-3"))
                    .extracting(reply -> json(reply.value()).get("turn").asLong()).containsExactly(1L, 3L, 5L);
        }
    }

    private static JsonNode json(String value) {
        try {
            return CanonicalJson.mapper().readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends turn {@code turn} of {@code turns} if it has one; returns how many utterances it sent. */
    private static int send(TopologyHarness harness, String conversationId, List<String[]> turns, int turn) {
        if (turn >= turns.size()) {
            return 0;
        }
        harness.send(conversationId, utterance(conversationId, turn, turns.get(turn)[0], turns.get(turn)[1]));
        return 1;
    }
}
