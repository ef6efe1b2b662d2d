package io.wmstream.app.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.wmstream.app.report.LatencyCurveChart;
import io.wmstream.model.bench.ModelBenchmark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The figures of a run as a table for people and as JSON for machines, with the pipeline's floors and goals. */
final class BenchReport {
    private final BenchResults results;

    BenchReport(BenchResults results) {
        this.results = results;
    }

    /**
     * The floors and goals, from this run's figures alone: saturation against the model's all-core ceiling, the
     * open loop at 90 % of saturation (answered share and p99), p99 at 50 %, the batching gain end to end against
     * the model's own, and the throughput lost at the larger state scale. Where a floor is all that is set, the goal
     * repeats it.
     */
    List<Goal> goals() {
        List<Goal> goals = new ArrayList<>();
        double saturated = results.saturation().measured().perSecond();
        goals.add(new Goal("end to end / model ceiling on all cores", saturated
                / results.ceiling().utterancesPerSecond(), 0.75, 0.9, false, "ratio"));
        LatencyCurve curve = results.curve();
        Optional<LatencyCurve.Point> near = curve.at(0.9);
        goals.add(new Goal("open loop at 90% of saturation: answered / offered",
                near.map(LatencyCurve.Point::answeredShare).orElse(Double.NaN), 0.97, 0.97, false, "ratio"));
        goals.add(new Goal("open loop at 90% of saturation: p99", near.map(LatencyCurve.Point::p99Ms)
                .orElse(Double.NaN), 1000, 300, true, "ms"));
        goals.add(new Goal("p99 at 50% of saturation, exactly-once", curve.at(0.5).map(LatencyCurve.Point::p99Ms)
                .orElse(Double.NaN), 150, 50, true, "ms"));
        goals.add(new Goal("batching gain end to end / the model's own", batchingGainRatio(), 0.9, 0.9, false,
                "ratio"));
        List<BenchResults.Scale> scale = results.scale();
        double loss = scale.size() < 2 ? Double.NaN : 1 - scale.get(scale.size() - 1).saturation().measured()
                .perSecond() / scale.get(0).saturation().measured().perSecond();
        goals.add(new Goal("throughput lost by " + (scale.isEmpty() ? "?" : scale.get(scale.size() - 1)
                .conversations()) + " conversations against " + (scale.isEmpty() ? "?" : scale.get(0).conversations()),
                loss, 0.15, 0.15, true, "%"));
        return goals;
    }

    /** Saturation against saturation with {@code wm.batch.max.size=1}. */
    double batchingGain() {
        return results.saturation().measured().perSecond() / results.unbatched().measured().perSecond();
    }

    /**
     * The end-to-end batching gain divided by the model's own (its all-core ceiling against its best at batch 1):
     * 1 when the pipeline gains from batching all that the model allows.
     */
    double batchingGainRatio() {
        return batchingGain() / results.ceiling().batchingGain();
    }

    /** Saturation against the model's ceiling with one calling thread and one intra-op thread, for comparison. */
    double singleThreadRatio() {
        return results.ceiling().singleThread().map(row -> results.saturation().measured().perSecond()
                / row.best().utterancesPerSecond()).orElse(Double.NaN);
    }

    String table() {
        StringBuilder out = new StringBuilder();
        BenchResults.Environment env = results.environment();
        out.append(String.format(Locale.ROOT, "wmstream bench, %s: %d processors, Java %s, %s on %s, %d stream "
                + "thread(s) with %d model thread(s) each (wm.model.threads), calls dealt into %d part(s) "
                + "(wm.model.parallel.calls), %d intra-op thread(s), %d partitions, wm.batch.max.size %d, "
                + "wm.batch.max.wait.ms %d, commit interval %s ms, load average %.1f before and %.1f after%n%n",
                env.date(), env.processors(), env.java(), env.model(), env.device(), env.streamThreads(),
                env.modelThreads(), env.parallelCalls(), env.intraOpThreads(), env.partitions(),
                env.batchMaxSize(), env.batchMaxWaitMs(), env.commitIntervalMs(), env.loadAverageBefore(),
                env.loadAverageAfter()));
        out.append(String.format(Locale.ROOT, "(a) model ceiling, encode + reply, one calling thread, %d intra-op "
                + "thread(s)%n%n| batch | utterances/s | p50 ms/call | p99 ms/call | reply tokens/utterance |%n"
                + "|---:|---:|---:|---:|---:|%n", env.intraOpThreads()));
        for (ModelBenchmark.Row row : results.modelRows()) {
            out.append(String.format(Locale.ROOT, "| %d | %.0f | %.1f | %.1f | %.1f |%n", row.batch(),
                    row.utterancesPerSecond(), row.p50Ms(), row.p99Ms(),
                    (double) row.replyTokens() / row.utterances()));
        }
        allCores(out);
        out.append("\n(a) model ceiling per beam width (wm.decoding.beam.width), one calling thread, best batch of (a)"
                + "\n\n| beam width | batch | utterances/s | x width 1 | p50 ms/call | p99 ms/call "
                + "| reply tokens/utterance |\n|---:|---:|---:|---:|---:|---:|---:|\n");
        double greedy = results.beamRows().stream().filter(b -> b.width() == 1)
                .mapToDouble(b -> b.row().utterancesPerSecond()).findFirst().orElse(Double.NaN);
        for (BenchResults.BeamRow beam : results.beamRows()) {
            ModelBenchmark.Row row = beam.row();
            out.append(String.format(Locale.ROOT, "| %d | %d | %.0f | %.2f | %.1f | %.1f | %.1f |%n", beam.width(),
                    row.batch(), row.utterancesPerSecond(), row.utterancesPerSecond() / greedy, row.p50Ms(),
                    row.p99Ms(), (double) row.replyTokens() / row.utterances()));
        }
        out.append("\n(b)-(d) pipeline on the broker, exactly-once; latency from the append to the reply visible "
                + "to a read_committed consumer\n\n| figure | load | conversations | replies/s | p50 ms | p99 ms "
                + "| max ms | reply tokens | rows/model call | unanswered |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        List<PhaseRow> phases = phaseRows();
        for (PhaseRow row : phases) {
            if (row.curvePoint()) {
                continue;
            }
            LoadGenerator.Measured m = row.measured();
            out.append(String.format(Locale.ROOT, "| %s | %s | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %d |%n",
                    row.figure(), row.load(), row.conversations(), m.perSecond(), m.latencies().p50Ms(),
                    m.latencies().p99Ms(), m.latencies().maxMs(), m.tokensPerReply(), row.rowsPerCall(),
                    m.unanswered()));
        }
        curve(out);
        out.append(String.format(Locale.ROOT, "%nWhere the CPU went, in cores of %d (CPU seconds per second over each "
                + "phase, warm-up included; model calls in wall time, on the model threads with wm.batch.overlap; "
                + "ONNX Runtime's own intra-op threads are native, under GC, JIT, native); stream CPU per reply: the "
                + "stream threads' CPU over the phase divided by its replies%n%n"
                + "| figure | replies/s | stream threads | stream CPU ms/reply | model threads | model calls (wall) "
                + "| pipeline clients | load generator | broker | GC, JIT, native | total |%n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n", env.processors()));
        for (PhaseRow row : phases) {
            CpuSplit cpu = row.cpu();
            out.append(String.format(Locale.ROOT,
                    "| %s | %.0f | %.2f | %.3f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
                    row.figure(), row.measured().perSecond(), cpu.streamThreads(),
                    BenchResults.streamCpuMsPerReply(cpu, row.measured()), cpu.modelThreads(), cpu.model(),
                    cpu.pipelineClients(), cpu.loadGenerator(), cpu.broker(), cpu.vm(), cpu.total()));
        }
        out.append("\n(d) working-memory store\n\n| active conversations | entries | memories MB | bytes/conversation "
                + "| on disk MB |\n|---:|---:|---:|---:|---:|\n");
        for (BenchResults.Scale scale : results.scale()) {
            out.append(String.format(Locale.ROOT, "| %d | %d | %.1f | %.0f | %.1f |%n", scale.conversations(),
                    scale.storeEntries(), scale.storeBytes() / 1e6,
                    scale.storeEntries() == 0 ? 0.0 : (double) scale.storeBytes() / scale.storeEntries(),
                    scale.stateDirBytes() / 1e6));
        }
        ModelCeiling.SettingRow best = results.ceiling().best();
        out.append(String.format(Locale.ROOT, "%nFloors and goals (model ceiling on all cores: %.0f utterances/s with "
                + "%d calling thread(s) x %d intra-op thread(s) at batch %d; end to end / one-thread ceiling %.2f; "
                + "batching gain end to end %.2fx, the model's own %.2fx)%n%n"
                + "| ratio | value | floor | goal | floor | goal |%n|---|---:|---:|---:|---|---|%n",
                results.ceiling().utterancesPerSecond(), best.setting().callers(), best.setting().intraOpThreads(),
                best.best().batch(), singleThreadRatio(), batchingGain(), results.ceiling().batchingGain()));
        for (Goal goal : goals()) {
            String bound = goal.atMost() ? "<= " : ">= ";
            out.append(String.format(Locale.ROOT, "| %s | %s | %s%s | %s%s | %s | %s |%n", goal.name(),
                    goal.format(goal.value()), bound, goal.format(goal.floor()), bound, goal.format(goal.goal()),
                    goal.verdict(), goal.goalMet() ? "met" : "not met"));
        }
        return out.toString();
    }

    /** Every pipeline phase of the run, in the order of the table. */
    private List<PhaseRow> phaseRows() {
        List<PhaseRow> rows = new ArrayList<>();
        rows.add(PhaseRow.of("(b) pipeline ceiling, no-op model", results.pipelineCeiling()));
        rows.add(PhaseRow.of("(c) saturation", results.saturation()));
        rows.add(PhaseRow.of("(c) saturation, wm.batch.max.size=1", results.unbatched()));
        rows.add(PhaseRow.of("(c) " + results.people().name(), results.people()));
        for (BenchResults.Level level : results.levels()) {
            rows.add(PhaseRow.of(String.format(Locale.ROOT, "(c) %.0f%% of saturation", level.fraction() * 100),
                    results.saturation().conversations(), level, true));
        }
        for (BenchResults.Scale scale : results.scale()) {
            rows.add(PhaseRow.of("(d) " + scale.conversations() + " active, saturation", scale.saturation()));
            rows.add(PhaseRow.of("(d) " + scale.conversations() + " active, 50%", scale.conversations(),
                    scale.half(), false));
        }
        return rows;
    }

    /**
     * One row of the pipeline tables; {@code curvePoint}: a level of the latency curve, which has a table of its own
     * and a row in the CPU table.
     */
    private record PhaseRow(String figure, String load, int conversations, LoadGenerator.Measured measured,
            double rowsPerCall, CpuSplit cpu, boolean curvePoint) {
        static PhaseRow of(String figure, BenchResults.Phase phase) {
            return new PhaseRow(figure, phase.load(), phase.conversations(), phase.measured(), phase.rowsPerCall(),
                    phase.cpu(), false);
        }

        static PhaseRow of(String figure, int conversations, BenchResults.Level level, boolean curvePoint) {
            return new PhaseRow(figure, String.format(Locale.ROOT, "open loop %.0f/s", level.targetPerSecond()),
                    conversations, level.measured(), level.rowsPerCall(), level.cpu(), curvePoint);
        }
    }

    /** Figure (a) on all cores: each thread setting at batch 1 and at the best batch. */
    private void allCores(StringBuilder out) {
        ModelCeiling ceiling = results.ceiling();
        ModelCeiling.SettingRow best = ceiling.best();
        double single = ceiling.singleThread().map(row -> row.best().utterancesPerSecond()).orElse(Double.NaN);
        out.append(String.format(Locale.ROOT, "%n(a) model ceiling on all %d cores, encode + reply: calling threads "
                + "x intra-op threads (ONNX Runtime), at batch 1 and at batch %d%n%n| calling threads | intra-op "
                + "threads | batch 1 utterances/s | batch %d utterances/s | x one thread | p50 ms/call | p99 ms/call "
                + "| |%n|---:|---:|---:|---:|---:|---:|---:|---|%n", results.environment().processors(),
                best.best().batch(), best.best().batch()));
        for (ModelCeiling.SettingRow row : ceiling.rows()) {
            String mark = row == best ? "all-core ceiling" : row.setting().threads() == 1 ? "one thread" : "";
            if (row == best && row.setting().threads() == 1) {
                mark = "all-core ceiling, one thread";
            }
            out.append(String.format(Locale.ROOT, "| %d | %d | %.0f | %.0f | %.2f | %.1f | %.1f | %s |%n",
                    row.setting().callers(), row.setting().intraOpThreads(), row.batchOne().utterancesPerSecond(),
                    row.best().utterancesPerSecond(), row.best().utterancesPerSecond() / single, row.best().p50Ms(),
                    row.best().p99Ms(), mark));
        }
        ModelCeiling.SettingRow batchOne = ceiling.bestAtBatchOne();
        out.append(String.format(Locale.ROOT, "%nThe model's own batching gain: %.2fx (%.0f utterances/s at its best "
                + "against %.0f at batch 1 with %d calling thread(s) x %d intra-op thread(s))%n",
                ceiling.batchingGain(), ceiling.utterancesPerSecond(), batchOne.batchOne().utterancesPerSecond(),
                batchOne.setting().callers(), batchOne.setting().intraOpThreads()));
    }

    /** The latency-throughput curve: the open loop at each fraction of saturation. */
    private void curve(StringBuilder out) {
        LatencyCurve curve = results.curve();
        out.append(String.format(Locale.ROOT, "%n(c) latency-throughput curve: open loop at fractions of saturation "
                + "(%.0f replies/s), %d conversations; answered: replies/s over offered turns/s in the window%n%n"
                + "| load | offered/s | answered/s | answered | p50 ms | p99 ms | max ms | rows/model call "
                + "| unanswered |%n|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n", curve.saturationPerSecond(),
                results.saturation().conversations()));
        for (LatencyCurve.Point point : curve.points()) {
            out.append(String.format(Locale.ROOT, "| %.0f%% | %.0f | %.0f | %.3f | %.1f | %.1f | %.1f | %.1f | %d |%n",
                    point.fraction() * 100, point.offeredPerSecond(), point.answeredPerSecond(),
                    point.answeredShare(), point.p50Ms(), point.p99Ms(), point.maxMs(), point.rowsPerCall(),
                    point.unanswered()));
        }
    }

    /** The files {@link #write(Path)} writes into its directory, in this order. */
    static final List<String> FILES = List.of("bench.json", "bench.md", "latency-curve.png");

    /**
     * Writes the figures into {@code dir} (created if need be): the JSON, the table, and the latency curve drawn
     * from that JSON as a PNG beside it, as the replay report draws its charts; returns the files.
     */
    List<Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        String json = json();
        Path jsonFile = dir.resolve(FILES.get(0));
        Files.writeString(jsonFile, json, StandardCharsets.UTF_8);
        Path table = dir.resolve(FILES.get(1));
        Files.writeString(table, table(), StandardCharsets.UTF_8);
        Path chart = dir.resolve(FILES.get(2));
        LatencyCurveChart.write(new ObjectMapper().readTree(json).path("latencyCurve"), chart);
        return List.of(jsonFile, table, chart);
    }

    String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("environment", results.environment());
        List<Map<String, Object>> model = new ArrayList<>();
        for (ModelBenchmark.Row row : results.modelRows()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("batch", row.batch());
            entry.put("utterancesPerSecond", row.utterancesPerSecond());
            entry.put("p50MsPerCall", row.p50Ms());
            entry.put("p99MsPerCall", row.p99Ms());
            entry.put("replyTokensPerUtterance", (double) row.replyTokens() / row.utterances());
            model.add(entry);
        }
        Map<String, Object> sweep = new LinkedHashMap<>();
        sweep.put("callingThreads", 1);
        sweep.put("intraOpThreads", results.environment().intraOpThreads());
        sweep.put("rows", model);
        sweep.put("bestUtterancesPerSecond", results.modelBest());
        sweep.put("bestBatch", results.modelBestBatch());
        root.put("modelCeiling", sweep);
        root.put("modelCeilingAllCores", allCoresJson());
        List<Map<String, Object>> beams = new ArrayList<>();
        for (BenchResults.BeamRow beam : results.beamRows()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("beamWidth", beam.width());
            entry.put("batch", beam.row().batch());
            entry.put("utterancesPerSecond", beam.row().utterancesPerSecond());
            entry.put("p50MsPerCall", beam.row().p50Ms());
            entry.put("p99MsPerCall", beam.row().p99Ms());
            entry.put("replyTokensPerUtterance", (double) beam.row().replyTokens() / beam.row().utterances());
            beams.add(entry);
        }
        root.put("modelCeilingPerBeamWidth", beams);
        root.put("pipelineCeiling", phase(results.pipelineCeiling()));
        Map<String, Object> e2e = new LinkedHashMap<>();
        e2e.put("saturation", phase(results.saturation()));
        e2e.put("unbatched", phase(results.unbatched()));
        e2e.put("people", phase(results.people()));
        List<Map<String, Object>> levels = new ArrayList<>();
        results.levels().forEach(level -> levels.add(level(level)));
        e2e.put("levels", levels);
        Map<String, Object> ratios = new LinkedHashMap<>();
        ratios.put("saturationVsAllCoreCeiling", finite(results.saturation().measured().perSecond()
                / results.ceiling().utterancesPerSecond()));
        ratios.put("saturationVsOneThreadCeiling", finite(singleThreadRatio()));
        ratios.put("batchingGain", finite(batchingGain()));
        ratios.put("modelBatchingGain", finite(results.ceiling().batchingGain()));
        ratios.put("batchingGainRatio", finite(batchingGainRatio()));
        e2e.put("ratios", ratios);
        root.put("endToEnd", e2e);
        root.put("latencyCurve", curveJson());
        List<Map<String, Object>> scale = new ArrayList<>();
        for (BenchResults.Scale s : results.scale()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("conversations", s.conversations());
            entry.put("storeEntries", s.storeEntries());
            entry.put("storeBytes", s.storeBytes());
            entry.put("stateDirBytes", s.stateDirBytes());
            entry.put("saturation", phase(s.saturation()));
            entry.put("half", level(s.half()));
            scale.add(entry);
        }
        root.put("stateScale", scale);
        List<Map<String, Object>> goals = new ArrayList<>();
        for (Goal goal : goals()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", goal.name());
            entry.put("value", finite(goal.value()));
            entry.put("floor", goal.floor());
            entry.put("goal", goal.goal());
            entry.put("atMost", goal.atMost());
            entry.put("floorHolds", goal.floorHolds());
            entry.put("goalMet", goal.goalMet());
            goals.add(entry);
        }
        root.put("goals", goals);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the figures as JSON", e);
        }
    }

    /** Figure (a) on all cores: every thread setting, the best, the one-thread setting, the model's batching gain. */
    private Map<String, Object> allCoresJson() {
        ModelCeiling ceiling = results.ceiling();
        List<Map<String, Object>> settings = new ArrayList<>();
        for (ModelCeiling.SettingRow row : ceiling.rows()) {
            settings.add(setting(row));
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("processors", results.environment().processors());
        entry.put("settings", settings);
        entry.put("best", setting(ceiling.best()));
        entry.put("oneThread", ceiling.singleThread().map(BenchReport::setting).orElse(null));
        entry.put("utterancesPerSecond", ceiling.utterancesPerSecond());
        entry.put("batchOneUtterancesPerSecond", ceiling.bestAtBatchOne().batchOne().utterancesPerSecond());
        entry.put("batchingGain", finite(ceiling.batchingGain()));
        return entry;
    }

    private static Map<String, Object> setting(ModelCeiling.SettingRow row) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("callingThreads", row.setting().callers());
        entry.put("intraOpThreads", row.setting().intraOpThreads());
        entry.put("batchOneUtterancesPerSecond", row.batchOne().utterancesPerSecond());
        entry.put("batch", row.best().batch());
        entry.put("utterancesPerSecond", row.best().utterancesPerSecond());
        entry.put("p50MsPerCall", row.best().p50Ms());
        entry.put("p99MsPerCall", row.best().p99Ms());
        return entry;
    }

    /** The latency-throughput curve, as {@code LatencyCurveChart} draws it. */
    private Map<String, Object> curveJson() {
        LatencyCurve curve = results.curve();
        List<Map<String, Object>> points = new ArrayList<>();
        for (LatencyCurve.Point point : curve.points()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("fraction", point.fraction());
            entry.put("targetPerSecond", point.targetPerSecond());
            entry.put("offeredPerSecond", point.offeredPerSecond());
            entry.put("answeredPerSecond", point.answeredPerSecond());
            entry.put("answeredShare", finite(point.answeredShare()));
            entry.put("p50Ms", finite(point.p50Ms()));
            entry.put("p99Ms", finite(point.p99Ms()));
            entry.put("maxMs", finite(point.maxMs()));
            entry.put("rowsPerModelCall", point.rowsPerCall());
            entry.put("unanswered", point.unanswered());
            points.add(entry);
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("saturationPerSecond", curve.saturationPerSecond());
        entry.put("conversations", results.saturation().conversations());
        entry.put("points", points);
        return entry;
    }

    private static Map<String, Object> phase(BenchResults.Phase phase) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", phase.name());
        entry.put("load", phase.load());
        entry.put("conversations", phase.conversations());
        entry.putAll(measured(phase.measured()));
        entry.put("rowsPerModelCall", phase.rowsPerCall());
        entry.put("cpuCores", phase.cpu());
        entry.put("streamCpuMsPerReply", finite(phase.streamCpuMsPerReply()));
        return entry;
    }

    private static Map<String, Object> level(BenchResults.Level level) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("fraction", level.fraction());
        entry.put("targetPerSecond", level.targetPerSecond());
        entry.putAll(measured(level.measured()));
        entry.put("rowsPerModelCall", level.rowsPerCall());
        entry.put("cpuCores", level.cpu());
        entry.put("streamCpuMsPerReply", finite(level.streamCpuMsPerReply()));
        return entry;
    }

    private static Map<String, Object> measured(LoadGenerator.Measured m) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("repliesPerSecond", m.perSecond());
        entry.put("replies", m.replies());
        entry.put("seconds", m.seconds());
        entry.put("p50Ms", finite(m.latencies().p50Ms()));
        entry.put("p99Ms", finite(m.latencies().p99Ms()));
        entry.put("maxMs", finite(m.latencies().maxMs()));
        entry.put("latencies", m.latencies().count());
        entry.put("replyTokensPerReply", m.tokensPerReply());
        entry.put("unanswered", m.unanswered());
        entry.put("offered", m.offered());
        entry.put("offeredPerSecond", m.offeredPerSecond());
        entry.put("answeredInPhase", m.answered());
        return entry;
    }

    /** JSON has no NaN: a figure that could not be measured is null. */
    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
