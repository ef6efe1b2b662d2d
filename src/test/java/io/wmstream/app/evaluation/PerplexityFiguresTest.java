package io.wmstream.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.schemas.json.CanonicalJson;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class PerplexityFiguresTest {
    @Test
    void shouldReportNoPerplexityWhenNoTurnWasLeftUnanswered() {
        // Given a replay whose every turn got a reply, so the probe measured no tokens (its mean is NaN)
        ObjectNode report = new Evaluation().toJson(1, 0);

        // When its perplexity is put into the report
        new PerplexityFigures(Double.NaN, Double.NaN, 0, 1_000_000).putInto(report.putObject("perplexity"));

        // Then it is absent with the reason, not a perfect 0
        JsonNode perplexity = report.path("perplexity");
        assertThat(perplexity.path("withMemory").isNull()).isTrue();
        assertThat(perplexity.path("memoryResetPerUtterance").isNull()).isTrue();
        assertThat(perplexity.path("tokens").asLong()).isZero();
        assertThat(perplexity.path("note").asText()).contains("no turns the model does not answer");
    }

    @Test
    void shouldPutBothPerplexitiesRoundedAndSayWhatTheyWereMeasuredOn() throws IOException {
        // Given perplexities measured over 10,355 tokens in 2.5 s
        PerplexityFigures figures = new PerplexityFigures(17.480_123, 23.442_987, 10_355, 2_500_000_000L);

        // When they are put into the report
        String json = CanonicalJson.mapper().writeValueAsString(figures.putInto(
                CanonicalJson.mapper().createObjectNode()));

        // Then each is rounded to four places, and the note names the tokens and both figures
        assertThat(json).isEqualTo("{\"tokens\":10355,\"seconds\":2.5,\"withMemory\":17.4801,"
                + "\"memoryResetPerUtterance\":23.443,\"note\":\"10355 tokens of the turns the model does not "
                + "answer, teacher-forced: 17.48 given the memory, 23.44 with the memory reset before each\"}");
    }

    @Test
    void shouldSayHowToMeasureItWhenTheReplayDidNot() throws IOException {
        // Given a replay without --perplexity
        // When its section is put into the report
        String json = CanonicalJson.mapper().writeValueAsString(PerplexityFigures.putNotMeasured(
                CanonicalJson.mapper().createObjectNode()));

        // Then both figures are null and the note names the option
        assertThat(json).isEqualTo("{\"withMemory\":null,\"memoryResetPerUtterance\":null,"
                + "\"note\":\"not measured (replay --perplexity measures it)\"}");
    }
}
