package io.wmstream.topology.processor;

import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The requests a task's pending events will make, built by the {@link TurnRequests} that {@link BatchRunner} builds
 * its own with: per conversation, a chain of its pending utterances (each later one starts from the state the one
 * before leaves, its turn and duplicate check from the turns and eventIds before it, as {@link MemoryRecorder}
 * records them). A conversation whose oldest pending events are in a call goes on after them (chaining: its next
 * turn needs no run of the task first): from the results the call left once it finished, or, while it is in flight,
 * from the state it leaves on the model thread. It reads the task's stores and writes
 * nothing; where an event is not plain (a control event, a duplicate, memory of another model or unreadable) it
 * makes no request for it rather than guess: the task then handles it, or computes its request, when it runs it.
 */
final class NextWaveRequests implements UpcomingRequests {
    /** {@link #askable} looks at no more than this many times {@code enough} of the oldest events. */
    static final int SCAN_FACTOR = 4;

    private final PendingQueue pending;
    private final KeyValueStore<String, byte[]> memoryStore;
    private final ModelStamp model;
    private final MemoryRecorder recorder;
    private final TurnRequests requests;
    private final TopologySettings settings;
    private final DecodedMemories decoded;

    /** Predicts with {@code requests}, the builder the task's {@link BatchRunner} uses. */
    NextWaveRequests(TopologySettings settings, PendingQueue pending, KeyValueStore<String, byte[]> memoryStore,
            ModelStamp model, TurnRequests requests, DecodedMemories decoded) {
        this.decoded = decoded;
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
        Set<String> decided = new HashSet<>();
        for (PendingEvent item : pending.all()) {
            // Asked on every record: a flood on one conversation must not make each one a scan of the whole queue.
            if (askable >= enough || ++looked > SCAN_FACTOR * enough) {
                break;
            }
            if (!(pending.read(item) instanceof ReadResult.Accepted accepted)
                    || covered.test(item.sequence()) || !decided.add(accepted.event().conversationId())) {
                continue; // in a call already: its conversation's next one can be chained after it
            }
            if (accepted.event().type() == EventType.UTTERANCE) {
                askable++;
            }
        }
        return askable;
    }

    @Override
    public Upcoming next(LongPredicate covered, int limit, int followUpLimit) {
        return next(covered, sequence -> true, sequence -> true, PreparedResults.none(), limit, followUpLimit);
    }

    @Override
    public Upcoming next(LongPredicate covered, LongPredicate ready, LongPredicate continuable,
            PreparedResults prepared, int limit, int followUpLimit) {
        Map<String, Walk> walks = new HashMap<>();
        List<Walk> chains = new ArrayList<>();
        Set<String> closed = new HashSet<>();
        List<Long> sequences = new ArrayList<>();
        int followUps = 0;
        for (PendingEvent item : pending.all()) {
            ConversationEvent event = pending.read(item) instanceof ReadResult.Accepted accepted ? accepted.event()
                    : null;
            boolean inCall = covered.test(item.sequence());
            if (event == null) {
                if (!inCall) {
                    sequences.add(item.sequence()); // dead-lettered when it runs: no model call
                }
                continue;
            }
            String id = event.conversationId();
            if (closed.contains(id)) {
                continue;
            }
            Walk walk = walks.get(id);
            if (walk == null) {
                // The conversation's oldest pending event: it starts from the stored memory.
                boolean asks = event.type() == EventType.UTTERANCE && (inCall || chains.size() < limit);
                WorkingMemory memory = asks ? stored(event, item.timestampMs()) : null;
                if (memory == null) {
                    closed.add(id);
                    if (!inCall && (event.type() != EventType.UTTERANCE || chains.size() < limit)) {
                        sequences.add(item.sequence()); // a control event or a duplicate: it runs without a call
                    }
                    continue;
                }
                walk = new Walk(memory);
                walks.put(id, walk);
            } else if (event.type() != EventType.UTTERANCE || inCall && walk.first != null
                    || IdleExpiry.expiredBy(settings, walk.memory, item.timestampMs())) {
                // A control event, or an expiry the run does first, changes the memory in ways only running it tells.
                closed.add(id);
                continue;
            } else if (MemoryRecorder.isDuplicate(walk.memory, event)) {
                if (!inCall) {
                    sequences.add(item.sequence()); // skipped when it runs: the walk goes on from the same state
                }
                continue;
            }
            if (inCall) {
                if (!ready.test(item.sequence())) {
                    if (!continuable.test(item.sequence())) {
                        closed.add(id); // computing on another model thread: its state is not where this call goes
                        continue;
                    }
                    walk.continues = true; // computing: the model thread has its result when it computes the next
                } else {
                    // Its call finished: the walk goes on from its result, as the run will.
                    TurnResult result = walk.continues ? null
                            : prepared.peek(requests.at(event, walk.state, walk.utterances));
                    if (result == null) {
                        closed.add(id); // the call failed, or the result is not the one the run will find
                        continue;
                    }
                    walk.state = result.state();
                }
            } else if (walk.first == null) {
                if (chains.size() >= limit) {
                    closed.add(id);
                    continue;
                }
                walk.first = requests.at(event, walk.state, walk.utterances);
                chains.add(walk);
                sequences.add(item.sequence());
            } else {
                if (followUps >= followUpLimit) {
                    closed.add(id);
                    continue;
                }
                walk.followUps.add(requests.followUp(event, walk.utterances));
                followUps++;
                sequences.add(item.sequence());
            }
            walk.memory = recorder.rememberEvent(walk.memory, event, item.timestampMs());
            walk.utterances++;
        }
        List<Chain> out = new ArrayList<>(chains.size());
        chains.forEach(walk -> out.add(new Chain(walk.first, walk.followUps, walk.continues)));
        return new Upcoming(out, sequences);
    }

    /**
     * A conversation's pending events walked so far: what its memory will know of them (turns and eventIds), the
     * state and utterance count its next request starts from (known past events in a finished call), and its chain
     * once one of its events is not in a call yet.
     */
    private static final class Walk {
        private WorkingMemory memory;
        private float[] state;
        private long utterances;
        /** Whether {@link #state} is unknown here: the one an event's call in flight leaves. */
        private boolean continues;
        private TurnRequest first;
        private final List<TurnRequest> followUps = new ArrayList<>();

        Walk(WorkingMemory stored) {
            this.memory = stored;
            this.state = stored.state();
            this.utterances = stored.utterances();
        }
    }

    /** The memory the utterance starts from, or null when working it out needs more than a read. */
    private WorkingMemory stored(ConversationEvent event, long timestampMs) {
        byte[] bytes = memoryStore.get(event.conversationId());
        if (bytes == null) {
            return WorkingMemory.empty(model, timestampMs);
        }
        try {
            WorkingMemory memory = decoded.decode(event.conversationId(), bytes);
            if (IdleExpiry.expiredBy(settings, memory, timestampMs)) {
                return WorkingMemory.empty(model, timestampMs); // the run closes it first, then starts afresh
            }
            return memory.model().equals(model) && !MemoryRecorder.isDuplicate(memory, event) ? memory : null;
        } catch (CorruptMemoryException e) {
            return null;
        }
    }
}
