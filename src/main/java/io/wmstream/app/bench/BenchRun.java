package io.wmstream.app.bench;

import io.wmstream.app.config.StreamsSettings;
import io.wmstream.app.pipeline.PipelineSession;
import io.wmstream.model.ConversationModel;
import io.wmstream.model.bench.ModelBenchmark;
import io.wmstream.model.inference.OnnxConversationModel;
import io.wmstream.topology.config.WmConfig;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.streams.StreamsConfig;

/**
 * One benchmark run, every figure measured in it: the model alone, then pipelines on one broker (the no-op model,
 * the default model batched and unbatched, and the default model under 1,000 and 100,000 conversations), each
 * pipeline with an application id, topics and state directory of its own.
 */
final class BenchRun {
    private static final PipelineSession.Options SESSION = new PipelineSession.Options(false, Duration.ofMinutes(3),
            Duration.ofSeconds(30));
    /** Longest wait for a pipeline's input to be committed before an open-loop level. */
    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(2);

    /** The beam widths whose model ceiling is measured. */
    static final int[] BEAM_WIDTHS = {1, 2, 3, 4};

    private final BenchPlan plan;
    private final Function<Map<String, String>, WmConfig> configs;
    private final OnnxConversationModel model;
    private final Path stateRoot;
    private final PrintStream progress;
    private final String runId = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);

    /**
     * @param configs the user's configuration with these settings put over it (the broker, ids, directories)
     * @param model the default model, opened with the user's {@code wm.model.*} settings; the caller closes it
     */
    BenchRun(BenchPlan plan, Function<Map<String, String>, WmConfig> configs, OnnxConversationModel model,
            Path stateRoot, PrintStream progress) {
        this.plan = plan;
        this.configs = configs;
        this.model = model;
        this.stateRoot = stateRoot;
        this.progress = progress;
    }

    BenchResults run(String bootstrapServers) throws PipelineSession.PipelineStartException, InterruptedException {
        double loadBefore = loadAverage();
        WmConfig base = configs.apply(Map.of());
        int threads = base.streamThreads();

        progress.println("bench: (a) model ceiling, encode + reply, batches " + Arrays.toString(
                plan.modelBatches()) + ", one calling thread, " + model.config().intraOpThreads()
                + " intra-op thread(s)");
        List<ModelBenchmark.Row> rows = new ArrayList<>();
        ModelBenchmark.runReplies(model, plan.modelBatches(), plan.modelSeconds(), 1, row -> {
            rows.add(row);
            progress.printf(Locale.ROOT, "bench:   batch %d: %.0f utterances/s%n", row.batch(),
                    row.utterancesPerSecond());
        });
        ModelCeiling ceiling = allCoreCeiling(rows);

        List<BenchResults.BeamRow> beamRows = beamCeilings(rows);

        List<String> users = ids("u", plan.users());
        progress.println("bench: warming up: " + plan.jitWarmUp().toSeconds() + " s of the default model's pipeline,"
                + " not measured");
        try (Stage stage = stage(bootstrapServers, "warm", Map.of(), model)) {
            // The first minute of a JVM's pipeline spends up to a core compiling (C2) the broker's, the clients'
            // and this topology's code; measured then, every later figure would be that of a cold JVM.
            stage.load.closedLoop(users, plan.users(), 0, plan.jitWarmUp(), Duration.ZERO);
        }
        progress.println("bench: (b) pipeline ceiling, no-op model, " + plan.users() + " users");
        BenchResults.Phase pipelineCeiling;
        try (Stage stage = stage(bootstrapServers, "noop", Map.of(), new NoOpModel(model.info()))) {
            pipelineCeiling = saturation(stage, "no-op model", users);
        }

        progress.println("bench: (c) end to end, default model, exactly-once");
        BenchResults.Phase saturation;
        BenchResults.Phase people;
        List<BenchResults.Level> levels = new ArrayList<>();
        try (Stage stage = stage(bootstrapServers, "e2e", Map.of(), model)) {
            saturation = saturation(stage, "default model", users);
            double saturated = saturation.measured().perSecond();
            long[] before = stage.calls.counts();
            CpuSplit.Snapshot cpu = stage.cpu();
            var thinking = stage.load.closedLoop(users, plan.users(), plan.thinkMs(), plan.warmUp(), plan.measure());
            people = new BenchResults.Phase("users thinking " + plan.thinkMs() + " ms", plan.users(),
                    "closed loop, think " + plan.thinkMs() + " ms", thinking, stage.rowsPerCallSince(before),
                    stage.cpu().since(cpu));
            report(people);
            for (double fraction : plan.loadLevels()) {
                levels.add(level(stage, users, fraction, saturated));
            }
        }
        BenchResults.Phase unbatched;
        try (Stage stage = stage(bootstrapServers, "b1", Map.of(WmConfig.BATCH_MAX_SIZE_CONFIG, "1"), model)) {
            unbatched = saturation(stage, "wm.batch.max.size=1", users);
        }

        progress.println("bench: (d) state scale, " + plan.scale()[0] + " and " + plan.scale()[1]
                + " active conversations");
        List<BenchResults.Scale> scale = new ArrayList<>();
        try (Stage stage = stage(bootstrapServers, "scale", Map.of(), model)) {
            List<String> active = new ArrayList<>();
            for (int size : plan.scale()) {
                List<String> more = ids("s", size).subList(active.size(), size);
                progress.println("bench:   greeting " + more.size() + " more conversations");
                stage.load.greet(more);
                active.addAll(more);
                stage.awaitCaughtUp(Duration.ofMinutes(10));
                scale.add(scaleFigures(stage, List.copyOf(active)));
            }
        }
        BenchResults.Environment environment = new BenchResults.Environment(Instant.now().toString(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                model.info().name() + " " + model.info().version(), model.device(), threads,
                base.getBoolean(WmConfig.BATCH_OVERLAP_CONFIG) ? base.modelThreads() : 0,
                model.config().parallelCalls(), model.config().intraOpThreads(),
                base.getInt(WmConfig.TOPIC_PARTITIONS_CONFIG),
                base.getInt(WmConfig.BATCH_MAX_SIZE_CONFIG), base.getLong(WmConfig.BATCH_MAX_WAIT_MS_CONFIG),
                String.valueOf(StreamsSettings.forPipeline(base, null).get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)),
                loadBefore, loadAverage());
        return new BenchResults(environment, rows, ceiling, beamRows, pipelineCeiling, saturation, unbatched, people,
                levels, scale);
    }

    /**
     * Figure (a) on all cores: each thread setting of {@link ModelCeiling#settings(int)} at batch 1 and at the
     * one-thread sweep's best batch, on a session with that many intra-op threads whose calls are not split (the
     * user's session where it is such; the others opened for the measurement and closed after it). The one-thread
     * setting keeps the better of its row and the sweep's best, when the sweep ran one thread: the same setting
     * measured twice minutes apart, on a host whose speed drifts, should not lower the ceiling.
     */
    private ModelCeiling allCoreCeiling(List<ModelBenchmark.Row> sweep) {
        int batch = bestBatch(sweep);
        int processors = Runtime.getRuntime().availableProcessors();
        List<ModelCeiling.Setting> settings = ModelCeiling.settings(processors);
        progress.println("bench: (a) model ceiling on all " + processors + " cores: " + settings.size()
                + " thread settings at batch 1 and " + batch);
        int[] batches = batch == 1 ? new int[] {1} : new int[] {1, batch};
        Map<ModelCeiling.Setting, ModelCeiling.SettingRow> measured = new HashMap<>();
        for (int intraOp : settings.stream().map(ModelCeiling.Setting::intraOpThreads).distinct().toList()) {
            boolean own = intraOp == model.config().intraOpThreads() && model.config().parallelCalls() == 1;
            OnnxConversationModel session = own ? model : OnnxConversationModel.open(model.bundle(),
                    model.config().toBuilder().intraOpThreads(intraOp).parallelCalls(1).build());
            try {
                for (ModelCeiling.Setting setting : settings) {
                    if (setting.intraOpThreads() != intraOp) {
                        continue;
                    }
                    List<ModelBenchmark.Row> pair = new ArrayList<>();
                    ModelBenchmark.runReplies(session, batches, plan.modelSeconds(), setting.callers(), pair::add);
                    ModelBenchmark.Row best = pair.get(pair.size() - 1);
                    boolean sweepRanThis = setting.threads() == 1 && model.config().parallelCalls() == 1
                            && model.config().intraOpThreads() == 1;
                    ModelBenchmark.Row swept = sweep.stream().filter(r -> r.batch() == batch).findFirst()
                            .orElse(best);
                    if (sweepRanThis && swept.utterancesPerSecond() > best.utterancesPerSecond()) {
                        best = swept;
                    }
                    ModelCeiling.SettingRow row = new ModelCeiling.SettingRow(setting, pair.get(0), best);
                    measured.put(setting, row);
                    progress.printf(Locale.ROOT, "bench:   %d calling thread(s) x %d intra-op thread(s): %.0f "
                            + "utterances/s at batch 1, %.0f at batch %d%n", setting.callers(), intraOp,
                            row.batchOne().utterancesPerSecond(), row.best().utterancesPerSecond(), batch);
                }
            } finally {
                if (!own) {
                    session.close();
                }
            }
        }
        ModelCeiling ceiling = new ModelCeiling(settings.stream().map(measured::get).toList());
        ModelCeiling.SettingRow best = ceiling.best();
        progress.printf(Locale.ROOT, "bench:   all-core ceiling: %.0f utterances/s with %d calling thread(s) x %d"
                + " intra-op thread(s)%n", ceiling.utterancesPerSecond(), best.setting().callers(),
                best.setting().intraOpThreads());
        return ceiling;
    }

    private int bestBatch(List<ModelBenchmark.Row> rows) {
        return rows.stream().max(java.util.Comparator.comparingDouble(ModelBenchmark.Row::utterancesPerSecond))
                .map(ModelBenchmark.Row::batch).orElse(plan.modelBatches()[0]);
    }

    /**
     * Figure (a) at its best batch size for each beam width of {@link #BEAM_WIDTHS}: each hypothesis is one more
     * row of every reply step, so this is what a wider beam costs the model (the same session settings otherwise).
     */
    private List<BenchResults.BeamRow> beamCeilings(List<ModelBenchmark.Row> rows) {
        int batch = bestBatch(rows);
        List<BenchResults.BeamRow> beamRows = new ArrayList<>();
        for (int width : BEAM_WIDTHS) {
            progress.println("bench: (a) model ceiling at batch " + batch + ", beam width " + width);
            try (OnnxConversationModel beams = OnnxConversationModel.open(model.bundle(),
                    model.config().toBuilder().beamWidth(width).build())) {
                ModelBenchmark.runReplies(beams, new int[] {batch}, plan.modelSeconds(), 1, row -> {
                    beamRows.add(new BenchResults.BeamRow(width, row));
                    progress.printf(Locale.ROOT, "bench:   width %d: %.0f utterances/s%n", width,
                            row.utterancesPerSecond());
                });
            }
        }
        return beamRows;
    }

    private BenchResults.Phase saturation(Stage stage, String name, List<String> ids) throws InterruptedException {
        long[] before = stage.calls.counts();
        CpuSplit.Snapshot cpu = stage.cpu();
        var measured = stage.load.closedLoop(ids, Math.min(plan.users(), ids.size()), 0, plan.warmUp(),
                plan.measure());
        var phase = new BenchResults.Phase(name, ids.size(), "closed loop, no think time", measured,
                stage.rowsPerCallSince(before), stage.cpu().since(cpu));
        report(phase);
        return phase;
    }

    private BenchResults.Level level(Stage stage, List<String> ids, double fraction, double saturated)
            throws InterruptedException {
        double rate = Math.max(1, fraction * saturated);
        settle(stage);
        long[] before = stage.calls.counts();
        CpuSplit.Snapshot cpu = stage.cpu();
        var measured = stage.load.openLoop(ids, rate, plan.warmUp(), plan.measure());
        var level = new BenchResults.Level(fraction, rate, measured, stage.rowsPerCallSince(before),
                stage.cpu().since(cpu));
        progress.printf(Locale.ROOT, "bench:   open loop at %.0f%% (%.0f/s): %.0f offered/s, %.0f replies/s, p50 %.1f"
                + " ms, p99 %.1f ms, max %.1f ms, %.1f rows per model call%s%n", fraction * 100, rate,
                measured.offeredPerSecond(), measured.perSecond(), measured.latencies().p50Ms(),
                measured.latencies().p99Ms(), measured.latencies().maxMs(), level.rowsPerCall(),
                measured.unanswered() > 0 ? ", " + measured.unanswered() + " unanswered" : "");
        return level;
    }

    /**
     * Waits (up to {@link #SETTLE_TIMEOUT}) until the pipeline has committed all its input, so that a level starts on
     * an empty pipeline, not on the backlog a level near saturation left behind its 30 s drain.
     */
    private void settle(Stage stage) throws InterruptedException {
        try {
            stage.awaitCaughtUp(SETTLE_TIMEOUT);
        } catch (IllegalStateException e) {
            progress.println("bench:   " + e.getMessage() + "; measuring the next level on its backlog");
        }
    }

    private BenchResults.Scale scaleFigures(Stage stage, List<String> active) throws InterruptedException {
        StoreSize size = StoreSize.of(stage.session.streams(), stage.stateDir);
        progress.printf(Locale.ROOT, "bench:   %d conversations: %d in the store, %.1f MB of memories, %.1f MB on"
                + " disk%n", active.size(), size.entries(), size.valueBytes() / 1e6, size.diskBytes() / 1e6);
        BenchResults.Phase saturated = saturation(stage, active.size() + " conversations", active);
        BenchResults.Level half = level(stage, active, 0.5, saturated.measured().perSecond());
        return new BenchResults.Scale(active.size(), size.entries(), size.valueBytes(), size.diskBytes(), saturated,
                half);
    }

    private void report(BenchResults.Phase phase) {
        var m = phase.measured();
        progress.printf(Locale.ROOT, "bench:   %s (%s, %d conversations): %.0f replies/s, p50 %.1f ms, p99 %.1f ms,"
                + " max %.1f ms, %.1f rows per model call%s%n", phase.name(), phase.load(), phase.conversations(),
                m.perSecond(), m.latencies().p50Ms(), m.latencies().p99Ms(), m.latencies().maxMs(),
                phase.rowsPerCall(),
                m.unanswered() > 0 ? ", " + m.unanswered() + " unanswered" : "");
    }

    private Stage stage(String bootstrapServers, String name, Map<String, String> settings,
            ConversationModel stageModel) throws PipelineSession.PipelineStartException, InterruptedException {
        String id = "wmstream-bench-" + runId + "-" + name;
        Path stateDir = stateRoot.resolve(name);
        Map<String, String> overrides = new HashMap<>(settings);
        overrides.put(WmConfig.KAFKA_PREFIX + CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        overrides.put(WmConfig.KAFKA_PREFIX + StreamsConfig.APPLICATION_ID_CONFIG, id);
        overrides.put(WmConfig.KAFKA_PREFIX + StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        overrides.put(WmConfig.TOPIC_PREFIX_CONFIG, id + ".");
        WmConfig config = configs.apply(overrides);
        CountingModel calls = new CountingModel(stageModel);
        PipelineSession session = PipelineSession.start(config, new SharedModelPipelineFactory(calls), SESSION,
                progress);
        try {
            LoadGenerator load = new LoadGenerator(StreamsSettings.forClients(config),
                    config.topic(WmConfig.TOPIC_EVENTS_CONFIG), config.topic(WmConfig.TOPIC_REPLIES_CONFIG));
            return new Stage(id, session, load, calls, new InputLag(StreamsSettings.forClients(config), id,
                    config.topic(WmConfig.TOPIC_EVENTS_CONFIG)), stateDir);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private static List<String> ids(String prefix, int count) {
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(prefix + "-" + i);
        }
        return ids;
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** A running pipeline with its users. */
    private record Stage(String id, PipelineSession session, LoadGenerator load, CountingModel calls, InputLag lag,
            Path stateDir) implements AutoCloseable {
        CpuSplit.Snapshot cpu() {
            return CpuSplit.snapshot(id, calls.nanos());
        }

        double rowsPerCallSince(long[] before) {
            long[] now = calls.counts();
            return now[0] == before[0] ? 0 : (double) (now[1] - before[1]) / (now[0] - before[0]);
        }

        void awaitCaughtUp(Duration timeout) throws InterruptedException {
            lag.awaitZero(timeout);
        }

        @Override
        public void close() {
            load.close();
            lag.close();
            session.close();
        }
    }
}
