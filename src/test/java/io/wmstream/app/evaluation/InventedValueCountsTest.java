package io.wmstream.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.schemas.json.CanonicalJson;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InventedValueCountsTest {
    @Test
    void shouldPutRatesByKindAndKeepOnlyTheFirstExamples() {
        // Given six replies that each invent a code, one that invents a number and holds a placeholder, one that
        // invents nothing, and one with nothing to check it against
        InventedValueCounts counts = new InventedValueCounts();
        List<Set<String>> earlier = List.of(InventedValues.runs("a table for 2 please"));
        for (int i = 0; i < 6; i++) {
            String text = "your reference is ab" + i + "cd";
            counts.add(InventedValues.check(text, earlier), reply("c-" + i, text), text);
        }
        String number = "for 2 at 7 , reference [reference]";
        counts.add(InventedValues.check(number, earlier), reply("c-6", number), number);
        counts.add(InventedValues.check("for 2 people", earlier), reply("c-7", "for 2 people"), "for 2 people");
        counts.addNotChecked();

        // When they are put into the report
        ObjectNode node = counts.putInto(CanonicalJson.mapper().createObjectNode());

        // Then 7 of the 8 checked replies invent, 6 a code and 1 a number; the first five are the examples
        assertThat(node.path("repliesChecked").asLong()).isEqualTo(8);
        assertThat(node.path("repliesNotChecked").asLong()).isEqualTo(1);
        assertThat(node.path("rate").asDouble()).isEqualTo(0.875);
        assertThat(node.path("codeRate").asDouble()).isEqualTo(0.75);
        assertThat(node.path("numberRate").asDouble()).isEqualTo(0.125);
        assertThat(node.path("values").asLong()).isEqualTo(7);
        assertThat(node.path("placeholders").asLong()).isEqualTo(1);
        assertThat(node.path("repliesWithPlaceholders").asLong()).isEqualTo(1);
        JsonNode examples = node.path("examples");
        assertThat(examples).hasSize(InventedValueCounts.EXAMPLES);
        assertThat(examples.get(0).path("conversationId").asText()).isEqualTo("c-0");
        assertThat(examples.get(0).path("inReplyTo").asLong()).isEqualTo(3);
        assertThat(examples.get(0).path("invented").get(0).asText()).isEqualTo("ab0cd");
        assertThat(examples.get(4).path("conversationId").asText()).isEqualTo("c-4");
    }

    private static ObjectNode reply(String conversation, String text) {
        ObjectNode reply = CanonicalJson.mapper().createObjectNode();
        reply.put("conversationId", conversation);
        reply.putObject("inReplyTo").put("turn", 3);
        reply.put("text", text);
        return reply;
    }
}
