package io.wmstream.topology.ingest;

import io.wmstream.schemas.event.ConversationEventReader;
import io.wmstream.schemas.event.EventLimits;
import io.wmstream.schemas.event.ReadResult;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Events parsed once per instance of the topology: the timestamp extractor parses an input record, the parser takes
 * that parse, and the working-memory processor's pending queue takes it again once the event came back through the
 * repartition topic (the same bytes: an accepted event travels as it arrived). A parse depends only on the bytes and
 * the limits, which are the topology's, so an event read here is the event a fresh parse would give.
 *
 * <p>Keyed by the bytes' content (one hash and one comparison cost far less than a parse). Only accepted events are
 * kept, and each is given up by its last reader (the pending queue) or by the parser when it dead-letters it; what
 * another instance consumes after the repartition never comes back here, so the map is emptied when the events it
 * holds reach {@link #CAPACITY_BYTES} bytes: a miss only costs a parse. Thread-safe: the stream threads of an
 * instance share it.
 */
public final class ParsedEvents {
    /**
     * Bytes of events held at most (about three times that in memory, with their parsed text): the events between
     * their extraction and their pending queue are those of the repartition's lag within one instance, a commit
     * interval or two of input, usually far less.
     */
    static final long CAPACITY_BYTES = 8L << 20;

    private final ConversationEventReader reader;
    private final Map<Content, ReadResult.Accepted> accepted = new ConcurrentHashMap<>();
    /** About the bytes {@link #accepted} holds (updated without a lock: a bound, not a count). */
    private final AtomicLong held = new AtomicLong();

    public ParsedEvents(EventLimits limits) {
        this.reader = new ConversationEventReader(limits);
    }

    /** Parses {@code value} and keeps it, when accepted, for the readers after this one. */
    public ReadResult parse(byte[] value) {
        ReadResult result = reader.read(value);
        if (result instanceof ReadResult.Accepted event) {
            if (held.addAndGet(value.length) > CAPACITY_BYTES) {
                accepted.clear();
                held.set(value.length);
            }
            accepted.put(new Content(value), event);
        }
        return result;
    }

    /** {@code value} as parsed before, kept for the readers after this one; parsed now if it was not. */
    public ReadResult read(byte[] value) {
        ReadResult.Accepted known = accepted.get(new Content(value));
        return known != null ? known : parse(value);
    }

    /** {@code value} as parsed before, given up by its last reader; parsed now if it was not. */
    public ReadResult take(byte[] value) {
        ReadResult.Accepted known = accepted.remove(new Content(value));
        if (known == null) {
            return reader.read(value);
        }
        held.addAndGet(-value.length);
        return known;
    }

    /** No reader will ask for {@code value} again (it was dead-lettered). */
    public void forget(byte[] value) {
        if (accepted.remove(new Content(value)) != null) {
            held.addAndGet(-value.length);
        }
    }

    /** Bytes compared by content. */
    private static final class Content {
        private final byte[] bytes;
        private final int hash;

        Content(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Content content && hash == content.hash && Arrays.equals(bytes, content.bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
