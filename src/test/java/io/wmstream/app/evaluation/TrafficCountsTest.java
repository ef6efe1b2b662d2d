package io.wmstream.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.schemas.json.CanonicalJson;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class TrafficCountsTest {
    @Test
    void shouldPutTheLinesInAndTheOutputsByKind() throws IOException {
        // Given two lines in (one an utterance) and a reply, a running and a final summary, and a dead letter out
        TrafficCounts traffic = new TrafficCounts();
        traffic.onLine(true);
        traffic.onLine(false);
        traffic.onReply();
        traffic.onSummary(false);
        traffic.onSummary(true);
        traffic.onDeadLetter();

        // When it puts its sections into a report
        ObjectNode report = traffic.putInto(CanonicalJson.mapper().createObjectNode());

        // Then input and outputs hold each count, in the report's order
        assertThat(CanonicalJson.mapper().writeValueAsString(report)).isEqualTo("{\"input\":{\"lines\":2,"
                + "\"utterances\":1},\"outputs\":{\"replies\":1,\"summaries\":2,\"finalSummaries\":1,"
                + "\"deadLetters\":1}}");
    }
}
