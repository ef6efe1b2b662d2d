package io.wmstream.schemas.serde;

import io.wmstream.schemas.event.EventLimits;
import io.wmstream.schemas.output.Reply;
import io.wmstream.schemas.output.Summary;

/** The serdes of every wmstream topic. */
public final class WmSerdes {
    private WmSerdes() {
    }

    public static ConversationEventSerde events(EventLimits limits) {
        return new ConversationEventSerde(limits);
    }

    public static JsonRecordSerde<Reply> replies() {
        return new JsonRecordSerde<>(Reply.class);
    }

    public static JsonRecordSerde<Summary> summaries() {
        return new JsonRecordSerde<>(Summary.class);
    }
}
