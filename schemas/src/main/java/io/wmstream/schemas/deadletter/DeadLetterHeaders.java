package io.wmstream.schemas.deadletter;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Headers;

/** Header names on dead-letter records; the value and key stay the original bytes. */
public final class DeadLetterHeaders {
    /** The reason code, one of {@link DeadLetterReason#code()}. */
    public static final String REASON = "wm.dlq.reason";
    /** A human-readable message: what was wrong and where. */
    public static final String MESSAGE = "wm.dlq.message";
    /** The topic the record was read from. */
    public static final String SOURCE_TOPIC = "wm.dlq.source.topic";
    /** The partition it was read from, as a decimal string. */
    public static final String SOURCE_PARTITION = "wm.dlq.source.partition";
    /** The offset it was read from, as a decimal string. */
    public static final String SOURCE_OFFSET = "wm.dlq.source.offset";

    /** Every header a dead-letter record carries, in the order they are written. */
    public static final List<String> ALL = List.of(REASON, MESSAGE, SOURCE_TOPIC, SOURCE_PARTITION, SOURCE_OFFSET);

    private DeadLetterHeaders() {
    }

    /** Adds the five headers to {@code headers}. */
    public static void write(Headers headers, DeadLetterReason reason, String message, String topic, int partition,
            long offset) {
        headers.add(REASON, utf8(reason.code()));
        headers.add(MESSAGE, utf8(message));
        headers.add(SOURCE_TOPIC, utf8(topic));
        headers.add(SOURCE_PARTITION, utf8(Integer.toString(partition)));
        headers.add(SOURCE_OFFSET, utf8(Long.toString(offset)));
    }

    /** The last value of header {@code name} as UTF-8 text, or null when absent. */
    public static String read(Headers headers, String name) {
        var header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
