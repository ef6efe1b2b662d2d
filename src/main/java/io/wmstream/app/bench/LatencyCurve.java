package io.wmstream.app.bench;

import java.util.List;
import java.util.Optional;

/**
 * Latency against load: the open loop at fractions of the measured saturation, each point with the load offered
 * and answered, the latency percentiles and how full the model calls were. Where the answered rate falls below the
 * offered one, a backlog grew during the window and the latencies are those of a queue.
 *
 * @param saturationPerSecond replies/s of the closed loop at saturation, which the fractions are of
 */
record LatencyCurve(double saturationPerSecond, List<Point> points) {

    /**
     * One load level.
     *
     * @param fraction of saturation that was asked for
     * @param targetPerSecond turns/s asked of the load generator
     * @param offeredPerSecond turns/s it sent in the measured span
     * @param answeredPerSecond replies/s that arrived in the span
     * @param rowsPerCall mean requests per model call over the level
     * @param unanswered turns still without a reply when the drain after the span gave up
     */
    record Point(double fraction, double targetPerSecond, double offeredPerSecond, double answeredPerSecond,
            double p50Ms, double p99Ms, double maxMs, double rowsPerCall, int unanswered) {

        /** The share of the offered load that was answered (1 when the pipeline kept up). */
        double answeredShare() {
            return offeredPerSecond > 0 ? answeredPerSecond / offeredPerSecond : Double.NaN;
        }
    }

    /** The curve of a run's open-loop levels, at the run's saturation. */
    static LatencyCurve of(BenchResults.Phase saturation, List<BenchResults.Level> levels) {
        return new LatencyCurve(saturation.measured().perSecond(), levels.stream().map(LatencyCurve::point).toList());
    }

    static Point point(BenchResults.Level level) {
        LoadGenerator.Measured m = level.measured();
        return new Point(level.fraction(), level.targetPerSecond(), m.offeredPerSecond(), m.perSecond(),
                m.latencies().p50Ms(), m.latencies().p99Ms(), m.latencies().maxMs(), level.rowsPerCall(),
                m.unanswered());
    }

    /** The point measured at {@code fraction} of saturation. */
    Optional<Point> at(double fraction) {
        return points.stream().filter(p -> Math.abs(p.fraction() - fraction) < 1e-9).findFirst();
    }
}
