package io.wmstream.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.topology.config.WmConfig;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
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
    void shouldLetTheGroupNoticeACrashedInstanceWithinSixSecondsUnlessConfiguredOtherwise() {
        // Given the defaults, and a configuration that sets its own session timeout and a static member id
        Properties defaults = StreamsSettings.forPipeline(new WmConfig(Map.of()), null);
        Properties configured = StreamsSettings.forPipeline(new WmConfig(Map.of("kafka.session.timeout.ms", "30000",
                "kafka.group.instance.id", "wm-a")), null);

        // Then the default session timeout is 6 s with heartbeats every second, and the configured values win
        assertThat(defaults).containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000)
                .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000)
                .doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        assertThat(configured).containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "30000")
                .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "wm-a");
        assertThat(new StreamsConfig(withServers(configured)).getMainConsumerConfigs("g", "c", 0))
                .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "30000");
    }

    @Test
    void shouldGiveTheProducersAFiveSecondTransactionTimeoutUnlessConfiguredOtherwise() {
        // Given the defaults, and a configuration that sets its own transaction timeout for the producers
        StreamsConfig defaults = new StreamsConfig(withServers(StreamsSettings.forPipeline(new WmConfig(Map.of()),
                null)));
        StreamsConfig configured = new StreamsConfig(withServers(StreamsSettings.forPipeline(new WmConfig(Map.of(
                "kafka.producer.transaction.timeout.ms", "20000")), null)));

        // Then Streams' producers get 5 s (not Streams' own 10 s), or the configured value, and no consumer gets it
        assertThat(defaults.getProducerConfigs("p")).containsEntry(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 5_000);
        assertThat(configured.getProducerConfigs("p")).containsEntry(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                "20000");
        assertThat(defaults.getMainConsumerConfigs("g", "c", 0))
                .doesNotContainKey(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
    }

    @Test
    void shouldCommitEveryFiftyMillisecondsUnlessConfiguredOtherwise() {
        // Given the defaults, and a configuration that sets its own commit interval
        StreamsConfig defaults = new StreamsConfig(withServers(StreamsSettings.forPipeline(new WmConfig(Map.of()),
                null)));
        StreamsConfig configured = new StreamsConfig(withServers(StreamsSettings.forPipeline(new WmConfig(Map.of(
                "kafka.commit.interval.ms", "200")), null)));

        // Then the pipeline commits every 50 ms (not the 100 ms of Streams under exactly-once), or as configured
        assertThat(defaults.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(50L);
        assertThat(configured.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(200L);
    }

    @Test
    void shouldKeepCommittedStateAcrossCrashesWithCommittedQueriesUnlessConfiguredOtherwise() {
        // Given the defaults, and a configuration that asks for Kafka 4.3's stores (wiped after a crash)
        StreamsConfig defaults = new StreamsConfig(withServers(StreamsSettings.forPipeline(new WmConfig(Map.of()),
                null)));
        StreamsConfig configured = new StreamsConfig(withServers(StreamsSettings.forPipeline(new WmConfig(Map.of(
                "kafka.enable.transactional.statestores", "false")), null)));

        // Then the stores are transactional with a 16 MiB uncommitted bound and queries see committed memories only;
        // or, as configured, not transactional
        assertThat(defaults.getBoolean(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG)).isTrue();
        assertThat(defaults.getLong(StreamsConfig.STATESTORE_UNCOMMITTED_MAX_BYTES_CONFIG)).isEqualTo(16L << 20);
        assertThat(defaults.defaultInteractiveQueryIsolationLevel()).isEqualTo(IsolationLevel.READ_COMMITTED);
        assertThat(configured.getBoolean(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG)).isFalse();
    }

    @Test
    void shouldPollAHundredRecordsOnTheMainConsumerUnlessAnyFormOfTheSettingIsGiven() {
        // Given the defaults, and configurations that set max.poll.records unprefixed or for the main consumer
        StreamsConfig defaults = new StreamsConfig(withServers(StreamsSettings.forPipeline(new WmConfig(Map.of()),
                null)));
        StreamsConfig unprefixed = new StreamsConfig(withServers(StreamsSettings.forPipeline(new WmConfig(Map.of(
                "kafka.max.poll.records", "500")), null)));
        StreamsConfig prefixed = new StreamsConfig(withServers(StreamsSettings.forPipeline(new WmConfig(Map.of(
                "kafka.main.consumer.max.poll.records", "50")), null)));

        // Then the main consumer polls 100 by default, restoration keeps Streams' 1,000, and a given value wins
        assertThat(defaults.getMainConsumerConfigs("g", "c", 0)).containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                100);
        assertThat(defaults.getRestoreConsumerConfigs("r")).containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                "1000");
        assertThat(unprefixed.getMainConsumerConfigs("g", "c", 0))
                .containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        assertThat(prefixed.getMainConsumerConfigs("g", "c", 0))
                .containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
    }

    @Test
    void shouldLetTheMainConsumerGatherTenMillisecondsOfEventsPerFetchUnlessAnyFormOfTheSettingIsGiven() {
        // Given the defaults, and configurations that set the fetch wait unprefixed or for every consumer
        StreamsConfig defaults = new StreamsConfig(withServers(StreamsSettings.forPipeline(new WmConfig(Map.of()),
                null)));
        StreamsConfig unprefixed = new StreamsConfig(withServers(StreamsSettings.forPipeline(new WmConfig(Map.of(
                "kafka.fetch.max.wait.ms", "0", "kafka.fetch.min.bytes", "1")), null)));
        StreamsConfig consumers = new StreamsConfig(withServers(StreamsSettings.forPipeline(new WmConfig(Map.of(
                "kafka.consumer.fetch.max.wait.ms", "25")), null)));

        // Then the main consumer's fetch waits up to 10 ms for 64 KiB, restoration keeps Kafka's prompt fetches,
        // and a given value of either form wins
        Map<String, Object> main = defaults.getMainConsumerConfigs("g", "c", 0);
        assertThat(main).containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10)
                .containsEntry(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 65_536);
        assertThat(defaults.getRestoreConsumerConfigs("r")).doesNotContainKey(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)
                .doesNotContainKey(ConsumerConfig.FETCH_MIN_BYTES_CONFIG);
        assertThat(unprefixed.getMainConsumerConfigs("g", "c", 0))
                .containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "0")
                .containsEntry(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
        assertThat(consumers.getMainConsumerConfigs("g", "c", 0))
                .containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "25")
                .containsEntry(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 65_536);
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
