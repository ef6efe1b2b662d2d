package io.wmstream.topology.errors;

import io.wmstream.schemas.deadletter.DeadLetterHeaders;
import io.wmstream.schemas.deadletter.DeadLetterReason;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.internals.RecordHeaders;
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

    static ProducerRecord<byte[], byte[]> of(String topic, ErrorHandlerContext context, byte[] key, byte[] value,
            DeadLetterReason reason, String message) {
        var headers = new RecordHeaders(context.headers() == null ? new RecordHeaders().toArray()
                : context.headers().toArray());
        DeadLetterHeaders.write(headers, reason, message, context.topic(), context.partition(), context.offset());
        return new ProducerRecord<>(topic, null, key, value, headers);
    }

    static String describe(Exception exception) {
        String message = exception.getMessage();
        return exception.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
