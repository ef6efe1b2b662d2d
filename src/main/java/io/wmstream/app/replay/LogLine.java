package io.wmstream.app.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.schemas.event.ConversationEvent;
import io.wmstream.schemas.event.ConversationEventReader;
import io.wmstream.schemas.event.ReadResult;

/** One line of the source: its bytes, its JSON (null when it is not an object) and its event, if it is one. */
record LogLine(byte[] value, JsonNode json, ConversationEvent event) {
    static LogLine read(byte[] value, JsonNode json, ConversationEventReader reader) {
        ConversationEvent event = value != null && reader.read(value) instanceof ReadResult.Accepted accepted
                ? accepted.event() : null;
        return new LogLine(value, json, event);
    }

    /** The event's own time, or -1 when it is no event or has none. */
    long ownTimeMs() {
        return event != null && event.timestampMillis() != null && event.timestampMillis() >= 0
                ? event.timestampMillis() : -1;
    }
}
