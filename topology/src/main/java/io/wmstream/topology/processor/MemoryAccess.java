package io.wmstream.topology.processor;

import io.wmstream.topology.memory.CorruptMemoryException;
import io.wmstream.topology.memory.ModelStamp;
import io.wmstream.topology.memory.WorkingMemory;
import io.wmstream.topology.memory.WorkingMemoryCodec;
import io.wmstream.topology.metrics.TopologyMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes conversations' memory in the working-memory store. Memory written under another model is never
 * fed to this one: it is reset (state dropped, turns and counters kept, counted and logged) or refused.
 *
 * <p>Writes are staged: {@link #load} sees them at once, the store only at {@link #apply}, and {@link #discard} drops
 * them. A batch computes everything first (memories, outputs) and writes only when nothing can fail any more but the
 * store itself, so a batch that fails part way leaves no memory advanced for outputs never sent (invariant 8).
 */
final class MemoryAccess {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryAccess.class);

    private final KeyValueStore<String, byte[]> store;
    private final ModelStamp model;
    private final boolean failOnMismatch;
    private final TopologyMetrics metrics;
    private final DecodedMemories decoded;
    /** Staged writes in order; a null value is a delete. */
    private final Map<String, WorkingMemory> staged = new LinkedHashMap<>();

    MemoryAccess(KeyValueStore<String, byte[]> store, ModelStamp model, boolean failOnMismatch,
            TopologyMetrics metrics, DecodedMemories decoded) {
        this.store = store;
        this.decoded = decoded;
        this.model = model;
        this.failOnMismatch = failOnMismatch;
        this.metrics = metrics;
    }

    ModelStamp model() {
        return model;
    }

    /** The conversation's memory, or null when it holds none. */
    WorkingMemory load(String conversationId) {
        if (staged.containsKey(conversationId)) {
            return staged.get(conversationId);
        }
        byte[] bytes = store.get(conversationId);
        if (bytes == null) {
            return null;
        }
        WorkingMemory memory;
        try {
            memory = decoded.decode(conversationId, bytes);
        } catch (CorruptMemoryException e) {
            LOG.warn("Conversation {}: {}; starting it afresh", conversationId, e.getMessage());
            metrics.recordModelMismatch();
            return null;
        }
        if (memory.model().equals(model)) {
            return memory;
        }
        if (failOnMismatch) {
            throw new MemoryModelMismatchException("Conversation " + conversationId + " holds memory written by "
                    + memory.model() + " but this pipeline runs " + model
                    + "; set wm.memory.model.mismatch=reset to reset such memory");
        }
        LOG.warn("Conversation {}: memory written by {} reset for {} (turns kept, state dropped)", conversationId,
                memory.model(), model);
        metrics.recordModelMismatch();
        return new WorkingMemory(model, null, memory.utterances(), memory.lastTurn(), memory.lastActivityMs(),
                memory.recentEventIds(), memory.recentTurns(), memory.salientTurns());
    }

    void save(String conversationId, WorkingMemory memory) {
        staged.put(conversationId, memory);
    }

    void delete(String conversationId) {
        staged.put(conversationId, null);
    }

    /** Writes the staged memories (encoded here, so a memory that cannot be encoded fails before any write). */
    void apply() {
        Map<String, byte[]> encoded = new LinkedHashMap<>();
        staged.forEach((id, memory) -> encoded.put(id, memory == null ? null : WorkingMemoryCodec.encode(memory)));
        encoded.forEach((id, bytes) -> decoded.written(id, bytes, staged.get(id)));
        staged.clear();
        encoded.forEach((id, bytes) -> {
            if (bytes == null) {
                store.delete(id);
            } else {
                store.put(id, bytes);
            }
        });
    }

    /** Drops the staged writes: the batch that made them failed. */
    void discard() {
        staged.clear();
    }

    long approximateCount() {
        return store.approximateNumEntries();
    }
}
