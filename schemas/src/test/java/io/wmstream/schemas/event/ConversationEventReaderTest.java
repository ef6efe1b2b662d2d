package io.wmstream.schemas.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wmstream.schemas.deadletter.DeadLetterReason;
import io.wmstream.schemas.json.CanonicalJson;
import io.wmstream.schemas.serde.ConversationEventSerde;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConversationEventReaderTest {
    private final ConversationEventReader reader = new ConversationEventReader(EventLimits.DEFAULTS);

    @Test
    void shouldAcceptAnUtteranceAndDefaultItsType() {
        // Given an utterance without a type
        String json = "{\"conversationId\":\"trip-9\",\"turn\":4,\"speaker\":\"user\","
                + "\"text\":\"Is the 17:45 on time?\"}";

        // When it is read
        ConversationEvent event = accept(json);

        // Then every field is there and the type is utterance
        assertThat(event).isEqualTo(ConversationEvent.utterance("trip-9", 4, "user", "Is the 17:45 on time?"));
    }

    @Test
    void shouldIgnoreUnknownFields() {
        // Given an event with fields the schema does not name
        String json = "{\"conversationId\":\"c\",\"speaker\":\"user\",\"text\":\"hi\",\"lang\":\"en\","
                + "\"extra\":{\"nested\":[1,2,3]}}";

        // When it is read, Then they are dropped and the event accepted
        assertThat(accept(json)).isEqualTo(new ConversationEvent(EventType.UTTERANCE, "c", null, null, "user", "hi",
                null, null));
    }

    @Test
    void shouldAcceptRfc3339AndEpochMillisTimestampsAsTheSameInstant() {
        // Given the same instant written three ways
        String epoch = "{\"conversationId\":\"c\",\"speaker\":\"user\",\"text\":\"hi\",\"timestamp\":1767268800123}";
        String utc = epoch.replace("1767268800123", "\"2026-01-01T12:00:00.123Z\"");
        String offset = epoch.replace("1767268800123", "\"2026-01-01t14:00:00.123456+02:00\"");

        // When read, Then each gives epoch millis 1767268800123 (sub-millisecond digits dropped)
        assertThat(accept(epoch).timestampMillis()).isEqualTo(1_767_268_800_123L);
        assertThat(accept(utc).timestampMillis()).isEqualTo(1_767_268_800_123L);
        assertThat(accept(offset).timestampMillis()).isEqualTo(1_767_268_800_123L);
    }

    @Test
    void shouldAcceptControlEventsWithoutSpeakerOrText() {
        // Given end, reset and forget events
        // When read, Then each is accepted with its type
        assertThat(accept("{\"type\":\"end\",\"conversationId\":\"c\",\"turn\":9}").type()).isEqualTo(EventType.END);
        assertThat(accept("{\"type\":\"reset\",\"conversationId\":\"c\"}").type()).isEqualTo(EventType.RESET);
        assertThat(accept("{\"type\":\"forget\",\"conversationId\":\"c\"}").type()).isEqualTo(EventType.FORGET);
    }

    @Test
    void shouldTreatExplicitNullsOfOptionalFieldsAsAbsent() {
        // Given optional fields set to null
        String json = "{\"conversationId\":\"c\",\"speaker\":\"user\",\"text\":\"hi\",\"eventId\":null,\"turn\":null,"
                + "\"timestamp\":null,\"metadata\":null,\"type\":null}";

        // When read, Then they are absent
        assertThat(accept(json)).isEqualTo(new ConversationEvent(EventType.UTTERANCE, "c", null, null, "user", "hi",
                null, null));
    }

    @Test
    void shouldAcceptLimitsExactlyAtTheBoundary() {
        // Given a 200-character id, 8192 bytes of text and Unicode beyond the BMP
        String id = "é".repeat(199) + "😀";
        String text = "€".repeat(2730) + "ab";
        String json = "{\"conversationId\":\"" + id + "\",\"speaker\":\"user\",\"text\":\"" + text + "\"}";

        // When read, Then accepted
        ConversationEvent event = accept(json);
        assertThat(event.conversationId()).isEqualTo(id);
        assertThat(event.text().getBytes(StandardCharsets.UTF_8)).hasSize(8192);
    }

    @Test
    void shouldWriteFieldsInAFixedOrderWithSortedMetadata() {
        // Given an event whose JSON fields and metadata keys arrive in a scrambled order
        String json = "{\"metadata\":{\"z\":1,\"a\":{\"y\":1.50,\"b\":true}},\"text\":\"ok\",\"speaker\":\"agent\","
                + "\"timestamp\":\"2026-01-01T00:00:00Z\",\"turn\":2,\"eventId\":\"e-2\",\"conversationId\":\"c\"}";

        // When it is read and written
        String written = new String(CanonicalJson.write(accept(json)), StandardCharsets.UTF_8);

        // Then the bytes are the canonical form: schema order, sorted keys, decimals kept as written
        assertThat(written).isEqualTo("{\"type\":\"utterance\",\"conversationId\":\"c\",\"eventId\":\"e-2\",\"turn\":2,"
                + "\"speaker\":\"agent\",\"text\":\"ok\",\"timestamp\":1767225600000,"
                + "\"metadata\":{\"a\":{\"b\":true,\"y\":1.50},\"z\":1}}");
    }

    @Test
    void shouldRaiseATypedExceptionFromTheKafkaDeserializer() {
        // Given the event serde
        var serde = new ConversationEventSerde(EventLimits.DEFAULTS);

        // When a malformed value is deserialized
        // Then the exception carries the reason code
        assertThatThrownBy(() -> serde.deserializer().deserialize("conversation-events",
                "{\"conversationId\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(EventRejectedException.class, e -> assertThat(e.rejection().reason())
                        .isEqualTo(DeadLetterReason.MALFORMED_JSON));
    }

    @Test
    void shouldRespectAConfiguredTextLimit() {
        // Given a reader limited to 16 bytes of text
        var small = new ConversationEventReader(EventLimits.DEFAULTS.withMaxTextBytes(16));

        // When a 17-byte text arrives, Then it is too large
        ReadResult result = small.read(("{\"conversationId\":\"c\",\"speaker\":\"user\",\"text\":\"" + "x".repeat(17)
                + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(result).isInstanceOfSatisfying(ReadResult.Rejected.class,
                r -> assertThat(r.rejection().reason()).isEqualTo(DeadLetterReason.TOO_LARGE));
    }

    private ConversationEvent accept(String json) {
        ReadResult result = reader.read(json.getBytes(StandardCharsets.UTF_8));
        assertThat(result).as(json).isInstanceOf(ReadResult.Accepted.class);
        return ((ReadResult.Accepted) result).event();
    }
}
