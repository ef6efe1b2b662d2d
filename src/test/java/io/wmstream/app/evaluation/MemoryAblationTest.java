package io.wmstream.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.schemas.json.CanonicalJson;
import org.junit.jupiter.api.Test;

class MemoryAblationTest {
    @Test
    void shouldSetTheDialogueStateFiguresSideBySideAndLeaveUnmeasuredOnesEmpty() {
        // Given a run with memory whose state figures were measured and a run without memory that lost a value
        ObjectNode with = report(0.9, 0.5, null);
        ObjectNode without = report(0.6, 0.25, null);

        // When they are compared
        ObjectNode ablation = MemoryAblation.compare(with, without);

        // Then the memory's gain is shown for the measured figures, and none for request accuracy (not measured)
        JsonNode metrics = ablation.path("metrics");
        assertThat(metrics.path("finalStateF1").path("memoryGain").asDouble()).isEqualTo(0.3);
        assertThat(metrics.path("jointAccuracy").path("withoutMemory").asDouble()).isEqualTo(0.25);
        assertThat(metrics.path("requestAccuracy").path("withMemory").isNull()).isTrue();
        assertThat(metrics.path("requestAccuracy").path("memoryGain").isNull()).isTrue();
        assertThat(MemoryAblation.table(ablation)).contains("final state F1", "joint accuracy", "request accuracy");
    }

    private static ObjectNode report(double f1, double joint, Double requests) {
        ObjectNode report = CanonicalJson.mapper().createObjectNode();
        report.putObject("finalState").put("f1", f1);
        report.putObject("jointAccuracy").put("accuracy", joint);
        ObjectNode request = report.putObject("requestAccuracy");
        if (requests == null) {
            request.putNull("accuracy");
        } else {
            request.put("accuracy", requests);
        }
        return report;
    }
}
