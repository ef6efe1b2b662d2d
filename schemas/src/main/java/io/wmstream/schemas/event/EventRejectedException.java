package io.wmstream.schemas.event;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Thrown by the event deserializer so that Kafka's deserialization handlers see a typed failure with its reason.
 */
public class EventRejectedException extends SerializationException {
    private final transient EventRejection rejection;

    public EventRejectedException(EventRejection rejection) {
        super(rejection.toString());
        this.rejection = rejection;
    }

    public EventRejection rejection() {
        return rejection;
    }
}
