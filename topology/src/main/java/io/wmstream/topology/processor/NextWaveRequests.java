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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The requests a task's pending events will make, built by the {@link TurnRequests} that {@link BatchRunner} builds
 * its own with: per conversation, a chain of its pending utterances (each later one starts from the state the one
 * before leaves, its turn and duplicate check from the turns and eventIds before it, as {@link MemoryRecorder}
 * records them). It reads the task's stores and writes nothing; where an event is not plain (a control event, a
 * duplicate, memory of another model or unreadable) it makes no request for it rather than guess: the task then
 * handles it, or computes its request, when it runs it.
 */
final class NextWaveRequests implements UpcomingRequests {
    /** {@link #askable} looks at no more than this many times {@code enough} of the oldest events. */
    static final int SCAN_FACTOR = 16;

    private final PendingQueue pending;
    private final KeyValueStore<String, byte[]> memoryStore;
    private final ModelStamp model;
    private final MemoryRecorder recorder;
    private final TurnRequests requests;
    private final TopologySettings settings;

    /** Predicts with {@code requests}, the builder the task's {@link BatchRunner} uses. */
    NextWaveRequests(TopologySettings settings, PendingQueue pending, KeyValueStore<String, byte[]> memoryStore,
            ModelStamp model, TurnRequests requests) {
        this.pending = pending;
        this.memoryStore = memoryStore;
        this.model = model;
        this.recorder = new MemoryRecorder(settings.memoryLimits());
        this.requests = requests;
        this.settings = settings;
    }

    @Override
    public boolean headReady(LongPredicate ready) {
        return !pending.isEmpty() && ready.test(pending.oldestSequence());
    }

    @Override
    public int askable(LongPredicate covered, int enough) {
        int askable = 0;
        int looked = 0;
        Set<String> seen = new HashSet<>();
        for (PendingEvent item : pending.all()) {
            // Asked on every record: a flood on one conversation must not make each one a scan of the whole queue.
            if (askable >= enough || ++looked > SCAN_FACTOR * enough) {
                break;
            }
            if (pending.read(item) instanceof ReadResult.Accepted accepted
                    && seen.add(accepted.event().conversationId()) && !covered.test(item.sequence())
                    && accepted.event().type() == EventType.UTTERANCE) {
                askable++;
            }
        }
        return askable;
    }

    @Override
    public Upcoming next(LongPredicate covered, int limit, int followUpLimit) {
        Map<String, ChainBuilder> chains = new LinkedHashMap<>();
        Set<String> closed = new HashSet<>();
        List<Long> sequences = new ArrayList<>();
        int followUps = 0;
        for (PendingEvent item : pending.all()) {
            ConversationEvent event = pending.read(item) instanceof ReadResult.Accepted accepted ? accepted.event()
                    : null;
            if (event == null) {
                if (!covered.test(item.sequence())) {
                    sequences.add(item.sequence()); // dead-lettered when it runs: no model call
                }
                continue;
            }
            String id = event.conversationId();
            if (closed.contains(id)) {
                continue;
            }
            if (covered.test(item.sequence())) {
                closed.add(id); // in a call already: what follows starts from what that call leaves
                continue;
            }
            ChainBuilder chain = chains.get(id);
            if (chain == null) {
                WorkingMemory memory = event.type() == EventType.UTTERANCE && chains.size() < limit
                        ? stored(event, item.timestampMs()) : null;
                if (memory == null) {
                    closed.add(id);
                    if (event.type() != EventType.UTTERANCE || chains.size() < limit) {
                        sequences.add(item.sequence()); // a control event or a duplicate: it runs without a call
                    }
                    continue;
                }
                chains.put(id, new ChainBuilder(requests.from(event, memory),
                        recorder.rememberEvent(memory, event, item.timestampMs()), memory.utterances() + 1));
                sequences.add(item.sequence());
                continue;
            }
            if (event.type() != EventType.UTTERANCE || followUps >= followUpLimit) {
                closed.add(id); // a control event changes the memory in ways only running it tells
                continue;
            }
            if (MemoryRecorder.isDuplicate(chain.memory, event)) {
                sequences.add(item.sequence()); // skipped when it runs: the chain goes on from the same state
                continue;
            }
            chain.followUps.add(requests.followUp(event, chain.utterances));
            chain.memory = recorder.rememberEvent(chain.memory, event, item.timestampMs());
            chain.utterances++;
            followUps++;
            sequences.add(item.sequence());
        }
        List<Chain> out = new ArrayList<>(chains.size());
        chains.values().forEach(chain -> out.add(new Chain(chain.first, chain.followUps)));
        return new Upcoming(out, sequences);
    }

    /** A conversation's chain so far, with what its memory will know of the events in it (turns and eventIds). */
    private static final class ChainBuilder {
        private final TurnRequest first;
        private final List<TurnRequest> followUps = new ArrayList<>();
        private WorkingMemory memory;
        private long utterances;

        ChainBuilder(TurnRequest first, WorkingMemory memory, long utterances) {
            this.first = first;
            this.memory = memory;
            this.utterances = utterances;
        }
    }

    /** The memory the utterance starts from, or null when working it out needs more than a read. */
    private WorkingMemory stored(ConversationEvent event, long timestampMs) {
        byte[] bytes = memoryStore.get(event.conversationId());
        if (bytes == null) {
            return WorkingMemory.empty(model, timestampMs);
        }
        try {
            WorkingMemory memory = WorkingMemoryCodec.decode(bytes);
            if (IdleExpiry.expiredBy(settings, memory, timestampMs)) {
                return WorkingMemory.empty(model, timestampMs); // the run closes it first, then starts afresh
            }
            return memory.model().equals(model) && !MemoryRecorder.isDuplicate(memory, event) ? memory : null;
        } catch (CorruptMemoryException e) {
            return null;
        }
    }
}
