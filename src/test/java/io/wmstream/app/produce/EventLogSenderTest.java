package io.wmstream.app.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.schemas.event.ConversationEventReader;
import io.wmstream.schemas.event.EventLimits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class EventLogSenderTest {
    private static final String VALID_A = "{\"conversationId\":\"a\",\"speaker\":\"user\",\"text\":\"hi\"}";
    private static final String VALID_B = "{\"conversationId\":\"b\",\"type\":\"end\"}";
    private static final String NO_SPEAKER = "{\"conversationId\":\"a\",\"text\":\"hi\"}";

    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
            new ByteArraySerializer());

    @Test
    void shouldSendValidLinesKeyedByConversationWithTheirBytesUnchanged() {
        // Given two valid events
        EventLogSender sender = sender(false);

        // When they are sent
        SendReport report = sender.send(lines(VALID_A, VALID_B).iterator(), progress -> { });

        // Then each is keyed by its conversation and carries the original line
        assertThat(report.sent()).isEqualTo(2);
        assertThat(report.invalid()).isZero();
        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertThat(sent).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsExactly("a", "b");
        assertThat(sent.get(0).value()).isEqualTo(VALID_A.getBytes(StandardCharsets.UTF_8));
        assertThat(sent).allSatisfy(r -> assertThat(r.topic()).isEqualTo("events"));
    }

    @Test
    void shouldReportInvalidLinesWithLineNumberAndReasonAndNotSendThem() {
        // Given a log whose second line is not a valid event
        EventLogSender sender = sender(false);

        // When it is sent
        SendReport report = sender.send(lines(VALID_A, NO_SPEAKER, "not json").iterator(), progress -> { });

        // Then only the valid line went out, and both bad lines are reported with their numbers and reasons
        assertThat(producer.history()).hasSize(1);
        assertThat(report.sent()).isEqualTo(1);
        assertThat(report.invalid()).isEqualTo(2);
        assertThat(report.problems()).containsExactly(
                "line 2: schema-violation: speaker is required for an utterance (not sent)",
                report.problems().get(1));
        assertThat(report.problems().get(1)).startsWith("line 3: malformed-json:");
    }

    @Test
    void shouldSendInvalidLinesWhenAskedSoThePipelineDeadLettersThem() {
        EventLogSender sender = sender(true);

        SendReport report = sender.send(lines(NO_SPEAKER).iterator(), progress -> { });

        assertThat(producer.history()).hasSize(1);
        assertThat(producer.history().get(0).key()).isNull();
        assertThat(report.sent()).isEqualTo(1);
        assertThat(report.invalid()).isEqualTo(1);
        assertThat(report.problems()).containsExactly(
                "line 1: schema-violation: speaker is required for an utterance (sent anyway)");
    }

    @Test
    void shouldCountSendsThatKafkaRefused() {
        // Given a producer whose broker refuses every record when it is flushed
        MockProducer<byte[], byte[]> failing = new MockProducer<>(false, null, new ByteArraySerializer(),
                new ByteArraySerializer()) {
            @Override
            public synchronized void flush() {
                while (errorNext(new TimeoutException("broker gone"))) {
                    Thread.onSpinWait();
                }
            }
        };
        EventLogSender sender = new EventLogSender(failing, "events",
                new ConversationEventReader(EventLimits.DEFAULTS), false);

        // When a line is sent
        SendReport report = sender.send(lines(VALID_A).iterator(), progress -> { });

        // Then it is counted as failed, with the reason
        assertThat(report.sent()).isZero();
        assertThat(report.failed()).isEqualTo(1);
        assertThat(report.problems()).containsExactly("line 1: not sent: broker gone");
    }

    private EventLogSender sender(boolean sendInvalid) {
        return new EventLogSender(producer, "events", new ConversationEventReader(EventLimits.DEFAULTS),
                sendInvalid);
    }

    private static List<EventLogReader.Line> lines(String... texts) {
        List<EventLogReader.Line> lines = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            lines.add(new EventLogReader.Line(i + 1, texts[i].getBytes(StandardCharsets.UTF_8)));
        }
        return lines;
    }
}
