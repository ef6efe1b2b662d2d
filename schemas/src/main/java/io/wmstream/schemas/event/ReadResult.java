package io.wmstream.schemas.event;

/** The outcome of reading one input record: an accepted event or a rejection, never an exception. */
public sealed interface ReadResult permits ReadResult.Accepted, ReadResult.Rejected {

    /** The record is a valid event. */
    record Accepted(ConversationEvent event) implements ReadResult {
    }

    /** The record is bad input; it belongs on the dead-letter topic. */
    record Rejected(EventRejection rejection) implements ReadResult {
    }
}
