package io.wmstream.topology.errors;

import io.wmstream.schemas.deadletter.DeadLetterHeaders;
import io.wmstream.schemas.deadletter.DeadLetterReason;
import io.wmstream.topology.ingest.OriginalRecord;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/** Builds the dead-letter records that Kafka Streams' error handlers hand back (KIP-1034). */
final class DeadLetterRecords {
    private DeadLetterRecords() {
    }

    /** The dead-letter topic from the Streams configuration ({@code errors.dead.letter.queue.topic.name}). */
    static String topic(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        if (topic == null || topic.toString().isBlank()) {
            throw new ConfigException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG
                    + " must name the dead-letter topic");
        }
        return topic.toString();
    }

    /**
     * The dead letter of the record that failed: its value, and the key and coordinates of the input record it was
     * read from, which its {@link OriginalRecord} headers name when it came through the repartition topic (every
     * accepted event does); a record without them (one read from the input topic) names itself, {@code key} being
     * its raw key.
     */
    static ProducerRecord<byte[], byte[]> of(String topic, ErrorHandlerContext context, byte[] key, byte[] value,
            DeadLetterReason reason, String message) {
        Optional<OriginalRecord> original = OriginalRecord.readFrom(context.headers());
        Headers headers = OriginalRecord.without(context.headers());
        if (original.isPresent()) {
            OriginalRecord source = original.get();
            DeadLetterHeaders.write(headers, reason, message, source.topic(), source.partition(), source.offset());
            return new ProducerRecord<>(topic, null, source.key(), value, headers);
        }
        DeadLetterHeaders.write(headers, reason, message, context.topic(), context.partition(), context.offset());
        return new ProducerRecord<>(topic, null, key, value, headers);
    }

    static String describe(Exception exception) {
        String message = exception.getMessage();
        return exception.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
