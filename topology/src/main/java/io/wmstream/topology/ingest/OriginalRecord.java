package io.wmstream.topology.ingest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Where an accepted event was read from: the input record's topic, partition, offset and key. Every accepted event
 * reaches the working-memory processor through the repartition topic, keyed by its conversation, so the processor's
 * own record metadata names the repartition record; these headers carry the original one across, so that dead
 * letters, pending events and the {@code wm.source.offset} of outputs name the record a producer wrote.
 *
 * <p>The headers are internal: they are written on the repartition record (a producer's headers of these names are
 * replaced), and left off dead letters, which carry the coordinates in their own {@code wm.dlq.source.*} headers.
 *
 * @param key the original key bytes, null when the record had none
 */
public record OriginalRecord(String topic, int partition, long offset, byte[] key) {
    /** The input topic. */
    public static final String TOPIC_HEADER = "wm.source.topic";
    /** The input partition, as a decimal string. */
    public static final String PARTITION_HEADER = "wm.source.partition";
    /** The input offset, as a decimal string; outputs carry the same header with the same meaning. */
    public static final String OFFSET_HEADER = "wm.source.offset";
    /** The input key's bytes; a header with a null value when the record had no key. */
    public static final String KEY_HEADER = "wm.source.key";
    /** Every header of an original record, in the order they are written. */
    public static final List<String> HEADERS = List.of(TOPIC_HEADER, PARTITION_HEADER, OFFSET_HEADER, KEY_HEADER);

    /** Writes the four headers into {@code headers}, replacing any of those names already there. */
    public void writeTo(Headers headers) {
        HEADERS.forEach(headers::remove);
        headers.add(TOPIC_HEADER, utf8(topic));
        headers.add(PARTITION_HEADER, utf8(Integer.toString(partition)));
        headers.add(OFFSET_HEADER, utf8(Long.toString(offset)));
        headers.add(KEY_HEADER, key);
    }

    /**
     * The original record named in {@code headers}; empty when they do not name one whole (a record written to the
     * repartition topic by a version before these headers, or headers that are not ours).
     */
    public static Optional<OriginalRecord> readFrom(Headers headers) {
        if (headers == null) {
            return Optional.empty();
        }
        Header topic = headers.lastHeader(TOPIC_HEADER);
        Header partition = headers.lastHeader(PARTITION_HEADER);
        Header offset = headers.lastHeader(OFFSET_HEADER);
        Header key = headers.lastHeader(KEY_HEADER);
        if (topic == null || topic.value() == null || partition == null || partition.value() == null
                || offset == null || offset.value() == null || key == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new OriginalRecord(text(topic), Integer.parseInt(text(partition)),
                    Long.parseLong(text(offset)), key.value()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A copy of {@code headers} without the original-record headers. */
    public static Headers without(Headers headers) {
        var copy = new RecordHeaders(headers == null ? new Header[0] : headers.toArray());
        HEADERS.forEach(copy::remove);
        return copy;
    }

    private static String text(Header header) {
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
