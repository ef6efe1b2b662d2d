package io.wmstream.topology.batching;

import io.wmstream.schemas.event.ConversationEventReader;
import io.wmstream.schemas.event.ReadResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongPredicate;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Accepted events not yet run, in arrival order, kept in a changelogged store so that a crash loses nothing:
 * the store commits with the input offsets under exactly-once. Keys are non-negative sequence numbers, whose
 * big-endian encoding keeps the store's iteration order equal to arrival order. Sequences only grow while the queue
 * is open (the model calls of {@link ThreadBatchCoordinator} keep track of the events they cover by sequence).
 *
 * <p>The store is written through and read only when the queue is opened (a task's start or restore): the events
 * are also held in memory, with each one's parsed form once it was asked for. A queue's batch, and the other tasks
 * of its thread guessing its next requests before every model call, would otherwise iterate RocksDB over the
 * tombstones this put-then-delete pattern leaves, and parse the same JSON again each time.
 */
public final class PendingQueue {
    private final KeyValueStore<Long, byte[]> store;
    private final Function<byte[], ReadResult> reader;
    private final ArrayDeque<PendingEvent> events = new ArrayDeque<>();
    private final Map<Long, ReadResult> parsed = new HashMap<>();
    private long nextSequence;

    /** Opens the queue on {@code store}, with what it holds from before; {@code reader} parses the events. */
    public PendingQueue(KeyValueStore<Long, byte[]> store, ConversationEventReader reader) {
        this(store, reader::read);
    }

    /**
     * Opens the queue on {@code store}, with what it holds from before; {@code reader} gives each event's value as
     * {@link ConversationEventReader#read} does (the topology's: as its parser parsed it already), once per event.
     */
    public PendingQueue(KeyValueStore<Long, byte[]> store, Function<byte[], ReadResult> reader) {
        this.store = store;
        this.reader = reader;
        try (KeyValueIterator<Long, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<Long, byte[]> entry = all.next();
                events.addLast(PendingEventCodec.decode(entry.key, entry.value));
                nextSequence = Math.max(nextSequence, entry.key + 1);
            }
        }
    }

    public PendingEvent append(byte[] key, byte[] value, String topic, int partition, long offset, long timestamp) {
        var event = new PendingEvent(nextSequence++, key, value, topic, partition, offset, timestamp);
        store.put(event.sequence(), PendingEventCodec.encode(event));
        events.addLast(event);
        return event;
    }

    public int size() {
        return events.size();
    }

    public boolean isEmpty() {
        return events.isEmpty();
    }

    /** The oldest {@code n} events (fewer when fewer wait), in arrival order. */
    public List<PendingEvent> oldest(int n) {
        List<PendingEvent> oldest = new ArrayList<>(Math.min(n, events.size()));
        for (PendingEvent event : events) {
            if (oldest.size() >= n) {
                break;
            }
            oldest.add(event);
        }
        return oldest;
    }

    /** Every waiting event, in arrival order (a view: do not change the queue while iterating). */
    public Iterable<PendingEvent> all() {
        return events;
    }

    /** The oldest waiting events, in arrival order, up to the first that {@code ready} does not accept. */
    public List<PendingEvent> readyPrefix(LongPredicate ready) {
        List<PendingEvent> prefix = new ArrayList<>();
        for (PendingEvent event : events) {
            if (!ready.test(event.sequence())) {
                break;
            }
            prefix.add(event);
        }
        return prefix;
    }

    /**
     * The waiting events that can run now, in arrival order: each one {@code ready} accepts whose conversation has
     * no older event waiting that {@code ready} does not accept. A conversation's events stay in their order while
     * the others go on: a turn whose result is ready does not wait behind another conversation's turn still in a
     * model call (an event that cannot be read has no conversation, and no other waits for it).
     */
    public List<PendingEvent> runnable(LongPredicate ready) {
        List<PendingEvent> runnable = new ArrayList<>();
        Set<String> held = new HashSet<>();
        for (PendingEvent event : events) {
            String conversation = read(event) instanceof ReadResult.Accepted accepted
                    ? accepted.event().conversationId() : null;
            if (conversation != null && held.contains(conversation)) {
                continue;
            }
            if (ready.test(event.sequence())) {
                runnable.add(event);
            } else if (conversation != null) {
                held.add(conversation);
            }
        }
        return runnable;
    }

    /** The sequence of the oldest waiting event; the queue must not be empty. */
    public long oldestSequence() {
        return events.getFirst().sequence();
    }

    /** {@code event}'s value as {@link ConversationEventReader#read} gives it, parsed once while it waits here. */
    public ReadResult read(PendingEvent event) {
        return parsed.computeIfAbsent(event.sequence(), sequence -> reader.apply(event.value()));
    }

    public void remove(Collection<PendingEvent> removed) {
        Set<Long> sequences = new HashSet<>();
        for (PendingEvent event : removed) {
            store.delete(event.sequence());
            parsed.remove(event.sequence());
            sequences.add(event.sequence());
        }
        // A batch is most often the oldest events: they leave from the front (the others, of conversations that
        // went ahead of one still in a model call, from where they are).
        while (!events.isEmpty() && sequences.remove(events.peekFirst().sequence())) {
            events.removeFirst();
        }
        if (!sequences.isEmpty()) {
            events.removeIf(event -> sequences.contains(event.sequence()));
        }
    }
}
