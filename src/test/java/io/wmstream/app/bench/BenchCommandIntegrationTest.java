package io.wmstream.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wmstream.app.Main;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.pipeline.TopologyPipelineFactory;
import io.wmstream.app.testing.Console;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code wmstream bench} end to end on a tiny configuration: a real broker, the bundled model, every phase. */
@Tag("integration")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class BenchCommandIntegrationTest {

    @Test
    void shouldRunEveryPhaseAndPrintWellFormedJson() throws Exception {
        // Given the bench with windows of a second, a few users and small state scales
        Console console = new Console();

        // When it runs with --json
        int code = new Main(console.context(Map.of(), new TopologyPipelineFactory())).execute("bench", "--json",
                "--seconds", "1", "--warm-up", "0.5", "--users", "8", "--scale", "10,30", "--model-batches", "1,2",
                "--model-seconds", "0.2");

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
                .containsExactly(0.1, 0.5, 0.9);
        JsonNode scale = root.path("stateScale");
        assertThat(scale).extracting(s -> s.path("conversations").asInt()).containsExactly(10, 30);
        assertThat(scale).extracting(s -> s.path("storeEntries").asLong()).containsExactly(10L, 30L);
        assertThat(root.path("goals")).hasSize(4).allSatisfy(goal -> {
            assertThat(goal.path("floorHolds").isBoolean()).isTrue();
            assertThat(goal.path("goalMet").isBoolean()).isTrue();
        });
        assertThat(root.path("environment").path("streamThreads").asInt()).isEqualTo(1);
        assertThat(root.path("environment").path("commitIntervalMs").asText()).isEqualTo("50");
    }
}
