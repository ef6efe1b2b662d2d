package io.wmstream.topology.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wmstream.topology.config.TopologySettings;
import io.wmstream.topology.config.WmConfig;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** A memory must always fit in one record of its changelog: limits that allow more are refused at start. */
class MemoryRecordLimitTest {
    private static final ModelStamp MODEL = new ModelStamp("wm-gru-multiwoz", "2.0.0", 2, 512);

    @Test
    void shouldAcceptTheDefaultLimits() {
        // Given the default memory limits
        MemoryLimits limits = TopologySettings.from(new WmConfig(Map.of())).memoryLimits();

        // Then their largest memory fits in a record with room to spare, and the check passes
        assertThat(MemoryRecordLimit.recordBytes(limits, MODEL))
                .isLessThan(MemoryRecordLimit.CHANGELOG_MAX_MESSAGE_BYTES);
        assertThatCode(() -> MemoryRecordLimit.check(limits, MODEL, new Properties())).doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseLimitsWhoseLargestMemoryCannotFitInOneChangelogRecord() {
        // Given limits that keep 256 recent turns of 8,192 characters each
        MemoryLimits limits = TopologySettings.from(new WmConfig(Map.of(WmConfig.MEMORY_RECENT_TURNS_CONFIG, 256,
                WmConfig.MEMORY_TURN_MAX_CHARS_CONFIG, 8192))).memoryLimits();

        // When they are checked, Then they are refused with the sizes and the settings to lower
        assertThatThrownBy(() -> MemoryRecordLimit.check(limits, MODEL, new Properties()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wm.memory.recent.turns=256")
                .hasMessageContaining("max.message.bytes 1048588");
    }

    @Test
    void shouldRefuseDefaultLimitsUnderAProducerThatSendsOnlySmallRecords() {
        // Given the default limits and a producer whose max.request.size is 16 KiB
        MemoryLimits limits = TopologySettings.from(new WmConfig(Map.of())).memoryLimits();
        Properties streams = new Properties();
        streams.put("producer.max.request.size", "16384");

        // When they are checked, Then they are refused, naming the producer's limit
        assertThatThrownBy(() -> MemoryRecordLimit.check(limits, MODEL, streams))
                .hasMessageContaining("max.request.size 16384");
    }
}
