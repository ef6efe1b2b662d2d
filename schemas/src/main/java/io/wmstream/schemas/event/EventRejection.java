package io.wmstream.schemas.event;

import io.wmstream.schemas.deadletter.DeadLetterReason;
import java.util.Objects;

/** Why an input record was not accepted: a reason code for machines and a message for people. */
public record EventRejection(DeadLetterReason reason, String message) {
    public EventRejection {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return reason.code() + ": " + message;
    }
}
