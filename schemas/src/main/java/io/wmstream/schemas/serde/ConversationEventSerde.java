package io.wmstream.schemas.serde;

import io.wmstream.schemas.event.ConversationEvent;
import io.wmstream.schemas.event.ConversationEventReader;
import io.wmstream.schemas.event.EventLimits;
import io.wmstream.schemas.event.EventRejectedException;
import io.wmstream.schemas.event.ReadResult;
import io.wmstream.schemas.json.CanonicalJson;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde for input events. Deserializing validates with {@link ConversationEventReader}; bad input raises an
 * {@link EventRejectedException} carrying the reason code, for Kafka's deserialization exception handlers.
 */
public final class ConversationEventSerde implements Serde<ConversationEvent> {
    private final ConversationEventReader reader;

    public ConversationEventSerde(EventLimits limits) {
        this.reader = new ConversationEventReader(limits);
    }

    public ConversationEventReader reader() {
        return reader;
    }

    @Override
    public Serializer<ConversationEvent> serializer() {
        return (topic, event) -> event == null ? null : CanonicalJson.write(event);
    }

    @Override
    public Deserializer<ConversationEvent> deserializer() {
        return (topic, bytes) -> {
            ReadResult result = reader.read(bytes);
            if (result instanceof ReadResult.Accepted accepted) {
                return accepted.event();
            }
            throw new EventRejectedException(((ReadResult.Rejected) result).rejection());
        };
    }
}
