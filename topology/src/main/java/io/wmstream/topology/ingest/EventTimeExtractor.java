package io.wmstream.topology.ingest;

import io.wmstream.schemas.event.ConversationEventReader;
import io.wmstream.schemas.event.EventLimits;
import io.wmstream.schemas.event.ReadResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time per DESIGN 4.2: the event's own {@code timestamp} when it has one, else the record timestamp. Stream
 * time, idle expiry and output timestamps all follow it, so a replay of a log reproduces them.
 */
public final class EventTimeExtractor implements TimestampExtractor {
    private final ConversationEventReader reader = new ConversationEventReader(EventLimits.DEFAULTS);

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof byte[] bytes) {
            ReadResult result = reader.read(bytes);
            if (result instanceof ReadResult.Accepted accepted && accepted.event().timestampMillis() != null
                    && accepted.event().timestampMillis() >= 0) {
                return accepted.event().timestampMillis();
            }
        }
        // Kafka Streams drops records with a negative timestamp; bad input must reach the dead-letter topic instead.
        return record.timestamp() >= 0 ? record.timestamp() : Math.max(partitionTime, 0);
    }
}
