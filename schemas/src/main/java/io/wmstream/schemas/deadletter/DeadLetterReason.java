package io.wmstream.schemas.deadletter;

import java.util.Arrays;
import java.util.Optional;

/** Why a record went to the dead-letter topic; the code travels in the {@link DeadLetterHeaders#REASON} header. */
public enum DeadLetterReason {
    EMPTY_VALUE("empty-value", "the record value is null (a tombstone) or empty"),
    INVALID_UTF8("invalid-utf8", "the value is not valid UTF-8, or a JSON string escapes an unpaired surrogate"),
    MALFORMED_JSON("malformed-json",
            "the value is not one well-formed JSON document (syntax, duplicate keys, trailing data)"),
    SCHEMA_VIOLATION("schema-violation",
            "well-formed JSON that breaks the ConversationEvent schema (missing field, wrong type, bad value)"),
    INVALID_CONVERSATION_ID("invalid-conversation-id",
            "conversationId is missing, not a string, empty, over 200 characters or holds control characters"),
    TOO_LARGE("too-large", "the record, its text, its metadata or its eventId is over the configured size limit"),
    FUTURE_TIMESTAMP("future-timestamp", "the event's time is more than wm.event.time.max.skew.ms ahead of the "
            + "stream's time (its partition's time, or the record's own timestamp when later)"),
    MODEL_FAILURE("model-failure", "the model failed on the batch holding this event, after the bounded retries"),
    PROCESSING_ERROR("processing-error", "an unexpected error while processing this record; the message says which");

    private final String code;
    private final String description;

    DeadLetterReason(String code, String description) {
        this.code = code;
        this.description = description;
    }

    /** The stable wire code, e.g. {@code malformed-json}. */
    public String code() {
        return code;
    }

    public String description() {
        return description;
    }

    public static Optional<DeadLetterReason> fromCode(String code) {
        return Arrays.stream(values()).filter(r -> r.code.equals(code)).findFirst();
    }
}
