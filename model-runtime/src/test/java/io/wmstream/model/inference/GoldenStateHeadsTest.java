package io.wmstream.model.inference;

import static io.wmstream.model.inference.GoldenModelTest.floats;
import static io.wmstream.model.inference.GoldenModelTest.longs;
import static io.wmstream.model.inference.GoldenModelTest.maxDifference;
import static io.wmstream.model.inference.GoldenModelTest.strings;
import static io.wmstream.model.inference.GoldenModelTest.tokens;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.model.StateReading;
import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import io.wmstream.model.support.GoldenBundle;
import io.wmstream.model.support.TestBundles;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The dialogue-state heads of the shipped bundle infer as training did: their raw scores on every golden model case
 * within the golden tolerance, and the decided readings (slot, enters, accepted, dropped, requested) of the golden
 * conversations exactly, turn by turn from the state the previous turn left.
 */
class GoldenStateHeadsTest {
    private static final double MAX_ABSOLUTE_DIFFERENCE = 1e-4;

    private static OnnxConversationModel open() {
        GoldenBundle bundle = GoldenBundle.SHIPPED;
        Assumptions.assumeTrue(bundle.bundle().stateHeads().isPresent(), "the tagged bundle has no state heads");
        return OnnxConversationModel.open(bundle.bundle(), TestBundles.cpu().loopRepeats(0).feedback(false).build());
    }

    @Test
    void shouldMatchTheStateHeadsScoresOfEveryGoldenModelCase() {
        try (OnnxConversationModel model = open()) {
            // Given the golden model cases (batches of 1 and 5, mixed lengths, junk after the end, random states)
            JsonNode cases = GoldenBundle.SHIPPED.golden().path("model_cases");
            int width = model.stateHeads().orElseThrow().slotScores();
            int updates = model.stateHeads().orElseThrow().updateScores();
            double worst = 0;
            for (JsonNode c : cases) {
                String name = c.path("name").asText();
                long[][] tokens = tokens(c.path("tokens"));
                long[] lengths = longs(c.path("lengths"));

                // When each is run through the step graph as one call
                StepOutput out = model.step(tokens, lengths, floats(c.path("state")));

                // Then every row's slot scores up to its length and its update scores are within 1e-4 of training's
                int time = tokens[0].length;
                for (int b = 0; b < lengths.length; b++) {
                    float[] row = Arrays.copyOfRange(out.slots(), b * time * width, (b * time + (int) lengths[b])
                            * width);
                    double slots = maxDifference(row, floats(c.path("slots").get(b)));
                    assertThat(slots).as("%s row %d slots", name, b).isLessThanOrEqualTo(MAX_ABSOLUTE_DIFFERENCE);
                    worst = Math.max(worst, slots);
                }
                assertThat(out.updates()).hasSize(lengths.length * updates);
                double diff = maxDifference(out.updates(), floats(c.path("updates")));
                assertThat(diff).as("%s updates", name).isLessThanOrEqualTo(MAX_ABSOLUTE_DIFFERENCE);
                worst = Math.max(worst, diff);
            }
            System.out.printf("golden state-head cases: %d, largest difference %.3g%n", cases.size(), worst);
        }
    }

    @Test
    void shouldReadTheGoldenConversationsStateExactly() {
        try (OnnxConversationModel model = open()) {
            // Given golden conversations with the readings training decided for each turn
            JsonNode conversations = GoldenBundle.SHIPPED.golden().path("stateReadings");
            assertThat(conversations.size()).isPositive();
            int n = 0;
            for (JsonNode conversation : conversations) {
                float[] state = null;
                for (JsonNode turn : conversation) {
                    // When each turn is advanced from the state the turn before left
                    TurnResult result = model.advance(List.of(new TurnRequest("golden-state-" + n, 0, state,
                            turn.path("speaker").asText(), turn.path("text").asText(), false))).get(0);
                    state = result.state();
                    StateReading reading = result.reading().orElseThrow();

                    // Then its values' types, slots and entering, and its accepted, dropped and requested lists are
                    // exactly training's
                    String text = turn.path("text").asText();
                    JsonNode values = turn.path("values");
                    assertThat(reading.values()).as("values of %s", text).hasSize(values.size());
                    for (int i = 0; i < values.size(); i++) {
                        StateReading.ValueReading value = reading.values().get(i);
                        JsonNode expected = values.get(i);
                        assertThat(value.value().type()).as("type of value %d of %s", i, text)
                                .isEqualTo(expected.path("type").asText());
                        assertThat(value.slot().orElse(null)).as("slot of value %d of %s", i, text)
                                .isEqualTo(expected.path("slot").isNull() ? null : expected.path("slot").asText());
                        assertThat(value.enters()).as("enters of value %d of %s", i, text)
                                .isEqualTo(expected.path("enters").asBoolean());
                    }
                    assertThat(reading.user()).isEqualTo("user".equals(turn.path("speaker").asText()));
                    assertThat(reading.accepted()).as("accepted of %s", text)
                            .isEqualTo(strings(turn.path("accepted")));
                    assertThat(reading.dropped()).as("dropped of %s", text).isEqualTo(strings(turn.path("dropped")));
                    assertThat(reading.requested()).as("requested of %s", text)
                            .isEqualTo(strings(turn.path("requested")));
                }
                n++;
            }
        }
    }
}
