package io.wmstream.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.app.Main;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.pipeline.TopologyPipelineFactory;
import io.wmstream.app.testing.Console;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchCommandTest {
    private final Console console = new Console();
    private final Main main = new Main(console.context(Map.of(), new TopologyPipelineFactory()));

    @Test
    void shouldDescribeItsOptions() {
        // When asked for help
        int code = main.execute("bench", "--help");

        // Then it names the figures and its options
        assertThat(code).isEqualTo(ExitCode.OK);
        assertThat(console.out()).contains("--quick", "--json", "--config", "--set", "no-op model",
                "read_committed");
    }

    @Test
    void shouldRefuseAScaleThatDoesNotGrow() {
        // When the larger scale is not larger
        int code = main.execute("bench", "--scale", "1000,1000");

        // Then it is a usage error, before anything starts
        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(console.err()).contains("--scale expects SMALL,LARGE");
    }

    @Test
    void shouldRefuseAnUnknownSetting() {
        // When a wm.* key does not exist
        int code = main.execute("bench", "--set", "wm.no.such.key=1");

        // Then it is a usage error
        assertThat(code).isEqualTo(ExitCode.USAGE);
    }
}
