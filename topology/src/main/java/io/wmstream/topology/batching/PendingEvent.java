package io.wmstream.topology.batching;

import java.util.Objects;

/**
 * An accepted event waiting for its micro-batch, as kept in the changelogged pending store: the original key and
 * value bytes (so a dead letter can carry them), where it was read from, and its event time.
 */
public record PendingEvent(long sequence, byte[] key, byte[] value, String topic, int partition, long offset,
        long timestampMs) {
    public PendingEvent {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(topic, "topic");
    }
}
