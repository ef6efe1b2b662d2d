package io.wmstream.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wmstream.app.report.ReportPages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {
    @TempDir
    Path dir;

    private final BenchReport report = new BenchReport(BenchFigures.run());

    @Test
    void shouldDivideSaturationByTheModelCeilingOnAllCores() {
        // Given a run whose model does 500 utterances/s on one thread and 900 with two calling threads
        // When its floors are set
        Goal ratio = goals().get("end to end / model ceiling on all cores");

        // Then 720 replies/s is 0.8 of the all-core ceiling: above the floor, short of the goal
        assertThat(ratio.value()).isCloseTo(0.8, within(1e-12));
        assertThat(ratio.floor()).isEqualTo(0.75);
        assertThat(ratio.goal()).isEqualTo(0.9);
        assertThat(ratio.verdict()).isEqualTo("PASS");
        assertThat(ratio.goalMet()).isFalse();
        assertThat(report.singleThreadRatio()).isCloseTo(1.44, within(1e-12));
    }

    @Test
    void shouldSetTheBatchingGainAgainstTheModelsOwn() {
        // Given 720 replies/s batched, 150 with wm.batch.max.size=1, and a model that does 900 at best, 180 at batch 1
        // Then the pipeline gains 4.8x where the model allows 5x: 0.96 of it
        assertThat(report.batchingGain()).isCloseTo(4.8, within(1e-12));
        assertThat(goals().get("batching gain end to end / the model's own").value()).isCloseTo(0.96,
                within(1e-12));
        assertThat(goals().get("batching gain end to end / the model's own").floorHolds()).isTrue();
    }

    @Test
    void shouldJudgeTheOpenLoopAtNinetyPercentByItsShareAnsweredAndItsP99() {
        // Given an open loop that kept up at 90 % with p99 200 ms, and p99 120 ms at 50 %
        Map<String, Goal> goals = goals();

        // Then the floors and goals of issue 28 judge them
        assertThat(goals.get("open loop at 90% of saturation: answered / offered").value()).isEqualTo(1.0);
        Goal p99 = goals.get("open loop at 90% of saturation: p99");
        assertThat(p99.value()).isEqualTo(200.0);
        assertThat(p99.floor()).isEqualTo(1000.0);
        assertThat(p99.goal()).isEqualTo(300.0);
        assertThat(p99.goalMet()).isTrue();
        Goal half = goals.get("p99 at 50% of saturation, exactly-once");
        assertThat(half.value()).isEqualTo(120.0);
        assertThat(half.floor()).isEqualTo(150.0);
        assertThat(half.goal()).isEqualTo(50.0);
        assertThat(half.verdict()).isEqualTo("PASS");
        assertThat(half.goalMet()).isFalse();
        Goal loss = goals.get("throughput lost by 100000 conversations against 1000");
        assertThat(loss.value()).isCloseTo(0.1, within(1e-12));
        assertThat(loss.floor()).isEqualTo(0.15);
        assertThat(goals).hasSize(6);
    }

    @Test
    void shouldMissTheNinetyPercentFloorWhenTheLoopFallsBehind() {
        // Given the same run, but its 90 % level answered 0.9 of the load with p99 of three seconds
        BenchResults run = BenchFigures.run();
        List<BenchResults.Level> levels = run.levels().stream().map(level -> level.fraction() != 0.9 ? level
                : new BenchResults.Level(0.9, level.targetPerSecond(), BenchFigures.window(6480, 5832, 2000, 3000),
                        level.rowsPerCall(), level.cpu())).toList();
        BenchResults behind = new BenchResults(run.environment(), run.modelRows(), run.ceiling(), run.beamRows(),
                run.pipelineCeiling(), run.saturation(), run.unbatched(), run.people(), levels, run.scale());

        // When its floors are set
        Map<String, Goal> goals = new BenchReport(behind).goals().stream()
                .collect(Collectors.toMap(Goal::name, Function.identity()));

        // Then both floors at 90 % are missed
        assertThat(goals.get("open loop at 90% of saturation: answered / offered").value()).isCloseTo(0.9,
                within(1e-12));
        assertThat(goals.get("open loop at 90% of saturation: answered / offered").verdict()).isEqualTo("MISS");
        assertThat(goals.get("open loop at 90% of saturation: p99").verdict()).isEqualTo("MISS");
    }

    @Test
    void shouldPrintTheCurveTheAllCoreCeilingAndTheStreamCpuPerReply() {
        // When the table is printed
        String table = report.table();

        // Then it has the curve's seven levels, each thread setting of the model, and the stream CPU per reply
        assertThat(table).contains("(c) latency-throughput curve", "| 10% | 72 | 72 | 1.000 |",
                "| 95% | 684 | 616 | 0.900 |", "| 2 | 1 | 180 | 900 | 1.80 |", "all-core ceiling", "one thread",
                "The model's own batching gain: 5.00x", "stream CPU ms/reply",
                // 0.2 cores over 10 s is 2 s of CPU for 7,200 replies
                "| (c) saturation | 720 | 0.20 | 0.278 |",
                "model ceiling on all cores: 900 utterances/s with 2 calling thread(s) x 1 intra-op thread(s)");
        for (double fraction : BenchPlan.CURVE) {
            assertThat(table).contains(String.format(java.util.Locale.ROOT, "| (c) %.0f%% of saturation |",
                    fraction * 100));
        }
        assertThat(table.lines().filter(line -> line.startsWith("| (c) 50% of saturation")).count())
                .as("a curve level is in the CPU table, not again in the pipeline table").isEqualTo(1);
    }

    @Test
    void shouldPutTheCurveTheCeilingAndTheRatiosInTheJson() throws IOException {
        // When the JSON is written
        JsonNode root = new ObjectMapper().readTree(report.json());

        // Then it holds every point of the curve, every thread setting and the ratios the floors are set on
        JsonNode points = root.path("latencyCurve").path("points");
        assertThat(points).hasSize(7);
        assertThat(root.path("latencyCurve").path("saturationPerSecond").asDouble()).isEqualTo(720.0);
        JsonNode last = points.get(6);
        assertThat(last.path("fraction").asDouble()).isEqualTo(0.95);
        assertThat(last.path("offeredPerSecond").asDouble()).isEqualTo(684.0);
        assertThat(last.path("answeredPerSecond").asDouble()).isEqualTo(615.6);
        assertThat(last.path("answeredShare").asDouble()).isCloseTo(0.9, within(1e-12));
        for (String field : new String[] {"targetPerSecond", "p50Ms", "p99Ms", "maxMs", "rowsPerModelCall"}) {
            assertThat(last.path(field).isNumber()).as(field).isTrue();
        }
        assertThat(last.path("unanswered").asInt()).isEqualTo(684);
        JsonNode allCores = root.path("modelCeilingAllCores");
        assertThat(allCores.path("settings")).hasSize(3);
        assertThat(allCores.path("best").path("callingThreads").asInt()).isEqualTo(2);
        assertThat(allCores.path("oneThread").path("utterancesPerSecond").asDouble()).isEqualTo(500.0);
        assertThat(allCores.path("batchingGain").asDouble()).isEqualTo(5.0);
        JsonNode ratios = root.path("endToEnd").path("ratios");
        assertThat(ratios.path("saturationVsAllCoreCeiling").asDouble()).isCloseTo(0.8, within(1e-12));
        assertThat(ratios.path("batchingGainRatio").asDouble()).isCloseTo(0.96, within(1e-12));
        assertThat(root.path("endToEnd").path("saturation").path("streamCpuMsPerReply").asDouble())
                .isCloseTo(2000.0 / 7200, within(1e-9));
        assertThat(root.path("goals")).hasSize(6);
    }

    @Test
    void shouldWriteTheFiguresTheTableAndAPlotOfTheCurveBesideThem() throws IOException {
        // When the report is written into a directory that does not exist yet
        Path out = dir.resolve("bench-report");
        List<Path> files = report.write(out);

        // Then the JSON and the table are those printed, and the plot is a chart-sized PNG with a chart in it
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactlyElementsOf(BenchReport.FILES);
        assertThat(new ObjectMapper().readTree(out.resolve("bench.json").toFile()))
                .isEqualTo(new ObjectMapper().readTree(report.json()));
        assertThat(Files.readString(out.resolve("bench.md"))).isEqualTo(report.table());
        Path png = out.resolve("latency-curve.png");
        assertThat(Files.size(png)).isGreaterThan(10_000);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("decodes as an image").isNotNull();
        assertThat(image.getWidth()).isEqualTo(800);
        assertThat(image.getHeight()).isEqualTo(450);
        assertThat(ReportPages.colours(image)).as("more than a blank background").isGreaterThan(8);
    }

    private Map<String, Goal> goals() {
        return report.goals().stream().collect(Collectors.toMap(Goal::name, Function.identity()));
    }
}
