package io.wmstream.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.app.Main;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.pipeline.TopologyPipelineFactory;
import io.wmstream.app.testing.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
    private final Console console = new Console();
    private final Main main = new Main(console.context(Map.of(), new TopologyPipelineFactory()));

    @Test
    void shouldDescribeItsOptions() {
        // When asked for help
        int code = main.execute("bench", "--help");

        // Then it names the figures, the curve's levels, the plot and its options
        assertThat(code).isEqualTo(ExitCode.OK);
        assertThat(console.out()).contains("--quick", "--json", "--report", "--config", "--set", "no-op model",
                "read_committed", "10, 30, 50, 70, 80, 90 and 95%", "latency-curve.png", "intra-op threads",
                "CPU per reply");
    }

    @Test
    void shouldRefuseAReportDirectoryThatIsAFile(@TempDir Path dir) throws IOException {
        // Given a file where the report directory should go
        Path file = Files.writeString(dir.resolve("bench-report"), "not a directory");

        // When bench is asked to write there
        int code = main.execute("bench", "--report", file.toString());

        // Then it is a usage error, before anything is measured
        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(console.err()).contains("--report expects a directory");
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
