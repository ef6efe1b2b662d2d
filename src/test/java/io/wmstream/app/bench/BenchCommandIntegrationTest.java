package io.wmstream.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wmstream.app.Main;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.pipeline.TopologyPipelineFactory;
import io.wmstream.app.testing.Console;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code wmstream bench} end to end on a tiny configuration: a real broker, the bundled model, every phase. */
@Tag("integration")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class BenchCommandIntegrationTest {

    @TempDir
    Path reportDir;

    @Test
    void shouldRunEveryPhaseAndPrintWellFormedJson() throws Exception {
        // Given the bench with windows of a second, a few users and small state scales
        Console console = new Console();

        // When it runs with --json
        int code = new Main(console.context(Map.of(), new TopologyPipelineFactory())).execute("bench", "--json",
                "--seconds", "1", "--warm-up", "0.5", "--users", "8", "--scale", "10,30", "--model-batches", "1,2",
                "--model-seconds", "0.2", "--report", reportDir.toString());

        // Then it exits 0 and stdout is one JSON document holding every figure
        assertThat(code).as(console.err()).isEqualTo(ExitCode.OK);
        JsonNode root = new ObjectMapper().readTree(console.out());
        assertThat(root.path("modelCeiling").path("rows")).hasSize(2);
        assertThat(root.path("modelCeiling").path("rows").get(0).path("utterancesPerSecond").asDouble()).isPositive();
        assertThat(root.path("pipelineCeiling").path("replies").asInt()).isPositive();
        JsonNode e2e = root.path("endToEnd");
        for (String phase : new String[] {"saturation", "unbatched", "people"}) {
            assertThat(e2e.path(phase).path("replies").asInt()).as(phase).isPositive();
            assertThat(e2e.path(phase).path("p99Ms").isNumber()).as(phase).isTrue();
            // The model runs on the stream thread's model thread (wm.batch.overlap), so that thread has CPU too
            JsonNode cpu = e2e.path(phase).path("cpuCores");
            assertThat(cpu.path("streamThreads").asDouble()).as(phase).isPositive();
            assertThat(cpu.path("modelThreads").asDouble()).as(phase).isPositive();
            assertThat(cpu.path("model").asDouble()).as(phase).isPositive();
        }
        assertThat(e2e.path("levels")).extracting(level -> level.path("fraction").asDouble())
                .containsExactly(0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95);
        // The curve: each point offered load and has its figures (windows of a second hold too few turns to say more)
        JsonNode points = root.path("latencyCurve").path("points");
        assertThat(points).hasSize(7).allSatisfy(point -> {
            assertThat(point.path("offeredPerSecond").asDouble()).isPositive();
            for (String field : new String[] {"answeredPerSecond", "answeredShare", "rowsPerModelCall"}) {
                assertThat(point.path(field).isNumber()).as(field).isTrue();
            }
        });
        assertThat(points.get(6).path("p99Ms").asDouble()).isPositive();
        // The ceiling on all cores: every thread setting of this machine, the best no slower than one thread
        JsonNode allCores = root.path("modelCeilingAllCores");
        int processors = Runtime.getRuntime().availableProcessors();
        assertThat(allCores.path("settings")).hasSize(ModelCeiling.settings(processors).size());
        assertThat(allCores.path("utterancesPerSecond").asDouble())
                .isGreaterThanOrEqualTo(allCores.path("oneThread").path("utterancesPerSecond").asDouble());
        assertThat(e2e.path("ratios").path("batchingGainRatio").asDouble()).isPositive();
        assertThat(e2e.path("saturation").path("streamCpuMsPerReply").asDouble()).isPositive();
        // Beside the JSON printed, the same JSON, the table and the curve's plot
        assertThat(new ObjectMapper().readTree(reportDir.resolve("bench.json").toFile())).isEqualTo(root);
        assertThat(Files.readString(reportDir.resolve("bench.md"))).contains("latency-throughput curve");
        assertThat(ImageIO.read(reportDir.resolve("latency-curve.png").toFile())).isNotNull();
        JsonNode scale = root.path("stateScale");
        assertThat(scale).extracting(s -> s.path("conversations").asInt()).containsExactly(10, 30);
        assertThat(scale).extracting(s -> s.path("storeEntries").asLong()).containsExactly(10L, 30L);
        assertThat(root.path("goals")).hasSize(6).allSatisfy(goal -> {
            assertThat(goal.path("floorHolds").isBoolean()).isTrue();
            assertThat(goal.path("goalMet").isBoolean()).isTrue();
        });
        assertThat(root.path("environment").path("streamThreads").asInt()).isEqualTo(1);
        assertThat(root.path("environment").path("commitIntervalMs").asText()).isEqualTo("50");
    }
}
