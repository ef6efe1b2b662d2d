package io.wmstream.topology.processor;

import io.wmstream.model.ConversationModel;
import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import io.wmstream.schemas.event.ConversationEventReader;
import io.wmstream.topology.batching.PendingEvent;
import io.wmstream.topology.batching.PendingQueue;
import io.wmstream.topology.batching.ThreadBatchCoordinator;
import io.wmstream.topology.batching.ThreadBatchCoordinators;
import io.wmstream.topology.config.TopologySettings;
import io.wmstream.topology.memory.CorruptMemoryException;
import io.wmstream.topology.memory.ModelStamp;
import io.wmstream.topology.memory.WorkingMemory;
import io.wmstream.topology.memory.WorkingMemoryCodec;
import io.wmstream.topology.metrics.TopologyMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heart of the topology: accepts valid events (keyed by conversationId) into the changelogged pending store,
 * runs them in micro-batches when {@code wm.batch.max.size} are waiting or the oldest has waited
 * {@code wm.batch.max.wait.ms}, and closes conversations that went idle.
 */
final class WorkingMemoryProcessor implements Processor<byte[], byte[], String, Output> {
    /**
     * Header on every output: a per-task counter of forwarded outputs. Outputs of one source offset are forwarded
     * in a deterministic order, and this keeps it visible to a reader of several output topics (replay).
     */
    static final String EMISSION_INDEX_HEADER = "wm.emission.index";

    private static final Logger LOG = LoggerFactory.getLogger(WorkingMemoryProcessor.class);
    /**
     * While records keep arriving, a due batch waits up to this many times {@code wm.batch.max.wait.ms} for more:
     * under load Kafka Streams hands a task a few records between punctuations, and running each few alone would
     * make small, costly model calls (BENCHMARKS.md, bench).
     */
    static final int FLOWING_WAIT_FACTOR = 4;

    private final TopologySettings settings;
    private final ConversationModel model;
    private final ThreadBatchCoordinators coordinators;
    private ProcessorContext<String, Output> context;
    private PendingQueue pending;
    private KeyValueStore<String, byte[]> memoryStore;
    private TopologyMetrics metrics;
    private BatchRunner runner;
    private NextWaveRequests nextWave;
    /** This task's place in its stream thread's shared model calls; joined on the thread that first runs a batch. */
    private ThreadBatchCoordinator.Member batchMember;
    private long pendingSinceWallMs = -1;
    private long lastProcessedWallMs = -1;
    /** Offset of the latest event appended to the pending queue: idle-expiry summaries are ordered after it. */
    private long lastAppendedOffset = -1;
    private long emissionIndex;

    WorkingMemoryProcessor(TopologySettings settings, ConversationModel model, ThreadBatchCoordinators coordinators) {
        this.settings = settings;
        this.model = model;
        this.coordinators = coordinators;
    }

    @Override
    public void init(ProcessorContext<String, Output> context) {
        this.context = context;
        this.memoryStore = context.getStateStore(WorkingMemoryStores.MEMORY_STORE);
        this.pending = new PendingQueue(context.getStateStore(WorkingMemoryStores.PENDING_STORE),
                new ConversationEventReader(settings.eventLimits()));
        this.metrics = new TopologyMetrics(context.metrics(), context.taskId(), settings.batchMaxSize(),
                "memory");
        var memories = new MemoryAccess(memoryStore, ModelStamp.of(model.info()), settings.failOnModelMismatch(),
                metrics);
        this.runner = new BatchRunner(settings, pending, model, memories, metrics, this::advance);
        this.nextWave = new NextWaveRequests(settings, pending, memoryStore, memories.model());
        if (!pending.isEmpty()) {
            LOG.info("Task {}: {} accepted events were pending from before; they run first", context.taskId(),
                    pending.size());
            pendingSinceWallMs = context.currentSystemTimeMs();
        }
        context.schedule(Duration.ofMillis(settings.batchMaxWaitMs()), PunctuationType.WALL_CLOCK_TIME,
                this::runIfDue);
        if (settings.idleExpiryMs() > 0) {
            PunctuationType clock = settings.idleOnWallClock() ? PunctuationType.WALL_CLOCK_TIME
                    : PunctuationType.STREAM_TIME;
            context.schedule(idleScanInterval(settings.idleExpiryMs()), clock, this::expireIdle);
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        pending.append(record.key(), record.value(), source.topic(), source.partition(), source.offset(),
                record.timestamp());
        lastAppendedOffset = source.offset();
        lastProcessedWallMs = context.currentSystemTimeMs();
        if (pendingSinceWallMs < 0) {
            pendingSinceWallMs = lastProcessedWallMs;
        }
        while (pending.size() >= settings.batchMaxSize()) {
            runBatch();
        }
    }

    private void runIfDue(long nowMs) {
        // Results another task of this thread prepared are ready now: waiting longer would only add latency.
        boolean prepared = batchMember != null && batchMember.hasPrepared();
        long waited = nowMs - pendingSinceWallMs;
        long wait = settings.batchMaxWaitMs();
        boolean flowing = nowMs - lastProcessedWallMs < wait;
        if (!pending.isEmpty() && (prepared || waited >= wait && (!flowing || waited >= FLOWING_WAIT_FACTOR * wait))) {
            runAllPending();
        }
    }

    private void runAllPending() {
        while (!pending.isEmpty()) {
            runBatch();
        }
    }

    private void runBatch() {
        List<PendingEvent> batch = pending.oldest(settings.batchMaxSize());
        List<Emission> emissions = runner.run(batch);
        pending.remove(batch);
        emissions.forEach(this::forward);
        pendingSinceWallMs = pending.isEmpty() ? -1 : context.currentSystemTimeMs();
    }

    /**
     * Closes conversations idle for {@code wm.idle.expiry.ms}. Pending events run first: whether an event is still
     * pending depends on batch sizes and timing, and expiry must not.
     */
    private void expireIdle(long nowMs) {
        runAllPending();
        List<KeyValue<String, WorkingMemory>> idle = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = memoryStore.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                try {
                    // Only the activity time of each memory; the few that expire are decoded in full.
                    if (nowMs - WorkingMemoryCodec.readLastActivityMs(entry.value) >= settings.idleExpiryMs()) {
                        idle.add(KeyValue.pair(entry.key, WorkingMemoryCodec.decode(entry.value)));
                    }
                } catch (CorruptMemoryException e) {
                    LOG.warn("Conversation {}: {}; it is dropped", entry.key, e.getMessage());
                    idle.add(KeyValue.pair(entry.key, null));
                }
            }
        }
        for (KeyValue<String, WorkingMemory> entry : idle) {
            if (entry.value == null) {
                memoryStore.delete(entry.key);
            } else {
                forward(runner.expire(entry.key, entry.value, nowMs, lastAppendedOffset));
            }
        }
    }

    private List<TurnResult> advance(List<TurnRequest> requests) {
        if (batchMember == null || batchMember.thread() != Thread.currentThread()) {
            leaveBatching();
            batchMember = coordinators.join(nextWave);
        }
        return batchMember.advance(requests);
    }

    private void leaveBatching() {
        if (batchMember != null) {
            batchMember.leave();
            batchMember = null;
        }
    }

    private void forward(Emission emission) {
        emission.headers().add(EMISSION_INDEX_HEADER,
                Long.toString(emissionIndex++).getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<>(emission.key(), emission.output(), emission.timestampMs(),
                emission.headers()));
    }

    @Override
    public void close() {
        leaveBatching();
        if (metrics != null) {
            metrics.close();
        }
    }

    /** How often to look for idle conversations: a tenth of the expiry, between one second and one minute. */
    static Duration idleScanInterval(long expiryMs) {
        return Duration.ofMillis(Math.max(1_000, Math.min(60_000, expiryMs / 10)));
    }
}
