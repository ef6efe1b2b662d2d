package io.wmstream.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.schemas.json.CanonicalJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DialogueStateScoresTest {
    @Test
    void shouldPutTheThreeSectionsSignedWithTheSlotTablesAndSayWhyNothingWasScored() {
        // Given scores of a replay whose only closed conversation annotated no dialogue state
        DialogueStateScores scores = new DialogueStateScores(StateSlots.defaults());
        StateSlots.Dialogue gold = scores.dialogue();
        gold.onUtterance(0L, "user", null);
        scores.add(gold, Map.of(), Map.of(), " hello", CanonicalJson.mapper().createObjectNode());

        // When they are put into the report
        ObjectNode report = scores.putInto(CanonicalJson.mapper().createObjectNode());

        // Then the final state, joint accuracy and request accuracy sections follow each other, the first two
        // signed with the slot tables' fingerprint, each saying why it holds no figure
        List<String> sections = new ArrayList<>();
        report.fieldNames().forEachRemaining(sections::add);
        assertThat(sections).containsExactly("finalState", "jointAccuracy", "requestAccuracy");
        String fingerprint = StateSlots.defaults().fingerprint();
        JsonNode state = report.path("finalState");
        assertThat(state.path("signature").asText()).endsWith("|slots:" + fingerprint);
        assertThat(state.fieldNames().next()).isEqualTo("signature");
        assertThat(state.path("f1").isNull()).isTrue();
        assertThat(state.path("note").asText()).startsWith("n/a: no final summary");
        assertThat(report.path("jointAccuracy").path("signature").asText()).endsWith("|slots:" + fingerprint);
        assertThat(report.path("jointAccuracy").path("note").asText()).startsWith("n/a: no user turn");
        assertThat(report.path("requestAccuracy").path("signature").asText()).isEqualTo(RequestAccuracy.SIGNATURE);
        assertThat(report.path("requestAccuracy").path("turns").asLong()).isZero();
    }
}
