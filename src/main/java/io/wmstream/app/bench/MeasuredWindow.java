package io.wmstream.app.bench;

import java.time.Duration;
import java.util.Arrays;

/**
 * A warm-up followed by a measured span: replies arriving in the span count for throughput; the latencies of
 * turns sent in the span are kept, however late their replies come (until the drain's end).
 */
final class MeasuredWindow {
    private volatile long startNanos;
    private volatile long endNanos;
    private final LongList latencies = new LongList();
    private int answered;
    private int offered;
    private int replies;
    private long replyTokens;
    private volatile boolean sending = true;

    MeasuredWindow(long startNanos, long endNanos) {
        this.startNanos = startNanos;
        this.endNanos = endNanos;
    }

    /** When the measured span ends (far in the future until a closed loop's first round fixes it). */
    long endNanos() {
        return endNanos;
    }

    boolean sending() {
        return sending && System.nanoTime() < endNanos;
    }

    void stopSending() {
        sending = false;
    }

    synchronized int answered() {
        return answered;
    }

    /** Fixes the span of a window opened without one. */
    synchronized void startAt(long nanos, Duration measure) {
        startNanos = nanos;
        endNanos = nanos + measure.toNanos();
    }

    /** A turn sent at {@code nowNanos}: it counts as offered load when sent in the measured span. */
    synchronized void sent(long nowNanos) {
        if (nowNanos >= startNanos && nowNanos < endNanos) {
            offered++;
        }
    }

    synchronized void record(long nowNanos, long sentNanos, long latencyNanos, int tokens) {
        answered++;
        if (nowNanos >= startNanos && nowNanos < endNanos) {
            replies++;
            replyTokens += tokens;
        }
        if (sentNanos >= startNanos && sentNanos < endNanos) {
            latencies.add(latencyNanos);
        }
    }

    synchronized LoadGenerator.Measured measured(int unanswered) {
        return new LoadGenerator.Measured(replies, (endNanos - startNanos) / 1e9, Latencies.of(latencies.toArray()),
                replyTokens, unanswered, offered, answered);
    }

    /** A growable list of longs, without a box per latency. */
    private static final class LongList {
        private long[] values = new long[1024];
        private int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        int size() {
            return size;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
