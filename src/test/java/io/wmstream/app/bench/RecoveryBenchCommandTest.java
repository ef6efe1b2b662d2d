package io.wmstream.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.app.Main;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.pipeline.TopologyPipelineFactory;
import io.wmstream.app.testing.Console;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecoveryBenchCommandTest {
    private final Console console = new Console();
    private final Main main = new Main(console.context(Map.of(), new TopologyPipelineFactory()));

    @Test
    void shouldDescribeWhatItMeasuresAndItsOptions() {
        // When asked for help
        int code = main.execute("recovery-bench", "--help");

        // Then it names the measure, the comparison with Kafka 4.3 and its options
        assertThat(code).isEqualTo(ExitCode.OK);
        assertThat(console.out()).contains("kill -9", "Kafka 4.3", "--conversations", "--transactional-stores",
                "--bootstrap-servers", "--work-dir", "default 1000000");
    }

    @Test
    void shouldRefuseAnUnknownTransactionalStoresModeBeforeStartingAnything() {
        // When the mode is neither on, off nor both
        int code = main.execute("recovery-bench", "--transactional-stores", "sometimes");

        // Then it is a usage error, named, before any broker or instance starts
        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(console.err()).contains("--transactional-stores must be on, off or both");
        assertThat(console.err()).doesNotContain("starting a Kafka broker");
    }

    @Test
    void shouldRefuseNoConversations() {
        // When asked to fill nothing
        int code = main.execute("recovery-bench", "--conversations", "0");

        // Then it is a usage error
        assertThat(code).isEqualTo(ExitCode.USAGE);
    }
}
