package io.wmstream.topology.ingest;

import io.wmstream.schemas.event.ConversationEvent;
import io.wmstream.schemas.event.EventRejection;

/**
 * An input record after validation: the event and its original bytes, or the rejection. Lives only between the
 * parse and routing nodes of one sub-topology, never serialized.
 */
public record ParsedEvent(ConversationEvent event, EventRejection rejection, byte[] rawValue) {
    public boolean accepted() {
        return event != null;
    }
}
