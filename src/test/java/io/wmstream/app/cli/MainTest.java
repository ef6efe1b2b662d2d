package io.wmstream.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.app.Main;
import io.wmstream.app.pipeline.TopologyPipelineFactory;
import io.wmstream.app.testing.Console;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {
    private final Console console = new Console();

    @TempDir
    Path dir;

    @Test
    void shouldListTheCommandsOnHelp() {
        int code = main(Map.of(), "--help");

        assertThat(code).isEqualTo(ExitCode.OK);
        assertThat(console.out()).contains("demo", "run", "produce");
    }

    @Test
    void shouldExitWithUsageErrorWhenNoCommandIsGiven() {
        assertThat(main(Map.of())).isEqualTo(ExitCode.USAGE);
        assertThat(console.out()).contains("Usage: wmstream COMMAND");
    }

    @Test
    void shouldRefuseAnUnknownCommandInOneLine() {
        int code = main(Map.of(), "frobnicate");

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(console.err()).startsWith("wmstream: unknown command 'frobnicate'").hasLineCount(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "run", "produce"})
    void shouldPrintHelpForEveryCommand(String command) {
        int code = main(Map.of(), command, "--help");

        assertThat(code).isEqualTo(ExitCode.OK);
        assertThat(console.out()).startsWith("Usage: wmstream " + command).contains("--set");
        assertThat(console.err()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "run", "produce"})
    void shouldRefuseAnUnknownOptionInOneLineWithoutStackTrace(String command) {
        int code = main(Map.of(), command, "--frobnicate");

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(console.err()).isEqualTo("wmstream " + command + ": unknown option --frobnicate (try wmstream "
                + command + " --help)" + System.lineSeparator());
    }

    @Test
    void shouldRefuseAnUnknownSettingBeforeStartingAnything() {
        int code = main(Map.of("WM_BATCH_SIZE", "3"), "run");

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(console.err()).contains("unknown setting 'wm.batch.size' (from environment variable WM_BATCH_SIZE)")
                .hasLineCount(1);
    }

    @Test
    void shouldRefuseProduceWithoutAFile() {
        int code = main(Map.of(), "produce", "--bootstrap-servers", "localhost:1");

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(console.err()).contains("give a FILE").hasLineCount(1);
    }

    @Test
    void shouldRefuseProduceWithoutABroker() throws Exception {
        Path log = Files.writeString(dir.resolve("log.jsonl"), "{}\n");

        int code = main(Map.of(), "produce", log.toString());

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(console.err()).contains("--bootstrap-servers").hasLineCount(1);
    }

    @Test
    void shouldReportAMissingFileAsAUsageError() {
        int code = main(Map.of(), "produce", "--bootstrap-servers", "localhost:1", dir.resolve("no.jsonl").toString());

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(console.err()).contains("no such file").hasLineCount(1);
    }

    @Test
    void shouldFailInOneLineWhenKafkaIsUnreachable() throws Exception {
        // Given a port where no broker listens
        Path log = Files.writeString(dir.resolve("log.jsonl"), "{}\n");

        // When produce is pointed at it (with short timeouts to keep the test quick)
        int code = main(Map.of(), "produce", "--bootstrap-servers", "127.0.0.1:1",
                "--set", "kafka.default.api.timeout.ms=1500", "--set", "kafka.request.timeout.ms=1000",
                log.toString());

        // Then it fails with exit 1 and one line
        assertThat(code).isEqualTo(ExitCode.FAILURE);
        assertThat(console.err()).contains("cannot reach Kafka at 127.0.0.1:1");
        assertThat(console.err().lines().filter(line -> line.startsWith("wmstream produce:"))).hasSize(1);
        assertThat(console.err()).doesNotContain("\tat ");
    }

    @Test
    void shouldRefuseABadTimeout() {
        int code = main(Map.of(), "demo", "--timeout", "soon");

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(console.err()).contains("--timeout expects a whole number");
    }

    private int main(Map<String, String> env, String... args) {
        return new Main(console.context(env, new TopologyPipelineFactory())).execute(args);
    }
}
