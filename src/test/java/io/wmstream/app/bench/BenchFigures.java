package io.wmstream.app.bench;

import io.wmstream.model.bench.ModelBenchmark;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The figures of a bench run made by the bench's own accounting: windows fed with turns sent and replies received
 * at given times ({@link MeasuredWindow}), CPU split between two snapshots ({@link CpuSplit}), model rows as
 * {@link ModelBenchmark} reports them; so the report's tests see what a run would hand it, without a broker.
 */
final class BenchFigures {
    static final long SECOND = 1_000_000_000L;

    private BenchFigures() {
    }

    /**
     * A 10-second window in which {@code offered} turns were sent at a steady rate and {@code answered} of them got a
     * reply after {@code latencyMs} (the i-th latency of the array, cycling), all inside the span.
     */
    static LoadGenerator.Measured window(int offered, int answered, long... latencyMs) {
        MeasuredWindow w = new MeasuredWindow(0, 10 * SECOND);
        long gap = 10 * SECOND / offered;
        for (int i = 0; i < offered; i++) {
            long sent = i * gap;
            w.sent(sent);
            if (i < answered) {
                long latency = latencyMs[i % latencyMs.length] * 1_000_000L;
                // Counted as arriving in the span: in a steady state the warm-up's late replies fill its start as
                // the span's own late replies leave its end.
                w.record(sent, sent, latency, 20);
            }
        }
        return w.measured(offered - answered);
    }

    /** CPU over 10 s of a phase: {@code streamCores} on the stream threads, one core on the model thread. */
    static CpuSplit cpu(double streamCores) {
        CpuSplit.Snapshot before = new CpuSplit.Snapshot(0, 0, 0, Map.of());
        long stream = (long) (streamCores * 10 * SECOND);
        CpuSplit.Snapshot after = new CpuSplit.Snapshot(10 * SECOND, stream + 10 * SECOND, 10 * SECOND,
                Map.of(CpuSplit.Part.STREAM_THREADS, stream, CpuSplit.Part.MODEL_THREADS, 10 * SECOND));
        return after.since(before);
    }

    /** A phase of a steady closed loop at {@code perSecond} replies/s over 10 s. */
    static BenchResults.Phase phase(String name, int perSecond) {
        return new BenchResults.Phase(name, 512, "closed loop, no think time", window(perSecond * 10, perSecond * 10,
                40, 60, 80), 32, cpu(0.2));
    }

    /** A model row: {@code perSecond} utterances/s at {@code batch} over 3 s. */
    static ModelBenchmark.Row row(int batch, double perSecond) {
        long utterances = (long) (perSecond * 3);
        return new ModelBenchmark.Row("encode + reply (<= 32 tokens)", batch, utterances / batch, utterances,
                utterances * 19, 3, 1, 2, 3);
    }

    /**
     * A run on 2 cores: the model does 100 and 500 utterances/s at batch 1 and 64 on one thread, 180 and 900 with two
     * calling threads; the pipeline saturates at 720 replies/s (batched) and 150 (batch 1); the open loop keeps up to
     * 90 % (p99 200 ms there) and answers 0.9 of the load at 95 %.
     */
    static BenchResults run() {
        List<ModelBenchmark.Row> sweep = List.of(row(1, 100), row(8, 300), row(64, 500));
        ModelCeiling ceiling = new ModelCeiling(List.of(
                new ModelCeiling.SettingRow(new ModelCeiling.Setting(1, 1), row(1, 100), row(64, 500)),
                new ModelCeiling.SettingRow(new ModelCeiling.Setting(1, 2), row(1, 120), row(64, 600)),
                new ModelCeiling.SettingRow(new ModelCeiling.Setting(2, 1), row(1, 180), row(64, 900))));
        BenchResults.Phase saturation = phase("default model", 720);
        List<BenchResults.Level> levels = new ArrayList<>();
        for (double fraction : BenchPlan.CURVE) {
            int offered = (int) Math.round(fraction * 720 * 10);
            int answered = fraction > 0.9 ? (int) (offered * 0.9) : offered;
            long[] latencies = fraction == 0.5 ? new long[] {30, 40, 45, 120} : fraction == 0.9
                    ? new long[] {90, 110, 150, 200} : new long[] {50 + (long) (fraction * 1000)};
            levels.add(new BenchResults.Level(fraction, fraction * 720, window(offered, answered, latencies),
                    fraction * 40, cpu(0.1)));
        }
        BenchResults.Environment environment = new BenchResults.Environment("2026-12-07T18:00:00Z", 2, "17",
                "wm-gru-dialogue 3.0.0", "cpu", 1, 2, 1, 1, 3, 64, 5, "50", 1.0, 2.0);
        List<BenchResults.Scale> scale = List.of(
                new BenchResults.Scale(1000, 1000, 1_800_000, 100_000, phase("1000 conversations", 700),
                        levels.get(2)),
                new BenchResults.Scale(100_000, 100_000, 180_000_000, 180_000_000, phase("100000 conversations", 630),
                        levels.get(2)));
        return new BenchResults(environment, sweep, ceiling, List.of(new BenchResults.BeamRow(1, row(64, 500))),
                phase("no-op model", 5000), saturation, phase("wm.batch.max.size=1", 150),
                phase("users thinking 500 ms", 650), levels, scale);
    }
}
