package io.wmstream.app.replay;

import java.io.IOException;

/** Where a replay reads its events from, one at a time, so memory does not grow with the log. */
interface EventSource extends AutoCloseable {
    /** One event as stored: its value bytes and, when the source has one, a record timestamp (else -1). */
    record SourceRecord(byte[] value, long timestampMs) {
    }

    /** Opens a fresh source each time, so two models can replay the same events. */
    interface Opener {
        EventSource open() throws IOException;

        /** What is replayed, for messages. */
        String describe();
    }

    /** The next event, or null when the source is exhausted. */
    SourceRecord next() throws IOException;

    /**
     * Whether its records carry a timestamp the sender did not write (a topic's); a file's lines do not, and
     * {@link ArrivalTimes} stands in for it.
     */
    boolean recordTimes();

    /** How much of the source has been read, between 0 and 1, for the progress estimate. */
    double done();

    @Override
    void close() throws IOException;
}
