package io.wmstream.app.bench;

import io.wmstream.model.bench.ModelBenchmark;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The model alone on all cores: encode + reply at batch 1 and at the best batch of the one-thread sweep, for each
 * thread setting of {@link #settings(int)}. The best of them is the ceiling the pipeline's saturation is divided by;
 * the one-thread setting stays beside it for comparison (it was the ceiling before the pipeline used every core).
 *
 * @param rows one per thread setting, in the order of {@link #settings(int)}
 */
record ModelCeiling(List<SettingRow> rows) {

    /** Threads calling the shared model at once, each with its own batches, and ONNX Runtime's intra-op threads. */
    record Setting(int callers, int intraOpThreads) {
        /** Cores the setting keeps busy when every thread works. */
        int threads() {
            return callers * intraOpThreads;
        }
    }

    /** One thread setting at batch 1 and at the best batch ({@code best} is {@code batchOne} when that is 1). */
    record SettingRow(Setting setting, ModelBenchmark.Row batchOne, ModelBenchmark.Row best) {
    }

    /**
     * The settings measured on a machine of {@code processors} cores: calling threads and intra-op threads each 1,
     * the powers of two and the largest number that keeps {@code callers x intraOpThreads} within the cores.
     * Oversubscribed settings are left out: their threads would take turns on the cores, and on 16 cores the grid
     * would grow from 15 settings to 256.
     */
    static List<Setting> settings(int processors) {
        List<Setting> settings = new ArrayList<>();
        for (int callers : upTo(processors)) {
            for (int intraOp : upTo(processors / callers)) {
                settings.add(new Setting(callers, intraOp));
            }
        }
        return settings;
    }

    /** 1, 2, 4, ... up to {@code most}, and {@code most} itself. */
    private static TreeSet<Integer> upTo(int most) {
        TreeSet<Integer> values = new TreeSet<>();
        for (int value = 1; value <= most; value *= 2) {
            values.add(value);
        }
        values.add(Math.max(1, most));
        return values;
    }

    /** The setting whose best batch was fastest: the all-core ceiling. */
    SettingRow best() {
        return rows.stream().max(Comparator.comparingDouble(row -> row.best().utterancesPerSecond()))
                .orElseThrow(() -> new IllegalStateException("no thread setting was measured"));
    }

    /** Utterances/s of the model at its best batch and thread setting. */
    double utterancesPerSecond() {
        return rows.isEmpty() ? Double.NaN : best().best().utterancesPerSecond();
    }

    /** One calling thread with one intra-op thread, when it was measured. */
    Optional<SettingRow> singleThread() {
        return rows.stream().filter(row -> row.setting().threads() == 1).findFirst();
    }

    /** The setting fastest at batch 1: what the model does on all cores without batching. */
    SettingRow bestAtBatchOne() {
        return rows.stream().max(Comparator.comparingDouble(row -> row.batchOne().utterancesPerSecond()))
                .orElseThrow(() -> new IllegalStateException("no thread setting was measured"));
    }

    /**
     * The model's own batching gain: its all-core ceiling against its best at batch 1 on all cores. A pipeline that
     * batches perfectly gains this much against {@code wm.batch.max.size=1}, and no more.
     */
    double batchingGain() {
        return rows.isEmpty() ? Double.NaN
                : utterancesPerSecond() / bestAtBatchOne().batchOne().utterancesPerSecond();
    }
}
