package io.wmstream.topology.processor;

import io.wmstream.model.ConversationModel;
import io.wmstream.model.TurnRequest;
import io.wmstream.topology.batching.ModelAnswer;
import io.wmstream.topology.batching.PendingEvent;
import io.wmstream.topology.batching.PendingQueue;
import io.wmstream.topology.batching.PredictionTally;
import io.wmstream.topology.batching.ThreadBatchCoordinator;
import io.wmstream.topology.batching.ThreadBatchCoordinators;
import io.wmstream.topology.config.TopologySettings;
import io.wmstream.topology.ingest.OriginalRecord;
import io.wmstream.topology.ingest.ParsedEvents;
import io.wmstream.topology.memory.CorruptMemoryException;
import io.wmstream.topology.memory.ModelStamp;
import io.wmstream.topology.memory.WorkingMemory;
import io.wmstream.topology.memory.WorkingMemoryCodec;
import io.wmstream.topology.metrics.TopologyMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.errors.TaskMigratedException;
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
 * has their model requests computed in the stream thread's shared calls ({@link ThreadBatchCoordinator}: a call
 * starts when {@code wm.batch.max.size} events wait, the previous call has finished, or at the punctuation every
 * {@code wm.batch.max.wait.ms}), runs them once their results are ready, each conversation's in arrival order
 * without waiting for another conversation's event still in a call, and closes conversations that went idle.
 */
final class WorkingMemoryProcessor implements Processor<byte[], byte[], String, Output> {
    /**
     * Header on every output: a per-task counter of forwarded outputs. Outputs of one source offset are forwarded
     * in a deterministic order, and this keeps it visible to a reader of several output topics (replay).
     */
    static final String EMISSION_INDEX_HEADER = "wm.emission.index";

    private static final Logger LOG = LoggerFactory.getLogger(WorkingMemoryProcessor.class);
    /** A task holds at most this many times {@code wm.batch.max.size} pending events before it waits for the model. */
    static final int PENDING_BOUND_FACTOR = 4;
    private final TopologySettings settings;
    private final ConversationModel model;
    private final ThreadBatchCoordinators coordinators;
    /** Events as the topology's parser parsed them: each pending event is parsed once, upstream. */
    private final ParsedEvents parsed;
    private ProcessorContext<String, Output> context;
    private PendingQueue pending;
    private KeyValueStore<String, byte[]> memoryStore;
    private TopologyMetrics metrics;
    private BatchRunner runner;
    private MemoryAccess memories;
    private NextWaveRequests nextWave;
    /** This task's place in its stream thread's shared model calls; joined on the thread that first runs a batch. */
    private ThreadBatchCoordinator.Member batchMember;
    /**
     * Input offset of the latest event appended to the pending queue: idle-expiry summaries are ordered after it.
     */
    private long lastAppendedOffset = -1;
    private long emissionIndex;
    /** The latest event time taken in, the clock of idle expiry (-1: none yet; a restart starts it again). */
    private long eventClockMs = -1;
    /** The event time at which the next idle scan is due; the first event of the task's run scans at once. */
    private long nextIdleScanMs;
    /** The key the next idle scan starts after; null: from the first key. Kept in memory only: a restart rescans. */
    private String idleScanFrom;

    WorkingMemoryProcessor(TopologySettings settings, ConversationModel model, ThreadBatchCoordinators coordinators,
            ParsedEvents parsed) {
        this.parsed = parsed;
        this.settings = settings;
        this.model = model;
        this.coordinators = coordinators;
    }

    @Override
    public void init(ProcessorContext<String, Output> context) {
        this.context = context;
        this.memoryStore = context.getStateStore(WorkingMemoryStores.MEMORY_STORE);
        this.pending = new PendingQueue(context.getStateStore(WorkingMemoryStores.PENDING_STORE), parsed::take);
        this.metrics = new TopologyMetrics(context.metrics(), context.taskId(), settings.batchMaxSize(),
                "memory");
        // One memory decoded once per event: its request's prediction and its run read it from the same cache.
        DecodedMemories decoded = new DecodedMemories(2 * PENDING_BOUND_FACTOR * settings.batchMaxSize());
        this.memories = new MemoryAccess(memoryStore, ModelStamp.of(model.info()), settings.failOnModelMismatch(),
                metrics, decoded);
        // One builder for the requests the task makes and those predicted for it, so that the two cannot differ.
        TurnRequests requests = new TurnRequests(settings.replyRoles());
        this.runner = new BatchRunner(settings, pending, model, memories, metrics, this::advance, requests);
        this.nextWave = new NextWaveRequests(settings, pending, memoryStore, memories.model(), requests, decoded);
        if (!pending.isEmpty()) {
            LOG.info("Task {}: {} accepted events were pending from before; they run first", context.taskId(),
                    pending.size());
        }
        context.schedule(Duration.ofMillis(settings.batchMaxWaitMs()), PunctuationType.WALL_CLOCK_TIME,
                this::runIfDue);
        if (settings.idleExpiryMs() > 0 && settings.idleOnWallClock()) {
            context.schedule(idleScanInterval(settings.idleExpiryMs()), PunctuationType.WALL_CLOCK_TIME,
                    this::expireIdle);
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        OriginalRecord source = originalOf(record);
        // A failed append may have reached the store (or its changelog) or not: dead-lettering the record could
        // leave it both dead-lettered and pending.
        writeAll("accepting the event at " + source.topic() + "-" + source.partition() + "@" + source.offset(),
                () -> pending.append(source.key(), record.value(), source.topic(), source.partition(),
                        source.offset(), record.timestamp()));
        lastAppendedOffset = source.offset();
        runReady(false);
        holdBackWhileFull();
        scanIfDue(record.timestamp());
    }

    /**
     * The idle scan on the stream clock: due, as a stream-time punctuation of Kafka Streams would be, once every
     * {@link #idleScanInterval} of event time (aligned to 0), right after the event that moved the clock there. The
     * clock is the latest time of the events this processor took in, not the task's stream time: in the
     * TopologyTestDriver of a replay one task holds the whole topology, so the task's clock would also move with each
     * input record before its event came through the repartition topic, and with rejected records that never reach
     * this processor; a live task of this processor sees only its events. Both then scan at the same events.
     */
    private void scanIfDue(long eventTimeMs) {
        if (settings.idleExpiryMs() <= 0 || settings.idleOnWallClock()) {
            return;
        }
        eventClockMs = Math.max(eventClockMs, eventTimeMs);
        if (eventClockMs < nextIdleScanMs) {
            return;
        }
        long interval = idleScanInterval(settings.idleExpiryMs()).toMillis();
        // As Kafka Streams' punctuation schedule: missed intervals are skipped, not caught up one by one.
        nextIdleScanMs += ((eventClockMs - nextIdleScanMs) / interval + 1) * interval;
        expireIdle(eventClockMs);
    }

    /**
     * The input record the event was read from, as its headers name it; a record written to the repartition topic
     * by a version before those headers names none, and stands for itself.
     */
    private OriginalRecord originalOf(Record<byte[], byte[]> record) {
        return OriginalRecord.readFrom(record.headers()).orElseGet(() -> {
            RecordMetadata source = context.recordMetadata().orElseThrow();
            return new OriginalRecord(source.topic(), source.partition(), source.offset(), record.key());
        });
    }

    /**
     * Backpressure: with the model thread, taking a record in no longer waits for the model, so a producer faster
     * than the model would grow the pending queue (memory, and a consumer lag of zero that hides the backlog). At
     * {@link #PENDING_BOUND_FACTOR} times {@code wm.batch.max.size} pending events, the task waits for the model and
     * runs what it can before it takes the next record, so the backlog stays in the input topic, as lag. It waits for
     * one call at a time and keeps the model threads busy meanwhile: waiting for every call and then computing on
     * this thread left them idle exactly when a backlog had formed, and an open load a little under saturation then
     * fell behind for good.
     */
    private void holdBackWhileFull() {
        int bound = PENDING_BOUND_FACTOR * settings.batchMaxSize();
        while (pending.size() >= bound) {
            ThreadBatchCoordinator.Member member = batchMember();
            member.pump(true);
            List<PendingEvent> batch = runnable(member);
            if (!batch.isEmpty()) {
                runBatch(batch);
            } else if (!member.awaitOldestCall()) {
                // No call in flight, and none could start with this task's events: run the oldest on this thread.
                runBatch(pending.oldest(settings.batchMaxSize()));
            }
        }
    }

    /**
     * The pending events that can run now. With the model thread, each conversation's ready events in its order,
     * without waiting for another conversation's event still in a call (no head-of-line blocking: a backlog on one
     * conversation does not hold the replies of the others). With calls on this thread (replay), every covered
     * event is ready once the call returns, so the oldest ready events, in arrival order, lose no time and keep the
     * order of the outputs across conversations the same whatever the batch sizes.
     */
    private List<PendingEvent> runnable(ThreadBatchCoordinator.Member member) {
        if (!member.anyReady()) {
            return List.of(); // the common case on a record: nothing finished since the last look, no scan
        }
        return settings.batchOverlap() ? pending.runnable(member::isReady) : pending.readyPrefix(member::isReady);
    }

    private void runIfDue(long nowMs) {
        runReady(true);
    }

    /**
     * Lets the thread's model calls move on (see {@link ThreadBatchCoordinator}), then runs the pending events whose
     * results are ready; {@code punctuation}: any waiting events may start a call, not only a full one.
     */
    private void runReady(boolean punctuation) {
        ThreadBatchCoordinator.Member member = batchMember();
        boolean more = true;
        while (more) {
            member.pump(punctuation);
            more = false;
            List<PendingEvent> batch = runnable(member);
            if (!batch.isEmpty()) {
                runBatch(batch);
                // With calls on this thread, they are done when pump returns: go on while there is more to start.
                // With the model thread, the next call may start now that these events ran (their conversations'
                // next utterances can be asked for).
                more = !settings.batchOverlap();
                if (!more) {
                    member.pump(punctuation);
                }
            }
        }
    }

    /** Runs every pending event now, with the results of the call in flight where it holds theirs. */
    private void runAllPending() {
        if (pending.isEmpty()) {
            return;
        }
        batchMember().settle();
        while (!pending.isEmpty()) {
            runBatch(pending.oldest(settings.batchMaxSize()));
        }
    }

    /**
     * Runs a batch whole or not at all (invariant 8): its memories, outputs and pending removals are computed first
     * and written only once nothing but the stores can fail. A batch that fails is retried from scratch, after a
     * back-off, up to {@code wm.model.retries} times; then {@link BatchFailedException} stops the stream thread, so
     * its transaction aborts and the events run again from the last commit when the instance is restarted. The
     * record at hand is not dead-lettered: it is pending, and the next record would fail the same way. A write that
     * fails then, part way through, stops the stream thread at once ({@link #writeAll}).
     */
    private void runBatch(List<PendingEvent> batch) {
        metrics.recordModelCallFailures(batchMember().takeFailedCalls());
        List<Emission> emissions = null;
        for (int attempt = 0; emissions == null; attempt++) {
            if (attempt > 0) {
                BatchRunner.backOff(settings, attempt);
            }
            try {
                emissions = runner.run(batch);
            } catch (MemoryModelMismatchException | InterruptException e) {
                memories.discard();
                throw e;
            } catch (RuntimeException e) {
                memories.discard();
                if (attempt >= settings.modelRetries()) {
                    throw new BatchFailedException("Task " + context.taskId() + ": a batch of " + batch.size()
                            + " events (offsets " + batch.get(0).offset() + " to "
                            + batch.get(batch.size() - 1).offset() + ") failed " + (attempt + 1) + " times, the last "
                            + "with " + e + "; nothing of it was applied and its events stay pending", e);
                }
                LOG.warn("Task {}: a batch of {} events failed (attempt {} of {}); nothing of it was applied, it "
                        + "runs again", context.taskId(), batch.size(), attempt + 1, settings.modelRetries() + 1, e);
            }
        }
        List<Emission> outputs = emissions;
        writeAll("the results of a batch of " + batch.size() + " events (offsets " + batch.get(0).offset() + " to "
                + batch.get(batch.size() - 1).offset() + ")", () -> {
                    memories.apply();
                    pending.remove(batch);
                    batchMember.ran(batch.stream().map(PendingEvent::sequence).toList(),
                            pending.isEmpty() ? Long.MAX_VALUE : pending.oldestSequence());
                    outputs.forEach(this::forward);
                });
        PredictionTally tally = batchMember.takePredictionTally();
        metrics.recordPredictions(tally.found(), tally.computedByTask(), tally.unused());
    }

    /**
     * Runs {@code writes} (store writes and the forwards that go with them), which cannot be taken back once one of
     * them went through: if one fails, the stream thread stops ({@link StoreWriteFailedException}) so that the
     * transaction aborts and the task's stores are restored as of the last commit, instead of the part written being
     * committed with the record at hand dead-lettered. Kafka Streams' own task exceptions pass as they are: it closes
     * the task dirty for them, which under exactly-once has the same effect.
     */
    private void writeAll(String what, Runnable writes) {
        try {
            writes.run();
        } catch (TaskMigratedException | TaskCorruptedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StoreWriteFailedException("Task " + context.taskId() + ": writing " + what + " failed with "
                    + e + "; part of it may be in the stores, so the stream thread stops: its transaction aborts and "
                    + "the next start restores the stores from the last commit and runs the events again", e);
        }
    }

    /**
     * Closes conversations idle for {@code wm.idle.expiry.ms}. Pending events run first: whether an event is still
     * pending depends on batch sizes and timing, and expiry must not. One scan reads at most
     * {@code wm.idle.scan.max.memories} memories and the next resumes after the last one read, so neither the
     * punctuation's time nor the expiries forwarded in its transaction grow with the store; a conversation is then
     * closed up to a few scans late, never early.
     */
    private void expireIdle(long nowMs) {
        runAllPending();
        List<KeyValue<String, WorkingMemory>> idle = new ArrayList<>();
        int limit = settings.idleScanMaxMemories();
        int read = 0;
        String lastRead = null;
        boolean more = false;
        try (KeyValueIterator<String, byte[]> entries = idleScanFrom == null ? memoryStore.all()
                : memoryStore.range(idleScanFrom, null)) {
            while (entries.hasNext()) {
                if (read >= limit) {
                    more = true;
                    break;
                }
                KeyValue<String, byte[]> entry = entries.next();
                if (entry.key.equals(idleScanFrom)) {
                    // The range starts at the last key of the scan before, which that scan read already.
                    continue;
                }
                read++;
                lastRead = entry.key;
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
        idleScanFrom = more ? lastRead : null;
        List<Emission> expired = new ArrayList<>(idle.size());
        try {
            for (KeyValue<String, WorkingMemory> entry : idle) {
                if (entry.value == null) {
                    memories.delete(entry.key);
                } else {
                    expired.add(runner.expire(entry.key, entry.value, nowMs, lastAppendedOffset));
                }
            }
        } catch (RuntimeException e) {
            memories.discard();
            throw e;
        }
        writeAll("the expiry of " + idle.size() + " idle conversations", () -> {
            memories.apply();
            expired.forEach(this::forward);
        });
    }

    private List<ModelAnswer> advance(List<TurnRequest> requests) {
        return batchMember().advance(requests);
    }

    /** This task's place in its thread's model calls, joined (again) on the thread it runs on now. */
    private ThreadBatchCoordinator.Member batchMember() {
        if (batchMember == null || batchMember.thread() != Thread.currentThread()) {
            leaveBatching();
            batchMember = coordinators.join(nextWave);
        }
        return batchMember;
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
