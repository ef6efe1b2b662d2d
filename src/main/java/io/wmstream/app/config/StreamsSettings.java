package io.wmstream.app.config;

import io.wmstream.topology.config.WmConfig;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams properties of the pipeline: wmstream's defaults first, then every {@code kafka.*} setting, so
 * a user can override any of them (application id, state directory, security) from the configuration.
 */
public final class StreamsSettings {
    /**
     * Longest a record may wait in a changelog before the log cleaner must compact it (KIP-354), unless
     * {@code kafka.topic.max.compaction.lag.ms} says otherwise. A {@code forget} deletes a conversation's entries
     * and writes tombstones, but the values it replaced stay readable in the changelog until compaction: without
     * this bound they could wait in the active segment for {@code segment.ms} (7 days) or until it fills (1 GiB).
     */
    public static final long ERASURE_MAX_COMPACTION_LAG_MS = 86_400_000L;

    /** Application id when {@code kafka.application.id} is not set. */
    public static final String DEFAULT_APPLICATION_ID = "wmstream";
    /**
     * How long the group waits for a silent member before moving its partitions: 10 s instead of Kafka's 45 s, so a
     * crashed instance's conversations are answered again within seconds (README, Operations: recovery). Heartbeats
     * come from the consumer's own thread, not the one running the model, so a long batch does not miss them.
     */
    public static final int DEFAULT_SESSION_TIMEOUT_MS = 10_000;
    /** A third of the session timeout, as Kafka advises: two heartbeats may be lost before the member is. */
    public static final int DEFAULT_HEARTBEAT_INTERVAL_MS = 3_000;

    // Streams-only keys would make plain clients log "unknown config" warnings; they are harmless to omit.
    private static final Set<String> STREAMS_ONLY = Set.of(
            StreamsConfig.APPLICATION_ID_CONFIG, StreamsConfig.APPLICATION_SERVER_CONFIG,
            StreamsConfig.STATE_DIR_CONFIG, StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
            StreamsConfig.NUM_STREAM_THREADS_CONFIG, StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG,
            StreamsConfig.REPLICATION_FACTOR_CONFIG, StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
            StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG);

    private StreamsSettings() {
    }

    /**
     * Streams properties for the pipeline.
     *
     * @param config the loaded configuration; {@code kafka.bootstrap.servers} must be set
     * @param applicationServer {@code host:port} of this instance's HTTP server, for interactive-query routing;
     *     null when no HTTP server runs
     */
    public static Properties forPipeline(WmConfig config, String applicationServer) {
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
        // Exactly once is an invariant (DESIGN 5.1), not an option, but it stays overridable for experiments.
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        properties.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // Unprefixed, so that kafka.session.timeout.ms still overrides them (a prefixed default would win over it).
        properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, DEFAULT_SESSION_TIMEOUT_MS);
        properties.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, DEFAULT_HEARTBEAT_INTERVAL_MS);
        // The behaviour Kafka 5 makes the default; set now, Streams stops warning about it at every start. By name:
        // the constant is already deprecated, as the switch will go once the behaviour is the only one.
        properties.put("processing.exception.handler.global.enabled", true);
        // Applies to the internal topics Streams creates; the changelogs are compacted, so erased values go in time.
        properties.put(StreamsConfig.topicPrefix(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG),
                Long.toString(ERASURE_MAX_COMPACTION_LAG_MS));
        if (applicationServer != null) {
            properties.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        }
        for (Map.Entry<String, Object> setting : config.kafkaProperties().entrySet()) {
            properties.put(setting.getKey(), setting.getValue());
        }
        return properties;
    }

    /** Client properties (admin, producer, consumer) carrying the {@code kafka.*} pass-through settings. */
    public static Properties forClients(WmConfig config) {
        Properties properties = new Properties();
        for (Map.Entry<String, Object> setting : config.kafkaProperties().entrySet()) {
            if (!STREAMS_ONLY.contains(setting.getKey())) {
                properties.put(setting.getKey(), setting.getValue());
            }
        }
        return properties;
    }
}
