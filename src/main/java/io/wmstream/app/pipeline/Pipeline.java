package io.wmstream.app.pipeline;

import io.wmstream.app.http.ConversationLookup;
import java.util.Objects;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

/**
 * One built pipeline: its Kafka Streams instance (not started), how its conversations are looked up, and whatever
 * else it holds (a model session) to release once Streams has closed.
 */
public interface Pipeline extends AutoCloseable {
    /** The pipeline's Kafka Streams instance; the application sets its state listener, starts and closes it. */
    KafkaStreams streams();

    /**
     * How {@code GET /conversations/{id}} finds a conversation; {@code self} is this instance's
     * {@code application.server}, or null when the HTTP server is off. The default answers 501 (not wired).
     */
    default ConversationLookup lookup(HostInfo self) {
        return ConversationLookup.NOT_AVAILABLE;
    }

    /** Releases what the pipeline holds; called after {@link KafkaStreams#close} returned. */
    @Override
    default void close() {
    }

    /** A pipeline of {@code streams} that runs {@code release} (e.g. {@code model::close}) when closed. */
    static Pipeline of(KafkaStreams streams, Runnable release) {
        Objects.requireNonNull(streams, "streams");
        Objects.requireNonNull(release, "release");
        return new Pipeline() {
            @Override
            public KafkaStreams streams() {
                return streams;
            }

            @Override
            public void close() {
                release.run();
            }
        };
    }
}
