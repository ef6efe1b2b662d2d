package io.wmstream.topology.batching;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Accepted events not yet run, in arrival order, kept in a changelogged store so that a crash loses nothing:
 * the store commits with the input offsets under exactly-once. Keys are non-negative sequence numbers, whose
 * big-endian encoding keeps the store's iteration order equal to arrival order.
 */
public final class PendingQueue {
    private final KeyValueStore<Long, byte[]> store;
    private long nextSequence;
    private int size;

    public PendingQueue(KeyValueStore<Long, byte[]> store) {
        this.store = store;
        try (KeyValueIterator<Long, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<Long, byte[]> entry = all.next();
                size++;
                nextSequence = Math.max(nextSequence, entry.key + 1);
            }
        }
    }

    public PendingEvent append(byte[] key, byte[] value, String topic, int partition, long offset, long timestamp) {
        var event = new PendingEvent(nextSequence++, key, value, topic, partition, offset, timestamp);
        store.put(event.sequence(), PendingEventCodec.encode(event));
        size++;
        return event;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The oldest {@code n} events (fewer when fewer wait), in arrival order. */
    public List<PendingEvent> oldest(int n) {
        List<PendingEvent> events = new ArrayList<>(Math.min(n, size));
        try (KeyValueIterator<Long, byte[]> all = store.all()) {
            while (all.hasNext() && events.size() < n) {
                KeyValue<Long, byte[]> entry = all.next();
                events.add(PendingEventCodec.decode(entry.key, entry.value));
            }
        }
        return events;
    }

    public void remove(Collection<PendingEvent> events) {
        for (PendingEvent event : events) {
            store.delete(event.sequence());
            size--;
        }
        if (size == 0) {
            nextSequence = 0;
        }
    }
}
