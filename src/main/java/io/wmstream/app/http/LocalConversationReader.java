package io.wmstream.app.http;

import java.util.Optional;

/**
 * Reads one conversation from this instance's own state stores and renders it as JSON; the topology implements it
 * (e.g. over {@code KafkaStreams.store(...)}). May throw
 * {@link org.apache.kafka.streams.errors.InvalidStateStoreException} while the store is migrating.
 */
@FunctionalInterface
public interface LocalConversationReader {
    /** The conversation as JSON bytes, or empty when this instance's store does not hold it. */
    Optional<byte[]> read(String conversationId);
}
