package io.wmstream.app.bench;

import io.wmstream.model.bench.ModelBenchmark;
import java.util.List;

/**
 * Every figure of one benchmark run.
 *
 * @param modelRows figure (a): encode + reply at each batch size, one calling thread
 * @param ceiling figure (a) on all cores: the best thread setting, the one-thread setting and the model's own
 *     batching gain
 * @param beamRows figure (a) again at its best batch size, for each beam width ({@code wm.decoding.beam.width})
 * @param pipelineCeiling figure (b): saturation with the no-op model
 * @param saturation figure (c): closed loop, no think time, the default model
 * @param unbatched the same with {@code wm.batch.max.size=1}
 * @param people closed loop with a think time
 * @param levels open loop at fractions of {@code saturation}
 * @param scale figure (d), smaller number of conversations first
 */
record BenchResults(Environment environment, List<ModelBenchmark.Row> modelRows, ModelCeiling ceiling,
        List<BeamRow> beamRows,
        Phase pipelineCeiling, Phase saturation, Phase unbatched, Phase people, List<Level> levels,
        List<Scale> scale) {

    /** The model ceiling with beams of {@code width} ({@code greedy} = width 1). */
    record BeamRow(int width, ModelBenchmark.Row row) {
    }

    /**
     * Where and with what it ran; {@code modelThreads}: per stream thread (0: calls on the stream thread),
     * {@code parallelCalls}: the parts each call is dealt into.
     */
    record Environment(String date, int processors, String java, String model, String device, int streamThreads,
            int modelThreads, int parallelCalls, int intraOpThreads, int partitions, int batchMaxSize,
            long batchMaxWaitMs, String commitIntervalMs, double loadAverageBefore, double loadAverageAfter) {
    }

    /**
     * One measured window of a pipeline; {@code rowsPerCall}: mean requests per model call over the phase;
     * {@code cpu}: where the process's CPU went over the phase (warm-up included).
     */
    record Phase(String name, int conversations, String load, LoadGenerator.Measured measured, double rowsPerCall,
            CpuSplit cpu) {
        /** Milliseconds of stream-thread CPU per reply over the phase. */
        double streamCpuMsPerReply() {
            return BenchResults.streamCpuMsPerReply(cpu, measured);
        }
    }

    /** The open loop at a fraction of saturation. */
    record Level(double fraction, double targetPerSecond, LoadGenerator.Measured measured, double rowsPerCall,
            CpuSplit cpu) {
        /** Milliseconds of stream-thread CPU per reply over the level. */
        double streamCpuMsPerReply() {
            return BenchResults.streamCpuMsPerReply(cpu, measured);
        }
    }

    /**
     * The stream threads' CPU over a phase divided by the replies of that phase (its warm-up, span and drain, the
     * same time the CPU was measured over): the pipeline's own work per event, without the model's.
     */
    static double streamCpuMsPerReply(CpuSplit cpu, LoadGenerator.Measured measured) {
        return measured.answered() == 0 ? Double.NaN : cpu.streamThreads() * cpu.seconds() * 1e3 / measured.answered();
    }

    /** One number of active conversations. */
    record Scale(int conversations, long storeEntries, long storeBytes, long stateDirBytes, Phase saturation,
            Level half) {
    }

    /** The latency-throughput curve of the open-loop levels. */
    LatencyCurve curve() {
        return LatencyCurve.of(saturation, levels);
    }

    /** The model's best utterances/s over the batch sizes of figure (a), one calling thread. */
    double modelBest() {
        return modelRows.stream().mapToDouble(ModelBenchmark.Row::utterancesPerSecond).max().orElse(Double.NaN);
    }

    /** The batch size at which {@link #modelBest()} was measured. */
    int modelBestBatch() {
        return modelRows.stream().max(java.util.Comparator.comparingDouble(ModelBenchmark.Row::utterancesPerSecond))
                .map(ModelBenchmark.Row::batch).orElse(0);
    }
}
