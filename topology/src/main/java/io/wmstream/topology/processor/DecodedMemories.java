package io.wmstream.topology.processor;

import io.wmstream.topology.memory.WorkingMemory;
import io.wmstream.topology.memory.WorkingMemoryCodec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A task's memories as last decoded or written, each with the exact bytes it came from or went to, so that one
 * memory is decoded once however often it is read: the prediction of a pending event's request
 * ({@link NextWaveRequests}, before every model call) and its run ({@link MemoryAccess}) read the same stored memory,
 * and a memory the task wrote is read by its conversation's next event. A memory is only taken from here when the
 * store holds exactly the bytes it came from (compared in full, which costs far less than a decode), so a store
 * changed behind the task's back (a restore, a test) is decoded afresh; {@link WorkingMemory} is immutable, so the
 * readers can share it.
 *
 * <p>Bounded: the {@code capacity} conversations used last (those with pending events, at most
 * {@code wm.batch.max.size} times the pending bound). Not thread-safe: a task's processing is on one thread.
 */
final class DecodedMemories {
    private final Map<String, Decoded> byConversation;

    DecodedMemories(int capacity) {
        this.byConversation = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Decoded> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The memory {@code bytes} (the store's value for {@code conversationId}) hold; raises as the codec does. */
    WorkingMemory decode(String conversationId, byte[] bytes) {
        Decoded known = byConversation.get(conversationId);
        if (known != null && Arrays.equals(known.bytes(), bytes)) {
            return known.memory();
        }
        WorkingMemory memory = WorkingMemoryCodec.decode(bytes);
        byConversation.put(conversationId, new Decoded(bytes, memory));
        return memory;
    }

    /** {@code memory} was written as {@code bytes} (its encoding); null bytes: the memory was deleted. */
    void written(String conversationId, byte[] bytes, WorkingMemory memory) {
        if (bytes == null) {
            byConversation.remove(conversationId);
        } else {
            byConversation.put(conversationId, new Decoded(bytes, memory));
        }
    }

    private record Decoded(byte[] bytes, WorkingMemory memory) {
    }
}
