package io.wmstream.app.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where the CPU of this process went during one phase, in cores (CPU seconds per second of the phase): the
 * pipeline's stream threads, their model threads ({@code wm.batch.overlap}), the model calls' wall time, the
 * pipeline's other client threads, the load generator, the in-process broker, and what no Java thread accounts for
 * (garbage collection, the JIT compiler, RocksDB's background flushes and compactions).
 * On two cores these parts compete: a model call shares the machine with everything else here.
 *
 * @param seconds wall time of the phase
 * @param streamThreads CPU of the pipeline's stream threads (model calls included where they run there)
 * @param modelThreads CPU of the pipeline's model threads ({@code wm.model.threads} per stream thread), and
 *     of the model's parallel-call threads ({@code wm.model.parallel.calls})
 * @param model wall time spent in model calls, in cores, whichever thread made them
 * @param pipelineClients the pipeline's producer and consumer network threads and state updater
 * @param loadGenerator the benchmark's producer, reply consumer and user threads
 * @param broker every other Java thread: the broker in this process, when it runs here
 * @param vm process CPU that no Java thread accounts for (GC, JIT and native threads)
 */
record CpuSplit(double seconds, double streamThreads, double modelThreads, double model, double pipelineClients,
        double loadGenerator, double broker, double vm) {
    private static final Pattern STREAM_THREAD = Pattern.compile(".*-StreamThread-\\d+");
    private static final Pattern MODEL_THREAD = Pattern.compile(".*-StreamThread-\\d+-model(-\\d+)?");
    private static final String PARALLEL_CALL_THREAD = "wm-model-";

    double total() {
        return streamThreads + modelThreads + pipelineClients + loadGenerator + broker + vm;
    }

    /** CPU time so far by part, for the pipeline whose thread names contain {@code pipelineId}. */
    static Snapshot snapshot(String pipelineId, long modelNanos) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Part, Long> nanos = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu > 0) {
                nanos.merge(part(info.getThreadName(), pipelineId), cpu, Long::sum);
            }
        }
        return new Snapshot(System.nanoTime(), processCpuNanos(), modelNanos, nanos);
    }

    static Part part(String threadName, String pipelineId) {
        // The threads of wm.model.parallel.calls (ParallelCalls) belong to the model session, which every phase
        // shares; only one pipeline runs at a time, so their CPU is this pipeline's model work, not the broker's.
        if (threadName.startsWith(PARALLEL_CALL_THREAD)) {
            return Part.MODEL_THREADS;
        }
        if (threadName.contains(pipelineId)) {
            boolean own = threadName.startsWith(pipelineId);
            if (own && MODEL_THREAD.matcher(threadName).matches()) {
                return Part.MODEL_THREADS;
            }
            return own && STREAM_THREAD.matcher(threadName).matches() ? Part.STREAM_THREADS : Part.PIPELINE_CLIENTS;
        }
        if (threadName.startsWith("bench-") || threadName.contains("wmstream-bench-users")
                || threadName.contains("wmstream-bench-replies")) {
            return Part.LOAD_GENERATOR;
        }
        return Part.BROKER;
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** The parts a thread's CPU is counted under. */
    enum Part { STREAM_THREADS, MODEL_THREADS, PIPELINE_CLIENTS, LOAD_GENERATOR, BROKER }

    /** CPU nanoseconds at one moment. Threads that ended between two snapshots are not counted. */
    record Snapshot(long wallNanos, long processNanos, long modelNanos, Map<Part, Long> nanos) {
        CpuSplit since(Snapshot before) {
            double seconds = (wallNanos - before.wallNanos) / 1e9;
            double[] cores = new double[Part.values().length];
            double threads = 0;
            for (Part part : Part.values()) {
                long delta = nanos.getOrDefault(part, 0L) - before.nanos.getOrDefault(part, 0L);
                cores[part.ordinal()] = Math.max(0, delta) / 1e9 / seconds;
                threads += cores[part.ordinal()];
            }
            double process = processNanos < 0 ? threads : (processNanos - before.processNanos) / 1e9 / seconds;
            return new CpuSplit(seconds, cores[Part.STREAM_THREADS.ordinal()], cores[Part.MODEL_THREADS.ordinal()],
                    (modelNanos - before.modelNanos) / 1e9 / seconds, cores[Part.PIPELINE_CLIENTS.ordinal()],
                    cores[Part.LOAD_GENERATOR.ordinal()], cores[Part.BROKER.ordinal()], Math.max(0, process - threads));
        }
    }
}
