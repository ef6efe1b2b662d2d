package io.wmstream.topology.metrics;

import io.wmstream.schemas.deadletter.DeadLetterReason;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Percentile;
import org.apache.kafka.common.metrics.stats.Percentiles;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.metrics.stats.Value;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.TaskId;

/**
 * The topology's own metrics, registered with Kafka Streams (so every Kafka metrics reporter and Micrometer's
 * KafkaStreamsMetrics binder export them) in group {@value #GROUP}, tagged with the task. Sensors are per task
 * and removed when the processor closes.
 */
public final class TopologyMetrics {
    /** The metric group of every wmstream metric. */
    public static final String GROUP = "wmstream-metrics";

    private final StreamsMetrics streamsMetrics;
    private final String prefix;
    private final Map<String, String> tags;
    private final List<Sensor> sensors = new ArrayList<>();
    private final Sensor batchSize;
    private final Sensor modelLatency;
    private final Sensor replies;
    private final Sensor filledValues;
    private final Sensor openSlots;
    private final Sensor summaries;
    private final Sensor duplicates;
    private final Sensor modelMismatches;
    private final Sensor activeConversations;
    private final Sensor modelCallFailures;
    private final Sensor predictionsFound;
    private final Sensor computedByTask;
    private final Sensor predictionsUnused;
    private final Map<DeadLetterReason, Sensor> deadLetters = new EnumMap<>(DeadLetterReason.class);

    /**
     * Registers the sensors of one processor node of one task.
     *
     * @param node the processor node, a tag that keeps the parse node's and the memory node's metrics apart
     */
    public TopologyMetrics(StreamsMetrics streamsMetrics, TaskId taskId, int maxBatchSize, String node) {
        this(streamsMetrics, taskId, maxBatchSize, node, true);
    }

    /** The metrics of a node that only dead-letters (the parse node): no batch, reply or summary sensors. */
    public static TopologyMetrics deadLettersOnly(StreamsMetrics streamsMetrics, TaskId taskId, String node) {
        return new TopologyMetrics(streamsMetrics, taskId, 1, node, false);
    }

    private TopologyMetrics(StreamsMetrics streamsMetrics, TaskId taskId, int maxBatchSize, String node,
            boolean full) {
        this.streamsMetrics = streamsMetrics;
        this.prefix = "wmstream." + Thread.currentThread().getName() + "." + taskId + "." + node + ".";
        this.tags = new LinkedHashMap<>();
        tags.put("thread-id", Thread.currentThread().getName());
        tags.put("task-id", taskId.toString());
        tags.put("node", node);
        if (!full) {
            batchSize = null;
            modelLatency = null;
            replies = null;
            filledValues = null;
            openSlots = null;
            summaries = null;
            duplicates = null;
            modelMismatches = null;
            activeConversations = null;
            modelCallFailures = null;
            predictionsFound = null;
            computedByTask = null;
            predictionsUnused = null;
            return;
        }

        batchSize = sensor("batch-size");
        batchSize.add(name("batch-size-avg", "Average events per model call"), new Avg());
        batchSize.add(name("batch-size-max", "Most events in one model call"), new Max());
        batchSize.add(new Percentiles(4 * 1024, Math.max(2, maxBatchSize), Percentiles.BucketSizing.LINEAR,
                new Percentile(name("batch-size-p50", "Median events per model call"), 50),
                new Percentile(name("batch-size-p99", "99th percentile of events per model call"), 99)));

        modelLatency = sensor("model-call-latency");
        modelLatency.add(name("model-call-latency-avg-ms", "Average model call time"), new Avg());
        modelLatency.add(name("model-call-latency-max-ms", "Longest model call"), new Max());
        modelLatency.add(new Percentiles(4 * 1024, 2_000, Percentiles.BucketSizing.LINEAR,
                new Percentile(name("model-call-latency-p50-ms", "Median model call time"), 50),
                new Percentile(name("model-call-latency-p99-ms", "99th percentile of model call time"), 99)));

        replies = counter("replies", "Replies emitted");
        filledValues = counter("reply-filled-values", "Reply placeholders filled from tracked facts");
        openSlots = counter("reply-open-slots", "Reply placeholders left for the backend (no fact of their type)");
        summaries = counter("summaries", "Summaries emitted");
        duplicates = counter("duplicates", "Duplicate events skipped");
        modelMismatches = counter("memory-model-mismatches", "Memories reset because another model wrote them");
        modelCallFailures = counter("model-call-failures", "Model calls that failed, on the model thread (its "
                + "tasks then compute their own) or on the stream thread (retried, then dead-lettered)");
        predictionsFound = counter("model-requests-prepared", "Model requests answered by a result the thread's "
                + "model calls prepared from the task's predicted requests");
        computedByTask = counter("model-requests-computed-by-task", "Model requests computed on the stream thread "
                + "without a prepared result: not predicted (an idle scan or a full queue ran them first, a retry), "
                + "or predicted differently");
        predictionsUnused = counter("prepared-results-unused", "Results prepared for predicted requests that no "
                + "request of the task matched: model work wasted (the prediction and the run disagreed)");
        activeConversations = sensor("active-conversations");
        activeConversations.add(name("active-conversations", "Conversations held by this task (approximate)"),
                new Value());
    }

    public void recordBatch(int size, double latencyMs) {
        batchSize.record(size);
        modelLatency.record(latencyMs);
    }

    public void recordReply() {
        replies.record();
    }

    /** Counts one reply's placeholders: those filled from tracked facts and those left as slots. */
    public void recordFilling(int filled, int slots) {
        for (int i = 0; i < filled; i++) {
            filledValues.record();
        }
        for (int i = 0; i < slots; i++) {
            openSlots.record();
        }
    }

    public void recordSummary() {
        summaries.record();
    }

    public void recordDuplicate() {
        duplicates.record();
    }

    public void recordModelMismatch() {
        modelMismatches.record();
    }

    public void recordModelCallFailures(int count) {
        for (int i = 0; i < count; i++) {
            modelCallFailures.record();
        }
    }

    /**
     * Counts how the task's model requests met the results prepared for it: {@code found} answered by one,
     * {@code computed} by the task itself, and {@code unused} prepared results that no request matched.
     */
    public void recordPredictions(int found, int computed, int unused) {
        count(predictionsFound, found);
        count(computedByTask, computed);
        count(predictionsUnused, unused);
    }

    public void recordActiveConversations(long count) {
        activeConversations.record(count);
    }

    public void recordDeadLetter(DeadLetterReason reason) {
        deadLetters.computeIfAbsent(reason, r -> {
            Sensor sensor = sensor("dead-letters." + r.code());
            Map<String, String> reasonTags = new LinkedHashMap<>(tags);
            reasonTags.put("reason", r.code());
            sensor.add(new MetricName("dead-letters-total", GROUP, "Dead letters by reason", reasonTags),
                    new CumulativeCount());
            sensor.add(new MetricName("dead-letters-rate", GROUP, "Dead letters per second by reason", reasonTags),
                    new Rate());
            return sensor;
        }).record();
    }

    /** Removes every sensor this task registered. */
    public void close() {
        sensors.forEach(streamsMetrics::removeSensor);
        sensors.clear();
        deadLetters.clear();
    }

    private static void count(Sensor sensor, int times) {
        for (int i = 0; i < times; i++) {
            sensor.record();
        }
    }

    private Sensor counter(String metric, String description) {
        Sensor sensor = sensor(metric);
        sensor.add(name(metric + "-total", description + " (total)"), new CumulativeCount());
        sensor.add(name(metric + "-rate", description + " per second"), new Rate());
        return sensor;
    }

    private Sensor sensor(String name) {
        Sensor sensor = streamsMetrics.addSensor(prefix + name, Sensor.RecordingLevel.INFO);
        sensors.add(sensor);
        return sensor;
    }

    private MetricName name(String metric, String description) {
        return new MetricName(metric, GROUP, description, tags);
    }
}
