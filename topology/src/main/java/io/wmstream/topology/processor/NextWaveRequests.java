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
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The requests a task's next model call will make: one per conversation among its oldest pending events (the batch
 * {@link BatchRunner} runs next), built as {@code BatchRunner.runModel} builds them. It reads the task's stores and
 * writes nothing; where the first wave is not plain (a control event, a duplicate, memory of another model or
 * unreadable) it leaves the conversation out rather than guess.
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
    public List<TurnRequest> next(int limit) {
        if (pending.isEmpty() || limit <= 0) {
            return List.of();
        }
        List<TurnRequest> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (PendingEvent item : pending.oldest(settings.batchMaxSize())) {
            if (out.size() >= limit) {
                break;
            }
            if (!(pending.read(item) instanceof ReadResult.Accepted accepted)) {
                continue;
            }
            ConversationEvent event = accepted.event();
            String id = event.conversationId();
            if (!seen.add(id) || event.type() != EventType.UTTERANCE) {
                continue;
            }
            WorkingMemory memory = stored(event, item.timestampMs());
            if (memory != null) {
                out.add(new TurnRequest(id, event.turn() != null ? event.turn() : memory.utterances(), memory.state(),
                        event.speaker(), event.text(), wantsReply(event)));
            }
        }
        return out;
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
