package io.wmstream.app.pipeline;

import io.wmstream.app.http.ConversationLookup;
import io.wmstream.topology.config.WmConfig;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The seam between the application and the topology: {@code run} and {@code demo} own the lifecycle (broker,
 * topics, HTTP, start, shutdown); an implementation only builds the {@link KafkaStreams} and says how a
 * conversation is looked up.
 */
public interface PipelineFactory {
    /**
     * A new, not yet started Kafka Streams instance of the pipeline. The caller sets the state listener, starts
     * and closes it; an implementation must not call {@code setStateListener} itself.
     *
     * @param config the loaded configuration (topics via {@link WmConfig#topic(String)})
     * @param streamsProperties Streams settings prepared by the application: application id, bootstrap servers,
     *     exactly-once, {@code application.server}, and every {@code kafka.*} override; use them as they are
     */
    KafkaStreams create(WmConfig config, Properties streamsProperties) throws Exception;

    /**
     * How {@code GET /conversations/{id}} finds a conversation in {@code streams}; {@code self} is this instance's
     * {@code application.server}, or null when the HTTP server is off. The default answers 501 (not wired).
     */
    default ConversationLookup lookup(KafkaStreams streams, WmConfig config, HostInfo self) {
        return ConversationLookup.NOT_AVAILABLE;
    }
}
