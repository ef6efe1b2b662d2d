package io.wmstream.topology.processor;

import io.wmstream.model.ConversationModel;
import io.wmstream.model.ModelFailureException;
import io.wmstream.model.StateReading;
import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import io.wmstream.schemas.deadletter.DeadLetterHeaders;
import io.wmstream.schemas.deadletter.DeadLetterReason;
import io.wmstream.schemas.event.ConversationEvent;
import io.wmstream.schemas.event.EventType;
import io.wmstream.schemas.event.ReadResult;
import io.wmstream.schemas.output.Fact;
import io.wmstream.schemas.output.InReplyTo;
import io.wmstream.schemas.output.ModelRef;
import io.wmstream.schemas.output.Reply;
import io.wmstream.schemas.output.StateValue;
import io.wmstream.schemas.output.Summary;
import io.wmstream.schemas.output.SummaryKind;
import io.wmstream.schemas.output.SummaryReason;
import io.wmstream.topology.batching.ModelAnswer;
import io.wmstream.topology.batching.ModelCall;
import io.wmstream.topology.batching.ModelCalls;
import io.wmstream.topology.batching.PendingEvent;
import io.wmstream.topology.batching.PendingQueue;
import io.wmstream.topology.config.TopologySettings;
import io.wmstream.topology.facts.ReplyFiller;
import io.wmstream.topology.memory.DialogueStateTracker;
import io.wmstream.topology.memory.MemoryRecorder;
import io.wmstream.topology.memory.TrackedFact;
import io.wmstream.topology.memory.WorkingMemory;
import io.wmstream.topology.metrics.TopologyMetrics;
import io.wmstream.topology.summary.SalienceScorer;
import io.wmstream.topology.summary.SummaryComposer;
import io.wmstream.topology.summary.TaggedSalience;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one micro-batch of pending events. The batch is split into waves so that a conversation appears at most
 * once per model call and its events run in arrival order; control events and duplicates are handled between
 * model calls. Every output is tagged with its event's arrival sequence and the batch's outputs come back in that
 * order, so the output stream is the same whatever the batch sizes were.
 */
final class BatchRunner {
    /**
     * Header on replies: how many requests shared the model call, this task's and others' (a fact of the run, not of
     * the input).
     */
    static final String BATCH_SIZE_HEADER = "wm.batch.size";
    /** Header on replies: the model call's wall-clock time in milliseconds. */
    static final String MODEL_LATENCY_HEADER = "wm.model.latency.ms";
    /**
     * Header on every output: the source offset of the event that caused it (for idle expiry, of the latest event
     * accepted before it), so a reader of several output topics (replay) can restore one order across them.
     */
    static final String SOURCE_OFFSET_HEADER = "wm.source.offset";

    private static final Logger LOG = LoggerFactory.getLogger(BatchRunner.class);
    /**
     * Turn texts whose words the task's salience scorer keeps: the remembered turns of a few thousand active
     * conversations (a few MB at most, as only short texts are kept), so that a turn is split once, not once per
     * later utterance of its conversation.
     */
    static final int KEPT_TURN_TEXTS = 4096;

    private final TopologySettings settings;
    private final PendingQueue pending;
    private final ConversationModel model;
    private final ModelRef modelRef;
    private final MemoryAccess memories;
    private final MemoryRecorder recorder;
    private final SummaryComposer composer;
    private final SalienceScorer scorer;
    /** Fills replies' placeholders from tracked facts; null for a model without a fact tagger. */
    private final ReplyFiller filler;
    /** Whether the model reads the dialogue state: then replies and summaries carry it. */
    private final boolean tracksState;
    private final TopologyMetrics metrics;
    private final ModelCalls calls;
    private final TurnRequests turnRequests;

    /**
     * Runs the batches of {@code pending}'s events (it parses them); {@code calls} runs the model for this task (its
     * calls may be shared with the thread's other tasks); {@code requests} builds its model requests, and must be the
     * builder of the predictions the shared calls are prepared for ({@link NextWaveRequests}).
     */
    BatchRunner(TopologySettings settings, PendingQueue pending, ConversationModel model, MemoryAccess memories,
            TopologyMetrics metrics, ModelCalls calls, TurnRequests requests) {
        this.settings = settings;
        this.pending = pending;
        this.model = model;
        this.modelRef = new ModelRef(model.info().name(), model.info().version());
        this.memories = memories;
        this.recorder = new MemoryRecorder(settings.memoryLimits());
        this.composer = settings.summaryComposer();
        this.scorer = new SalienceScorer(settings.salienceLexicon(), KEPT_TURN_TEXTS);
        List<String> classes = model.tagClasses();
        this.filler = classes.isEmpty() ? null : new ReplyFiller(classes.subList(1, classes.size()));
        this.tracksState = model.tracksDialogueState();
        this.metrics = metrics;
        this.calls = calls;
        this.turnRequests = requests;
    }

    /** Runs {@code batch} (arrival order) and returns its outputs in arrival order. */
    List<Emission> run(List<PendingEvent> batch) {
        List<Emission> out = new ArrayList<>();
        List<Parsed> remaining = new ArrayList<>(batch.size());
        for (PendingEvent event : batch) {
            ReadResult result = pending.read(event);
            if (result instanceof ReadResult.Accepted accepted) {
                remaining.add(new Parsed(event, accepted.event()));
            } else {
                // Accepted when it arrived, refused now: only a tighter configured limit can do this.
                var rejection = ((ReadResult.Rejected) result).rejection();
                out.add(deadLetter(event, rejection.reason(), rejection.message()));
            }
        }
        while (!remaining.isEmpty()) {
            remaining = runWave(remaining, out);
        }
        out.sort(Comparator.comparingLong(Emission::sequence));
        metrics.recordActiveConversations(memories.approximateCount());
        return out;
    }

    /** Processes what can go in one model call; returns the events that must wait for the next wave. */
    private List<Parsed> runWave(List<Parsed> events, List<Emission> out) {
        Set<String> inModelCall = new HashSet<>();
        List<Parsed> deferred = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        for (Parsed item : events) {
            ConversationEvent event = item.event();
            String id = event.conversationId();
            if (inModelCall.contains(id)) {
                deferred.add(item);
                continue;
            }
            WorkingMemory stored = memories.load(id);
            if (stored != null && IdleExpiry.expiredBy(settings, stored, item.pending().timestampMs())) {
                // The conversation went idle before this event: close it as an idle scan would have, so that
                // whether it continues does not depend on when the task's scan ran (on the other conversations
                // of its partition, their order and the scan's interval), which a replay cannot reproduce.
                out.add(expiry(item.pending().sequence(), id, stored, item.pending().timestampMs(),
                        item.pending().offset()));
                stored = null;
            }
            WorkingMemory memory = stored != null ? stored
                    : WorkingMemory.empty(memories.model(), item.pending().timestampMs());
            // A forget is never a duplicate: erasure must happen whatever turn or eventId the request carries, and
            // erasing twice is harmless.
            if (stored != null && event.type() != EventType.FORGET && MemoryRecorder.isDuplicate(memory, event)) {
                metrics.recordDuplicate();
                LOG.debug("Conversation {}: duplicate event (turn {}, eventId {}) skipped", id, event.turn(),
                        event.eventId());
                continue;
            }
            switch (event.type()) {
                case UTTERANCE -> {
                    inModelCall.add(id);
                    steps.add(new Step(item, memory));
                }
                case END -> closeConversation(item, memory, stored != null, SummaryReason.END, out);
                case RESET -> memories.save(id, recorder.rememberEvent(memory, event, activity(item))
                        .cleared(activity(item)));
                case FORGET -> forget(item, memory, out);
                default -> throw new IllegalStateException("unknown event type " + event.type());
            }
        }
        if (!steps.isEmpty()) {
            runModel(steps, out);
        }
        return deferred;
    }

    private void runModel(List<Step> steps, List<Emission> out) {
        List<TurnRequest> requests = new ArrayList<>(steps.size());
        steps.forEach(step -> requests.add(turnRequests.from(step.item().event(), step.memory())));
        List<ModelAnswer> answers = null;
        ModelFailureException failure = null;
        for (int attempt = 0; attempt <= settings.modelRetries() && answers == null; attempt++) {
            if (attempt > 0) {
                backOff(settings, attempt);
            }
            try {
                answers = calls.advance(requests);
                if (answers.size() != requests.size()) {
                    throw new ModelFailureException("model returned " + answers.size() + " results for "
                            + requests.size() + " requests");
                }
            } catch (ModelFailureException e) {
                failure = e;
                answers = null;
                metrics.recordModelCallFailures(1);
                LOG.warn("Model call for {} events failed (attempt {} of {}): {}", requests.size(), attempt + 1,
                        settings.modelRetries() + 1, e.getMessage());
            }
        }
        if (answers == null) {
            String message = "model failed on a batch of " + requests.size() + " events after "
                    + (settings.modelRetries() + 1) + " attempts: " + failure.getMessage();
            for (Step step : steps) {
                out.add(deadLetter(step.item().pending(), DeadLetterReason.MODEL_FAILURE, message));
            }
            return;
        }
        // Each model call that served this wave, once: several tasks' events may have shared one.
        Set<ModelCall> served = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ModelAnswer answer : answers) {
            if (served.add(answer.call())) {
                metrics.recordBatch(answer.call().rows(), answer.call().wallMs());
            }
        }
        for (int i = 0; i < steps.size(); i++) {
            applyResult(steps.get(i), requests.get(i).turn(), answers.get(i), out);
        }
    }

    /**
     * Waits before retry {@code retry} so that a model or store that is failing (out of memory, a device reset) gets
     * time to recover instead of a burst of calls. A thread interrupted meanwhile is being stopped: the batch fails
     * unapplied rather than dead-lettering its events for a reason that is not theirs.
     */
    static void backOff(TopologySettings settings, int retry) {
        try {
            Thread.sleep(settings.retryBackoffMs(retry));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }

    /** Records the answer to the utterance of {@code step}, which its request placed at {@code turn}. */
    private void applyResult(Step step, long turn, ModelAnswer answer, List<Emission> out) {
        TurnResult result = answer.result();
        Parsed item = step.item();
        ConversationEvent event = item.event();
        WorkingMemory memory = recorder.rememberEvent(step.memory(), event, activity(item));
        Map<String, Float> factWeights = result.tags().map(TaggedSalience::wordWeights).orElse(null);
        List<TrackedFact> found = result.tags().map(tags -> tags.values().stream()
                .map(value -> new TrackedFact(value.type(), value.source(), turn)).toList()).orElse(List.of());
        double salience = scorer.score(event.speaker(), event.text(), factWeights, memory.rememberedTurns());
        memory = recorder.recordUtterance(memory, result.state(), turn, event.speaker(), event.text(), salience,
                factWeights, found);
        if (result.reading().isPresent()) {
            memory = memory.withDialogue(DialogueStateTracker.apply(memory.dialogue(), result.reading().get(), turn));
        }

        if (result.reply() != null) {
            var inReplyTo = new InReplyTo(event.turn(), event.eventId());
            Reply reply;
            if (filler == null) {
                reply = new Reply(event.conversationId(), inReplyTo, turn + 1, settings.replySpeaker(),
                        result.reply().text(), result.reply().tokenCount(), modelRef, event.metadata());
            } else {
                ReplyFiller.FilledReply filled = filler.fill(result.reply().text(), memory);
                List<StateValue> state = tracksState ? stateValues(memory) : null;
                List<String> requested = tracksState
                        ? result.reading().map(StateReading::requested).orElse(List.of()) : null;
                reply = new Reply(event.conversationId(), inReplyTo, turn + 1, settings.replySpeaker(),
                        filled.text(), result.reply().tokenCount(), filled.slots(), filled.filled(), state,
                        requested, modelRef, event.metadata());
                metrics.recordFilling(filled.filled().size(), filled.slots().size());
                if (tracksState) {
                    // What the reply gives, as a value or as a slot for the backend, no longer waits.
                    Set<String> given = new HashSet<>();
                    filled.filled().forEach(f -> given.add(f.type()));
                    filled.slots().forEach(s -> given.add(s.type()));
                    memory = memory.withDialogue(DialogueStateTracker.answered(memory.dialogue(), given));
                }
            }
            Headers headers = sourceHeaders(item.pending().offset());
            headers.add(BATCH_SIZE_HEADER, Integer.toString(answer.call().rows()).getBytes(StandardCharsets.UTF_8));
            headers.add(MODEL_LATENCY_HEADER, String.format(Locale.ROOT, "%.3f", answer.call().wallMs())
                    .getBytes(StandardCharsets.UTF_8));
            out.add(new Emission(item.pending().sequence(), event.conversationId(), new Output.ReplyOut(reply),
                    item.pending().timestampMs(), headers));
            metrics.recordReply();
        }
        memories.save(event.conversationId(), memory);
        int every = settings.summaryEveryTurns();
        if (every > 0 && memory.utterances() % every == 0) {
            out.add(summary(item, memory, SummaryKind.ROLLING, SummaryReason.EVERY_N_TURNS, turn));
        }
    }

    private void closeConversation(Parsed item, WorkingMemory memory, boolean known, SummaryReason reason,
            List<Emission> out) {
        long upTo = Math.max(0, known ? lastTurnOf(memory) : 0);
        out.add(summary(item, memory, SummaryKind.FINAL, reason, upTo));
        memories.delete(item.event().conversationId());
    }

    private void forget(Parsed item, WorkingMemory memory, List<Emission> out) {
        String id = item.event().conversationId();
        memories.delete(id);
        var summary = new Summary(id, SummaryKind.FORGOTTEN, SummaryReason.FORGET, Math.max(0, memory.lastTurn()), 0,
                "", List.of(), filler == null ? null : List.of(), tracksState ? List.of() : null,
                tracksState ? List.of() : null, modelRef, null);
        out.add(new Emission(item.pending().sequence(), id, new Output.SummaryOut(summary),
                item.pending().timestampMs(), sourceHeaders(item.pending().offset())));
        metrics.recordSummary();
    }

    private Emission summary(Parsed item, WorkingMemory memory, SummaryKind kind, SummaryReason reason, long upTo) {
        SummaryComposer.Composed composed = composer.compose(memory);
        var summary = new Summary(item.event().conversationId(), kind, reason, upTo, memory.utterances(),
                composed.text(), composed.highlights(), facts(memory), tracksState ? stateValues(memory) : null,
                tracksState ? memory.dialogue().openRequests() : null, modelRef, item.event().metadata());
        metrics.recordSummary();
        return new Emission(item.pending().sequence(), item.event().conversationId(), new Output.SummaryOut(summary),
                item.pending().timestampMs(), sourceHeaders(item.pending().offset()));
    }

    /**
     * A final summary for a conversation that went idle, then its memory is deleted; {@code sourceOffset} is the
     * offset of the latest event accepted before the expiry, so the summary sorts after that event's outputs.
     */
    Emission expire(String conversationId, WorkingMemory memory, long nowMs, long sourceOffset) {
        return expiry(Long.MAX_VALUE, conversationId, memory, nowMs, sourceOffset);
    }

    /** The final idle summary of {@code memory}, forwarded in the order of {@code sequence}; deletes the memory. */
    private Emission expiry(long sequence, String conversationId, WorkingMemory memory, long timestampMs,
            long sourceOffset) {
        var composed = composer.compose(memory);
        var summary = new Summary(conversationId, SummaryKind.FINAL, SummaryReason.IDLE,
                Math.max(0, lastTurnOf(memory)), memory.utterances(), composed.text(), composed.highlights(),
                facts(memory), tracksState ? stateValues(memory) : null,
                tracksState ? memory.dialogue().openRequests() : null, modelRef, null);
        memories.delete(conversationId);
        metrics.recordSummary();
        return new Emission(sequence, conversationId, new Output.SummaryOut(summary), timestampMs,
                sourceHeaders(sourceOffset));
    }

    /** The memory's dialogue state as replies and summaries show it, by slot. */
    private static List<StateValue> stateValues(WorkingMemory memory) {
        return memory.dialogue().agreed().stream().map(e -> new StateValue(e.slot(), e.value(), e.turn())).toList();
    }

    /** The memory's tracked facts as a summary shows them; null for a model without a fact tagger. */
    private List<Fact> facts(WorkingMemory memory) {
        if (filler == null) {
            return null;
        }
        return memory.facts().stream().map(f -> new Fact(f.type(), f.value(), f.turn())).toList();
    }

    private Emission deadLetter(PendingEvent event, DeadLetterReason reason, String message) {
        Headers headers = sourceHeaders(event.offset());
        DeadLetterHeaders.write(headers, reason, message, event.topic(), event.partition(), event.offset());
        metrics.recordDeadLetter(reason);
        String key = event.key() == null ? null : new String(event.key(), StandardCharsets.UTF_8);
        return new Emission(event.sequence(), key, new Output.DeadLetterOut(event.key(), event.value()),
                event.timestampMs(), headers);
    }

    private static Headers sourceHeaders(long offset) {
        Headers headers = new RecordHeaders();
        headers.add(SOURCE_OFFSET_HEADER, Long.toString(offset).getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    private static long lastTurnOf(WorkingMemory memory) {
        long lastRemembered = memory.recentTurns().isEmpty() ? -1
                : memory.recentTurns().get(memory.recentTurns().size() - 1).turn();
        return Math.max(memory.lastTurn(), lastRemembered);
    }

    private static long activity(Parsed item) {
        return item.pending().timestampMs();
    }

    /** A pending event with its parsed form. */
    private record Parsed(PendingEvent pending, ConversationEvent event) {
    }

    /** An utterance going into a model call, with the memory it starts from. */
    private record Step(Parsed item, WorkingMemory memory) {
    }
}
