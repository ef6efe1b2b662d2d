package io.wmstream.topology.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.schemas.deadletter.DeadLetterHeaders;
import io.wmstream.schemas.event.EventRejectedException;
import io.wmstream.schemas.event.EventRejection;
import io.wmstream.topology.ingest.OriginalRecord;
import io.wmstream.topology.processor.MemoryModelMismatchException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class DeadLetteringHandlersTest {
    private static final Map<String, Object> CONFIG = Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
            "conversation-dead-letters");
    private static final byte[] KEY = "c-1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VALUE = "{\"conversationId\":\"c-1\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldDeadLetterAProcessingErrorWithTheOriginalBytesAndContinue() {
        // Given the processing handler and a record that made a processor throw
        var handler = new DeadLetteringProcessingExceptionHandler();
        handler.configure(CONFIG);

        // When it handles the error
        ProcessingExceptionHandler.Response response = handler.handleError(new Context(), new Record<>("c-1", "v", 0L),
                new IllegalStateException("boom"));

        // Then processing resumes, and one dead letter carries the source bytes and the reason
        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo("conversation-dead-letters");
            assertThat(record.key()).isEqualTo(KEY);
            assertThat(record.value()).isEqualTo(VALUE);
            assertHeaders(record, "processing-error", "IllegalStateException: boom");
        });
    }

    @Test
    void shouldNameTheInputRecordOfAnEventThatCameThroughTheRepartitionTopic() {
        // Given the processing handler and a record read from the repartition topic (keyed by its conversation),
        // whose headers name the input record it was read from: no key there, partition 2, offset 41
        var handler = new DeadLetteringProcessingExceptionHandler();
        handler.configure(CONFIG);
        var headers = new RecordHeaders();
        headers.add("trace-id", "t-9".getBytes(StandardCharsets.UTF_8));
        new OriginalRecord("conversation-events", 2, 41L, null).writeTo(headers);
        var context = new Context("wmstream-rekeyed-events-repartition", headers);

        // When it handles an error of the processor
        ProcessingExceptionHandler.Response response = handler.handleError(context, new Record<>("c-1", "v", 0L),
                new IllegalStateException("boom"));

        // Then the dead letter names the input record (its key, topic, partition and offset), keeps the producer's
        // own headers and leaves the internal ones off
        assertThat(response.deadLetterQueueRecords()).singleElement().satisfies(record -> {
            assertThat(record.key()).isNull();
            assertThat(record.value()).isEqualTo(VALUE);
            Headers out = record.headers();
            assertThat(DeadLetterHeaders.read(out, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("conversation-events");
            assertThat(DeadLetterHeaders.read(out, DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("2");
            assertThat(DeadLetterHeaders.read(out, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("41");
            assertThat(DeadLetterHeaders.read(out, "trace-id")).isEqualTo("t-9");
            assertThat(OriginalRecord.HEADERS).allSatisfy(name -> assertThat(out.lastHeader(name)).isNull());
        });
    }

    @Test
    void shouldStopOnARefusedModelMismatch() {
        // Given the operator asked to refuse memory of another model
        var handler = new DeadLetteringProcessingExceptionHandler();
        handler.configure(CONFIG);

        // When that refusal reaches the handler, Then the application fails rather than dead-lettering
        assertThat(handler.handleError(new Context(), new Record<>("c-1", "v", 0L),
                new MemoryModelMismatchException("other model")).result())
                .isEqualTo(ProcessingExceptionHandler.Result.FAIL);
    }

    @Test
    void shouldDeadLetterAnUndeserializableRecordWithTheSerdesReason() {
        // Given the deserialization handler and a rejected event
        var handler = new DeadLetteringDeserializationExceptionHandler();
        handler.configure(CONFIG);
        var exception = new EventRejectedException(new EventRejection(
                io.wmstream.schemas.deadletter.DeadLetterReason.TOO_LARGE, "text has 9000 bytes"));

        // When it handles the failure
        DeserializationExceptionHandler.Response response = handler.handleError(new Context(),
                new ConsumerRecord<>("rekeyed-events", 1, 7L, KEY, VALUE), exception);

        // Then it resumes with a dead letter that says too-large
        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).singleElement()
                .satisfies(record -> assertHeaders(record, "too-large", "text has 9000 bytes"));
    }

    private static void assertHeaders(ProducerRecord<byte[], byte[]> record, String reason, String message) {
        Headers headers = record.headers();
        assertThat(DeadLetterHeaders.read(headers, DeadLetterHeaders.REASON)).isEqualTo(reason);
        assertThat(DeadLetterHeaders.read(headers, DeadLetterHeaders.MESSAGE)).isEqualTo(message);
        assertThat(DeadLetterHeaders.read(headers, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("conversation-events");
        assertThat(DeadLetterHeaders.read(headers, DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("1");
        assertThat(DeadLetterHeaders.read(headers, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("7");
    }

    /** The error context Kafka Streams hands to handlers, for a record read from partition 1 at offset 7. */
    private static final class Context implements ErrorHandlerContext {
        private final String topic;
        private final Headers headers;

        Context() {
            this("conversation-events", new RecordHeaders());
        }

        /** The context of a record read from {@code topic} with {@code headers}. */
        Context(String topic, Headers headers) {
            this.topic = topic;
            this.headers = headers;
        }

        @Override
        public String topic() {
            return topic;
        }

        @Override
        public int partition() {
            return 1;
        }

        @Override
        public long offset() {
            return 7;
        }

        @Override
        public Headers headers() {
            return headers;
        }

        @Override
        public String processorNodeId() {
            return "working-memory";
        }

        @Override
        public TaskId taskId() {
            return new TaskId(0, 1);
        }

        @Override
        public long timestamp() {
            return 0;
        }

        @Override
        public byte[] sourceRawKey() {
            return KEY;
        }

        @Override
        public byte[] sourceRawValue() {
            return VALUE;
        }
    }
}
