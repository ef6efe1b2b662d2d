package io.wmstream.topology.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class WmConfigTest {

    @Test
    void shouldUseTheDocumentedDefaults() {
        // Given no settings, When read, Then the defaults of DESIGN 4.8
        var config = new WmConfig(Map.of());
        assertThat(config.getInt(WmConfig.BATCH_MAX_SIZE_CONFIG)).isEqualTo(64);
        assertThat(config.getLong(WmConfig.BATCH_MAX_WAIT_MS_CONFIG)).isEqualTo(5L);
        assertThat(config.replyRoles()).containsExactly("user");
        assertThat(config.getInt(WmConfig.REPLY_MAX_TOKENS_CONFIG)).isEqualTo(32);
        assertThat(config.getInt(WmConfig.SUMMARY_EVERY_TURNS_CONFIG)).isEqualTo(8);
        assertThat(config.getInt(WmConfig.SUMMARY_BUDGET_TOKENS_CONFIG)).isEqualTo(64);
        assertThat(config.getLong(WmConfig.IDLE_EXPIRY_MS_CONFIG)).isEqualTo(1_800_000L);
        assertThat(config.getString(WmConfig.MODEL_DEVICE_CONFIG)).isEqualTo("auto");
        assertThat(config.getString(WmConfig.HTTP_BIND_CONFIG)).isEqualTo("127.0.0.1");
        assertThat(config.getInt(WmConfig.HTTP_PORT_CONFIG)).isEqualTo(8080);
        assertThat(config.getLong(WmConfig.EVENT_TIME_MAX_SKEW_MS_CONFIG)).isEqualTo(300_000L);
        assertThat(config.getInt(WmConfig.IDLE_SCAN_MAX_MEMORIES_CONFIG)).isEqualTo(10_000);
        assertThat(config.getLong(WmConfig.MODEL_RETRY_BACKOFF_MS_CONFIG)).isEqualTo(100L);
    }

    @Test
    void shouldDoubleTheRetryBackOffUpToThirtySeconds() {
        // Given a back-off of 100 ms
        TopologySettings settings = TopologySettings.from(new WmConfig(Map.of(
                WmConfig.MODEL_RETRY_BACKOFF_MS_CONFIG, 100L)));

        // Then the waits before retries 1, 2, 3 ... double, and stop growing at 30 s
        assertThat(settings.retryBackoffMs(1)).isEqualTo(100L);
        assertThat(settings.retryBackoffMs(2)).isEqualTo(200L);
        assertThat(settings.retryBackoffMs(3)).isEqualTo(400L);
        assertThat(settings.retryBackoffMs(100)).isEqualTo(30_000L);
    }

    @Test
    void shouldPassKafkaSettingsThroughWithoutThePrefix() {
        // Given kafka.* settings and a topic prefix
        var config = new WmConfig(Map.of("kafka.bootstrap.servers", "b:9092", "kafka.security.protocol", "SSL",
                WmConfig.TOPIC_PREFIX_CONFIG, "staging."));

        // Then they reach Kafka as they are, and topics carry the prefix
        assertThat(config.kafkaProperties()).containsEntry("bootstrap.servers", "b:9092")
                .containsEntry("security.protocol", "SSL");
        assertThat(config.topic(WmConfig.TOPIC_EVENTS_CONFIG)).isEqualTo("staging.conversation-events");
        assertThat(WmConfig.isKnownKey("kafka.sasl.mechanism")).isTrue();
        assertThat(WmConfig.isKnownKey("wm.batch.max.size")).isTrue();
        assertThat(WmConfig.isKnownKey("wm.batch.size")).isFalse();
    }

    @Test
    void shouldRejectUnknownKeysAndBadValuesWithTheKeyNamed() {
        assertThatThrownBy(() -> new WmConfig(Map.of("wm.batch.size", "8")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("wm.batch.size");
        assertThatThrownBy(() -> new WmConfig(Map.of(WmConfig.MODEL_DEVICE_CONFIG, "gpu")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("wm.model.device");
        assertThatThrownBy(() -> new WmConfig(Map.of(WmConfig.BATCH_MAX_SIZE_CONFIG, "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("wm.batch.max.size");
    }
}
