package io.wmstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wmstream.model.decoding.DecodingStrategy;
import org.junit.jupiter.api.Test;

class ModelRuntimeConfigTest {

    @Test
    void shouldDefaultLikeTheWmConfigKeys() {
        // Given the defaults
        ModelRuntimeConfig config = ModelRuntimeConfig.defaults();
        // Then they are those of wm.model.*, wm.reply.* and wm.decoding.*
        assertThat(config.device()).isEqualTo(Device.AUTO);
        assertThat(config.intraOpThreads()).isEqualTo(1);
        assertThat(config.interOpThreads()).isEqualTo(1);
        assertThat(config.spinning()).isFalse();
        assertThat(config.maxReplyTokens()).isEqualTo(32);
        assertThat(config.feedback()).isTrue();
        assertThat(config.strategy()).isEqualTo(DecodingStrategy.GREEDY);
        assertThat(config.temperature()).isEqualTo(1.0);
        assertThat(config.topK()).isZero();
        assertThat(config.topP()).isEqualTo(1.0);
        assertThat(config.beamWidth()).isEqualTo(1);
        assertThat(config.noRepeatNgramSize()).isEqualTo(3);
    }

    @Test
    void shouldRefuseBeamsWiderThanOneWithSamplingAndWidthsOutOfRange() {
        // Given a sampling builder with beams of 2, and widths and n-gram sizes out of range
        // When built
        // Then each is refused by name
        assertThatThrownBy(() -> ModelRuntimeConfig.builder().strategy(DecodingStrategy.SAMPLE).beamWidth(2).build())
                .hasMessageContaining("beamWidth 2 needs the greedy strategy");
        assertThatThrownBy(() -> ModelRuntimeConfig.builder().beamWidth(0).build()).hasMessageContaining("beamWidth");
        assertThatThrownBy(() -> ModelRuntimeConfig.builder().noRepeatNgramSize(-1).build())
                .hasMessageContaining("noRepeatNgramSize");
        assertThat(ModelRuntimeConfig.builder().beamWidth(4).build().beamWidth()).isEqualTo(4);
    }

    @Test
    void shouldRefuseValuesOutsideTheirRangesByName() {
        // Given builders with one value out of range each
        // When built
        // Then the component is named
        assertThatThrownBy(() -> ModelRuntimeConfig.builder().intraOpThreads(0).build())
                .hasMessageContaining("intraOpThreads");
        assertThatThrownBy(() -> ModelRuntimeConfig.builder().maxReplyTokens(513).build())
                .hasMessageContaining("maxReplyTokens");
        assertThatThrownBy(() -> ModelRuntimeConfig.builder().temperature(0).build())
                .hasMessageContaining("temperature");
        assertThatThrownBy(() -> ModelRuntimeConfig.builder().topP(1.5).build()).hasMessageContaining("topP");
        assertThatThrownBy(() -> ModelRuntimeConfig.builder().topK(-1).build()).hasMessageContaining("topK");
        assertThatThrownBy(() -> ModelRuntimeConfig.builder().loopRepeats(1).build())
                .hasMessageContaining("loopRepeats");
    }

    @Test
    void shouldParseEveryDeviceSpellingOfWmModelDevice() {
        // Given the spellings wm.model.device accepts
        // When parsed
        // Then each is the device it names
        assertThat(Device.parse("auto")).isEqualTo(Device.AUTO);
        assertThat(Device.parse(" CPU ")).isEqualTo(Device.CPU);
        assertThat(Device.parse("cuda")).isEqualTo(Device.cuda(0));
        assertThat(Device.parse("cuda:3")).isEqualTo(Device.cuda(3));
        assertThat(Device.parse("cuda:3").toString()).isEqualTo("cuda:3");
        assertThatThrownBy(() -> Device.parse("gpu")).hasMessageContaining("expected auto, cpu, cuda or cuda:N");
    }

    @Test
    void shouldParseDecodingStrategies() {
        // Given wm.decoding.strategy values
        // Then greedy and sample parse and others are refused
        assertThat(DecodingStrategy.parse("Greedy")).isEqualTo(DecodingStrategy.GREEDY);
        assertThat(DecodingStrategy.parse("sample")).isEqualTo(DecodingStrategy.SAMPLE);
        assertThatThrownBy(() -> DecodingStrategy.parse("beam")).hasMessageContaining("beam");
    }
}
