package io.wmstream.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.schemas.json.CanonicalJson;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyReferencesTest {
    @Test
    void shouldScoreOverallAndPerDomainAndCountRepliesWithoutReferenceOrDomain() {
        // Given a reply equal to its hotel reference, one to a reference that names no domain, and a third reply
        // that had no reference at all
        ReplyReferences references = new ReplyReferences();
        references.add("The Lark is a cheap hotel .", "The Lark is a cheap hotel .", List.of("hotel"));
        references.add("Where to?", "Where would you like to go ?", List.of());

        // When they are put into the report, of three replies
        ObjectNode node = references.putInto(CanonicalJson.mapper().createObjectNode(), 3);

        // Then two were scored, one without reference and one without domain; the hotel one scores 100 there
        List<String> fields = new ArrayList<>();
        node.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("signature", "count", "bleu4", "rougeL", "withoutReference",
                "withoutDomain", "byDomain");
        assertThat(node.path("signature").asText()).isEqualTo(ReplyReferences.SIGNATURE);
        assertThat(node.path("count").asLong()).isEqualTo(2);
        assertThat(node.path("withoutReference").asLong()).isEqualTo(1);
        assertThat(node.path("withoutDomain").asLong()).isEqualTo(1);
        JsonNode hotel = node.path("byDomain").path("hotel");
        assertThat(hotel.path("count").asLong()).isEqualTo(1);
        assertThat(hotel.path("bleu4").asDouble()).isEqualTo(100.0);
        assertThat(hotel.path("rougeL").asDouble()).isEqualTo(1.0);
        assertThat(node.path("rougeL").asDouble()).isBetween(0.5, 1.0);
    }
}
