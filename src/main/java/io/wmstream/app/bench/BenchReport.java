package io.wmstream.app.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.wmstream.model.bench.ModelBenchmark;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The figures of a run as a table for people and as JSON for machines, with the pipeline's floors and goals. */
final class BenchReport {
    private final BenchResults results;

    BenchReport(BenchResults results) {
        this.results = results;
    }

    /** The four ratios the floors and goals are set on, from this run's figures alone. */
    List<Goal> goals() {
        List<Goal> goals = new ArrayList<>();
        double saturated = results.saturation().measured().perSecond();
        goals.add(new Goal("end to end / model ceiling (best batch)", saturated / results.modelBest(), 0.7, 0.9,
                false, "ratio"));
        goals.add(new Goal("batching gain against wm.batch.max.size=1",
                saturated / results.unbatched().measured().perSecond(), 3, 4, false, "x"));
        double p99 = results.levels().stream().filter(l -> l.fraction() == 0.5).findFirst()
                .map(l -> l.measured().latencies().p99Ms()).orElse(Double.NaN);
        goals.add(new Goal("p99 at 50% of saturation, exactly-once", p99, 250, 100, true, "ms"));
        List<BenchResults.Scale> scale = results.scale();
        double loss = scale.size() < 2 ? Double.NaN : 1 - scale.get(scale.size() - 1).saturation().measured()
                .perSecond() / scale.get(0).saturation().measured().perSecond();
        goals.add(new Goal("throughput lost by " + (scale.isEmpty() ? "?" : scale.get(scale.size() - 1)
                .conversations()) + " conversations against " + (scale.isEmpty() ? "?" : scale.get(0).conversations()),
                loss, 0.25, 0.15, true, "%"));
        return goals;
    }

    String table() {
        StringBuilder out = new StringBuilder();
        BenchResults.Environment env = results.environment();
        out.append(String.format(Locale.ROOT, "wmstream bench, %s: %d processors, Java %s, %s on %s, %d stream "
                + "thread(s), %d intra-op thread(s), %d partitions, wm.batch.max.size %d, wm.batch.max.wait.ms %d, "
                + "commit interval %s ms, load average %.1f before and %.1f after%n%n", env.date(), env.processors(),
                env.java(), env.model(), env.device(), env.streamThreads(), env.intraOpThreads(), env.partitions(),
                env.batchMaxSize(), env.batchMaxWaitMs(), env.commitIntervalMs(), env.loadAverageBefore(),
                env.loadAverageAfter()));
        out.append("(a) model ceiling, encode + reply\n\n| batch | utterances/s | p50 ms/call | p99 ms/call "
                + "| reply tokens/utterance |\n|---:|---:|---:|---:|---:|\n");
        for (ModelBenchmark.Row row : results.modelRows()) {
            out.append(String.format(Locale.ROOT, "| %d | %.0f | %.1f | %.1f | %.1f |%n", row.batch(),
                    row.utterancesPerSecond(), row.p50Ms(), row.p99Ms(),
                    (double) row.replyTokens() / row.utterances()));
        }
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
            LoadGenerator.Measured m = row.measured();
            out.append(String.format(Locale.ROOT, "| %s | %s | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %d |%n",
                    row.figure(), row.load(), row.conversations(), m.perSecond(), m.latencies().p50Ms(),
                    m.latencies().p99Ms(), m.latencies().maxMs(), m.tokensPerReply(), row.rowsPerCall(),
                    m.unanswered()));
        }
        out.append(String.format(Locale.ROOT, "%nWhere the CPU went, in cores of %d (CPU seconds per second over each "
                + "phase, warm-up included; model calls in wall time, on the model threads with wm.batch.overlap)%n%n"
                + "| figure | replies/s | stream threads | model threads | model calls (wall) | pipeline clients "
                + "| load generator | broker | GC, JIT, native | total |%n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n", env.processors()));
        for (PhaseRow row : phases) {
            CpuSplit cpu = row.cpu();
            out.append(String.format(Locale.ROOT,
                    "| %s | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
                    row.figure(), row.measured().perSecond(), cpu.streamThreads(), cpu.modelThreads(), cpu.model(),
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
        out.append(String.format(Locale.ROOT, "%nFloors and goals (model ceiling: %.0f utterances/s at batch %d)%n%n"
                + "| ratio | value | floor | goal | floor | goal |%n|---|---:|---:|---:|---|---|%n",
                results.modelBest(), results.modelBestBatch()));
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
                    results.saturation().conversations(), level));
        }
        for (BenchResults.Scale scale : results.scale()) {
            rows.add(PhaseRow.of("(d) " + scale.conversations() + " active, saturation", scale.saturation()));
            rows.add(PhaseRow.of("(d) " + scale.conversations() + " active, 50%", scale.conversations(),
                    scale.half()));
        }
        return rows;
    }

    /** One row of the pipeline tables. */
    private record PhaseRow(String figure, String load, int conversations, LoadGenerator.Measured measured,
            double rowsPerCall, CpuSplit cpu) {
        static PhaseRow of(String figure, BenchResults.Phase phase) {
            return new PhaseRow(figure, phase.load(), phase.conversations(), phase.measured(), phase.rowsPerCall(),
                    phase.cpu());
        }

        static PhaseRow of(String figure, int conversations, BenchResults.Level level) {
            return new PhaseRow(figure, String.format(Locale.ROOT, "open loop %.0f/s", level.targetPerSecond()),
                    conversations, level.measured(), level.rowsPerCall(), level.cpu());
        }
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
        root.put("modelCeiling", Map.of("rows", model, "bestUtterancesPerSecond", results.modelBest(),
                "bestBatch", results.modelBestBatch()));
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
        root.put("endToEnd", e2e);
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

    private static Map<String, Object> phase(BenchResults.Phase phase) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", phase.name());
        entry.put("load", phase.load());
        entry.put("conversations", phase.conversations());
        entry.putAll(measured(phase.measured()));
        entry.put("rowsPerModelCall", phase.rowsPerCall());
        entry.put("cpuCores", phase.cpu());
        return entry;
    }

    private static Map<String, Object> level(BenchResults.Level level) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("fraction", level.fraction());
        entry.put("targetPerSecond", level.targetPerSecond());
        entry.putAll(measured(level.measured()));
        entry.put("rowsPerModelCall", level.rowsPerCall());
        entry.put("cpuCores", level.cpu());
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
        return entry;
    }

    /** JSON has no NaN: a figure that could not be measured is null. */
    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
