package io.wmstream.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wmstream.app.cli.Args;
import io.wmstream.app.cli.UsageException;
import io.wmstream.topology.config.WmConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void shouldLetEnvironmentOverrideFileAndSetOverrideEnvironment() throws Exception {
        // Given the same key in all three sources, and a key set only in the file
        Path file = properties("wm.batch.max.size=10\nwm.reply.max.tokens=20\n");
        Map<String, String> env = Map.of("WM_BATCH_MAX_SIZE", "11", "WM_SUMMARY_EVERY_TURNS", "3");

        // When the configuration is loaded with a --set for two of them
        WmConfig config = new ConfigLoader(env).load(file,
                List.of("wm.batch.max.size=12", "wm.summary.every.turns=4"), Map.of());

        // Then the later source wins, and keys set once keep their value
        assertThat(config.getInt(WmConfig.BATCH_MAX_SIZE_CONFIG)).isEqualTo(12);
        assertThat(config.getInt(WmConfig.SUMMARY_EVERY_TURNS_CONFIG)).isEqualTo(4);
        assertThat(config.getInt(WmConfig.REPLY_MAX_TOKENS_CONFIG)).isEqualTo(20);
    }

    @Test
    void shouldLetEnvironmentOverrideFile() throws Exception {
        // Given a file and an environment variable for the same key
        Path file = properties("wm.batch.max.size=10\n");

        // When loaded without --set
        WmConfig config = new ConfigLoader(Map.of("WM_BATCH_MAX_SIZE", "11")).load(file, List.of(), Map.of());

        // Then the environment wins
        assertThat(config.getInt(WmConfig.BATCH_MAX_SIZE_CONFIG)).isEqualTo(11);
    }

    @Test
    void shouldPutACommandsDefaultsBelowEverySource() throws Exception {
        // Given command defaults for three keys, one of them also in a file and one in the environment
        Path file = properties("wm.batch.max.size=10\n");
        Map<String, String> defaults = Map.of("wm.batch.max.size", "1024", "wm.summary.every.turns", "3",
                "wm.model.intra.op.threads", "2");
        Args args = Args.spec().option("--config").repeatable("--set")
                .parse(List.of("--config", file.toString(), "--set", "wm.model.intra.op.threads=1"));

        // When loaded from the command line
        WmConfig config = new ConfigLoader(Map.of("WM_SUMMARY_EVERY_TURNS", "5")).load(args, defaults, Map.of());

        // Then every source the user gave wins over the command's default
        assertThat(config.getInt(WmConfig.BATCH_MAX_SIZE_CONFIG)).isEqualTo(10);
        assertThat(config.getInt(WmConfig.SUMMARY_EVERY_TURNS_CONFIG)).isEqualTo(5);
        assertThat(config.getInt(WmConfig.MODEL_INTRA_OP_THREADS_CONFIG)).isEqualTo(1);
        // And a default nobody overrides holds
        WmConfig plain = new ConfigLoader(Map.of()).load(Args.spec().parse(List.of()), defaults, Map.of());
        assertThat(plain.getInt(WmConfig.BATCH_MAX_SIZE_CONFIG)).isEqualTo(1024);
    }

    @Test
    void shouldLetDedicatedOptionsOverrideEverything() throws Exception {
        // Given bootstrap servers in the environment and in --set
        Map<String, String> env = Map.of("WM_KAFKA_BOOTSTRAP_SERVERS", "env:9092");

        // When --bootstrap-servers is given as well
        WmConfig config = new ConfigLoader(env).load(null, List.of("kafka.bootstrap.servers=set:9092"),
                Map.of("kafka.bootstrap.servers", "option:9092"));

        // Then the option wins
        assertThat(config.kafkaProperties()).containsEntry("bootstrap.servers", "option:9092");
    }

    @Test
    void shouldLetTheLastOfRepeatedSetsWin() throws Exception {
        WmConfig config = new ConfigLoader(Map.of()).load(null,
                List.of("wm.batch.max.size=5", "wm.batch.max.size=6"), Map.of());

        assertThat(config.getInt(WmConfig.BATCH_MAX_SIZE_CONFIG)).isEqualTo(6);
    }

    @Test
    void shouldUseDefaultsWhenNoSourceSetsAKey() throws Exception {
        WmConfig config = new ConfigLoader(Map.of()).load(null, List.of(), Map.of());

        assertThat(config.getInt(WmConfig.BATCH_MAX_SIZE_CONFIG)).isEqualTo(64);
        assertThat(config.getString(WmConfig.HTTP_BIND_CONFIG)).isEqualTo("127.0.0.1");
    }

    @Test
    void shouldMapEnvironmentVariableNamesToKeys() {
        assertThat(ConfigLoader.keyOfEnvironmentVariable("WM_BATCH_MAX_SIZE")).isEqualTo("wm.batch.max.size");
        assertThat(ConfigLoader.keyOfEnvironmentVariable("WM_KAFKA_BOOTSTRAP_SERVERS"))
                .isEqualTo("kafka.bootstrap.servers");
        assertThat(ConfigLoader.keyOfEnvironmentVariable("WM_KAFKA_SECURITY_PROTOCOL"))
                .isEqualTo("kafka.security.protocol");
        assertThat(ConfigLoader.keyOfEnvironmentVariable("PATH")).isNull();
        assertThat(ConfigLoader.keyOfEnvironmentVariable("WM_")).isNull();
    }

    @Test
    void shouldPassKafkaSettingsThroughWithoutPrefix() throws Exception {
        // Given security settings as a user of SASL would pass them
        WmConfig config = new ConfigLoader(Map.of("WM_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")).load(null,
                List.of("kafka.sasl.mechanism=PLAIN"), Map.of());

        // Then they reach Kafka under their own names
        assertThat(config.kafkaProperties()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN");
    }

    @Test
    void shouldRefuseAnUnknownWmKeyFromTheEnvironmentNamingTheVariable() {
        ConfigLoader loader = new ConfigLoader(Map.of("WM_BATCH_SIZE", "3"));

        assertThatThrownBy(() -> loader.load(null, List.of(), Map.of()))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("wm.batch.size")
                .hasMessageContaining("WM_BATCH_SIZE")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void shouldRefuseAnUnknownWmKeyFromSet() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(null, List.of("wm.reply.tokens=3"), Map.of()))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("unknown setting 'wm.reply.tokens' (from --set)");
    }

    @Test
    void shouldRefuseAKeyOutsideWmAndKafkaInTheFile() throws Exception {
        Path file = properties("batch.max.size=3\n");

        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file, List.of(), Map.of()))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("batch.max.size")
                .hasMessageContaining(file.toString());
    }

    @Test
    void shouldReportAnInvalidValueAsOneLine() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(null, List.of("wm.batch.max.size=0"), Map.of()))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("invalid configuration")
                .hasMessageContaining("wm.batch.max.size")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void shouldRefuseASetWithoutEquals() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(null, List.of("wm.batch.max.size"), Map.of()))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("key=value");
    }

    @Test
    void shouldReportAMissingFile() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(dir.resolve("nope.properties"), List.of(),
                Map.of()))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("not found");
    }

    @Test
    void shouldIgnoreEnvironmentVariablesOutsideTheWmPrefix() throws Exception {
        WmConfig config = new ConfigLoader(Map.of("HOME", "/root", "BATCH_MAX_SIZE", "3")).load(null, List.of(),
                Map.of());

        assertThat(config.getInt(WmConfig.BATCH_MAX_SIZE_CONFIG)).isEqualTo(64);
    }

    private Path properties(String text) throws IOException {
        Path file = dir.resolve("wm.properties");
        Files.writeString(file, text);
        return file;
    }
}
