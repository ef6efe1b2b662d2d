package io.wmstream.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.topology.config.WmConfig;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsSettingsTest {
    @Test
    void shouldRunExactlyOnceWithTheApplicationServerByDefault() {
        // Given a configuration with only the bootstrap servers
        WmConfig config = new WmConfig(Map.of("kafka.bootstrap.servers", "k:9092"));

        // When the Streams properties are prepared for an instance serving HTTP on port 8080
        Properties properties = StreamsSettings.forPipeline(config, "host-a:8080");

        // Then exactly-once, the application id and the IQ address are set
        assertThat(properties)
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "wmstream")
                .containsEntry(StreamsConfig.APPLICATION_SERVER_CONFIG, "host-a:8080")
                .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "k:9092");
    }

    @Test
    void shouldLetKafkaSettingsOverrideTheDefaults() {
        WmConfig config = new WmConfig(Map.of("kafka.application.id", "mine", "kafka.num.stream.threads", "4"));

        Properties properties = StreamsSettings.forPipeline(config, null);

        assertThat(properties).containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "mine")
                .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "4")
                .doesNotContainKey(StreamsConfig.APPLICATION_SERVER_CONFIG);
    }

    @Test
    void shouldLetTheGroupNoticeACrashedInstanceWithinTenSecondsUnlessConfiguredOtherwise() {
        // Given the defaults, and a configuration that sets its own session timeout and a static member id
        Properties defaults = StreamsSettings.forPipeline(new WmConfig(Map.of()), null);
        Properties configured = StreamsSettings.forPipeline(new WmConfig(Map.of("kafka.session.timeout.ms", "30000",
                "kafka.group.instance.id", "wm-a")), null);

        // Then the default session timeout is 10 s with heartbeats every 3 s, and the configured values win
        assertThat(defaults).containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000)
                .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000)
                .doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        assertThat(configured).containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "30000")
                .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "wm-a");
        assertThat(new StreamsConfig(withServers(configured)).getMainConsumerConfigs("g", "c", 0))
                .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "30000");
    }

    private static Properties withServers(Properties properties) {
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "k:9092");
        return properties;
    }

    @Test
    void shouldKeepStreamsOnlySettingsAwayFromPlainClients() {
        WmConfig config = new WmConfig(Map.of("kafka.application.id", "mine", "kafka.security.protocol", "SSL"));

        Properties properties = StreamsSettings.forClients(config);

        assertThat(properties).containsEntry("security.protocol", "SSL")
                .doesNotContainKey(StreamsConfig.APPLICATION_ID_CONFIG);
    }
}
