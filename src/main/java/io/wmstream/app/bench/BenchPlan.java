package io.wmstream.app.bench;

import java.time.Duration;
import java.util.List;

/**
 * How long and how big each part of a benchmark run is.
 *
 * @param modelBatches batch sizes of the model ceiling, figure (a)
 * @param modelSeconds measured seconds per model batch size
 * @param warmUp load before each measured window (JIT, batches filling, first commits)
 * @param measure each measured window
 * @param users closed-loop users at saturation (conversations in flight)
 * @param thinkMs think time of the closed loop that behaves like people
 * @param loadLevels fractions of saturation at which the open loop measures latency: the latency-throughput curve
 * @param scale the two numbers of active conversations of figure (d)
 */
record BenchPlan(int[] modelBatches, double modelSeconds, Duration warmUp, Duration measure, int users, long thinkMs,
        List<Double> loadLevels, int[] scale) {

    /** The points of the latency-throughput curve: light load, half, and closer and closer to saturation. */
    static final List<Double> CURVE = List.of(0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95);

    /** Load on a pipeline of the default model before any pipeline figure, so the JIT compiler is done. */
    Duration jitWarmUp() {
        return warmUp.multipliedBy(4);
    }

    /** The reference run: about ten minutes on two cores. */
    static BenchPlan full() {
        return new BenchPlan(new int[] {1, 8, 32, 64, 128}, 3, Duration.ofSeconds(10), Duration.ofSeconds(20), 512,
                500, CURVE, new int[] {1_000, 100_000});
    }

    /** A few minutes: the same figures, the curve's seven points included, over shorter windows. */
    static BenchPlan quick() {
        return new BenchPlan(new int[] {1, 8, 32, 64, 128}, 1, Duration.ofSeconds(5), Duration.ofSeconds(10), 512,
                500, CURVE, new int[] {1_000, 100_000});
    }

    BenchPlan withMeasure(Duration value) {
        return new BenchPlan(modelBatches, modelSeconds, warmUp, value, users, thinkMs, loadLevels, scale);
    }

    BenchPlan withWarmUp(Duration value) {
        return new BenchPlan(modelBatches, modelSeconds, value, measure, users, thinkMs, loadLevels, scale);
    }

    BenchPlan withUsers(int value) {
        return new BenchPlan(modelBatches, modelSeconds, warmUp, measure, value, thinkMs, loadLevels, scale);
    }

    BenchPlan withScale(int small, int large) {
        return new BenchPlan(modelBatches, modelSeconds, warmUp, measure, users, thinkMs, loadLevels,
                new int[] {small, large});
    }

    BenchPlan withModel(int[] batches, double seconds) {
        return new BenchPlan(batches, seconds, warmUp, measure, users, thinkMs, loadLevels, scale);
    }
}
