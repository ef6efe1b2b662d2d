package io.wmstream.app.bench;

import java.util.Arrays;

/** Latencies in milliseconds: how many, p50, p99 and the largest (nearest-rank percentiles). */
record Latencies(int count, double p50Ms, double p99Ms, double maxMs) {
    static final Latencies NONE = new Latencies(0, Double.NaN, Double.NaN, Double.NaN);

    /** The summary of {@code nanos} (sorted in place). */
    static Latencies of(long[] nanos) {
        if (nanos.length == 0) {
            return NONE;
        }
        Arrays.sort(nanos);
        return new Latencies(nanos.length, rank(nanos, 0.50) / 1e6, rank(nanos, 0.99) / 1e6,
                nanos[nanos.length - 1] / 1e6);
    }

    private static double rank(long[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
