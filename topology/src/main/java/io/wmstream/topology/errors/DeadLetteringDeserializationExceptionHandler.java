package io.wmstream.topology.errors;

import io.wmstream.schemas.deadletter.DeadLetterReason;
import io.wmstream.schemas.event.EventRejectedException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that cannot be deserialized goes to the dead-letter topic with its original bytes and the reason the
 * serde gave ({@link EventRejectedException}), or {@code processing-error} for any other failure.
 */
public final class DeadLetteringDeserializationExceptionHandler implements DeserializationExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetteringDeserializationExceptionHandler.class);
    private String topic;

    @Override
    public void configure(Map<String, ?> configs) {
        topic = DeadLetterRecords.topic(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        DeadLetterReason reason = exception instanceof EventRejectedException rejected
                ? rejected.rejection().reason() : DeadLetterReason.PROCESSING_ERROR;
        String message = exception instanceof EventRejectedException rejected
                ? rejected.rejection().message() : DeadLetterRecords.describe(exception);
        LOG.warn("Undeserializable record at {}-{}@{} dead-lettered: {}", record.topic(), record.partition(),
                record.offset(), message);
        return Response.resume(List.of(DeadLetterRecords.of(topic, context, record.key(), record.value(), reason,
                message)));
    }
}
