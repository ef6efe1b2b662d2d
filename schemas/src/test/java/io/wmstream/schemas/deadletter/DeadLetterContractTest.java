package io.wmstream.schemas.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeadLetterContractTest {

    @Test
    void shouldDocumentEveryReasonCodeAndHeaderInTheShippedResource() throws IOException {
        // Given the documented list shipped in the jar
        JsonNode doc;
        try (InputStream in = getClass().getResourceAsStream("/schemas/dead-letters.json")) {
            doc = new ObjectMapper().readTree(in);
        }

        // When its reasons and headers are read
        Map<String, String> documented = new LinkedHashMap<>();
        doc.get("reasons").forEach(r -> documented.put(r.get("code").asText(), r.get("description").asText()));
        List<String> headers = new ArrayList<>();
        doc.get("headers").forEach(h -> headers.add(h.get("name").asText()));

        // Then they are exactly the ones the code uses
        Map<String, String> inCode = new LinkedHashMap<>();
        Arrays.stream(DeadLetterReason.values()).forEach(r -> inCode.put(r.code(), r.description()));
        assertThat(documented).containsExactlyEntriesOf(inCode);
        assertThat(headers).containsExactlyElementsOf(DeadLetterHeaders.ALL);
    }

    @Test
    void shouldWriteAndReadBackTheFiveHeaders() {
        // Given empty headers
        var headers = new RecordHeaders();

        // When a dead-letter reason is written
        DeadLetterHeaders.write(headers, DeadLetterReason.TOO_LARGE, "text has 9000 bytes", "conversation-events", 3,
                42L);

        // Then each header reads back as text
        assertThat(DeadLetterHeaders.read(headers, DeadLetterHeaders.REASON)).isEqualTo("too-large");
        assertThat(DeadLetterHeaders.read(headers, DeadLetterHeaders.MESSAGE)).isEqualTo("text has 9000 bytes");
        assertThat(DeadLetterHeaders.read(headers, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("conversation-events");
        assertThat(DeadLetterHeaders.read(headers, DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("3");
        assertThat(DeadLetterHeaders.read(headers, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("42");
        assertThat(DeadLetterReason.fromCode("too-large")).contains(DeadLetterReason.TOO_LARGE);
    }
}
