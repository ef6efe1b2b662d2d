package io.wmstream.topology.processor;

import io.wmstream.model.TurnRequest;
import io.wmstream.schemas.event.ConversationEvent;
import io.wmstream.schemas.event.EventType;
import io.wmstream.schemas.event.ReadResult;
import io.wmstream.topology.batching.PendingEvent;
import io.wmstream.topology.batching.PendingQueue;
import io.wmstream.topology.batching.UpcomingRequests;
import io.wmstream.topology.config.TopologySettings;
import io.wmstream.topology.memory.CorruptMemoryException;
import io.wmstream.topology.memory.MemoryRecorder;
import io.wmstream.topology.memory.ModelStamp;
import io.wmstream.topology.memory.WorkingMemory;
import io.wmstream.topology.memory.WorkingMemoryCodec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongPredicate;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The requests a task's pending events will make, built as {@code BatchRunner.runModel} builds them: one per
 * conversation, for its oldest pending event (a later one's request depends on how that one runs). It reads the
 * task's stores and writes nothing; where an event is not plain (a control event, a duplicate, memory of another
 * model or unreadable) it makes no request for it rather than guess: the task then handles it, or computes its
 * request, when it runs it.
 */
final class NextWaveRequests implements UpcomingRequests {
    private final TopologySettings settings;
    private final PendingQueue pending;
    private final KeyValueStore<String, byte[]> memoryStore;
    private final ModelStamp model;

    NextWaveRequests(TopologySettings settings, PendingQueue pending, KeyValueStore<String, byte[]> memoryStore,
            ModelStamp model) {
        this.settings = settings;
        this.pending = pending;
        this.memoryStore = memoryStore;
        this.model = model;
    }

    @Override
    public int askable(LongPredicate covered) {
        int askable = 0;
        Set<String> seen = new HashSet<>();
        for (PendingEvent item : pending.all()) {
            if (pending.read(item) instanceof ReadResult.Accepted accepted
                    && seen.add(accepted.event().conversationId()) && !covered.test(item.sequence())
                    && accepted.event().type() == EventType.UTTERANCE) {
                askable++;
            }
        }
        return askable;
    }

    @Override
    public Upcoming next(LongPredicate covered, int limit) {
        List<TurnRequest> requests = new ArrayList<>();
        List<Long> sequences = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (PendingEvent item : pending.all()) {
            ConversationEvent event = pending.read(item) instanceof ReadResult.Accepted accepted ? accepted.event()
                    : null;
            if (event == null) {
                if (!covered.test(item.sequence())) {
                    sequences.add(item.sequence()); // dead-lettered when it runs: no model call
                }
                continue;
            }
            // Only the first pending event of a conversation can be asked for now: the memory changes with it.
            boolean first = seen.add(event.conversationId());
            if (!first || covered.test(item.sequence())) {
                continue;
            }
            if (event.type() != EventType.UTTERANCE) {
                sequences.add(item.sequence());
                continue;
            }
            if (requests.size() >= limit) {
                continue; // later events may still need no model call; the scan is over the queue once
            }
            WorkingMemory memory = stored(event, item.timestampMs());
            if (memory != null) {
                requests.add(new TurnRequest(event.conversationId(),
                        event.turn() != null ? event.turn() : memory.utterances(), memory.state(),
                        event.speaker(), event.text(), wantsReply(event)));
            }
            sequences.add(item.sequence());
        }
        return new Upcoming(requests, sequences);
    }

    /** The memory the utterance starts from, or null when working it out needs more than a read. */
    private WorkingMemory stored(ConversationEvent event, long timestampMs) {
        byte[] bytes = memoryStore.get(event.conversationId());
        if (bytes == null) {
            return WorkingMemory.empty(model, timestampMs);
        }
        try {
            WorkingMemory memory = WorkingMemoryCodec.decode(bytes);
            return memory.model().equals(model) && !MemoryRecorder.isDuplicate(memory, event) ? memory : null;
        } catch (CorruptMemoryException e) {
            return null;
        }
    }

    private boolean wantsReply(ConversationEvent event) {
        return settings.replyRoles().contains(event.speaker().trim().toLowerCase(Locale.ROOT));
    }
}
