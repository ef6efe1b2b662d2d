package io.wmstream.topology.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.topology.memory.MemoryLimits;
import io.wmstream.topology.memory.MemoryRecorder;
import io.wmstream.topology.memory.ModelStamp;
import io.wmstream.topology.memory.WorkingMemory;
import io.wmstream.topology.memory.WorkingMemoryCodec;
import org.junit.jupiter.api.Test;

class DecodedMemoriesTest {
    private static final ModelStamp MODEL = new ModelStamp("wm-gru-dialogue", "1.0.0", 1, 4);

    private final DecodedMemories memories = new DecodedMemories(2);

    @Test
    void shouldDecodeAStoredMemoryOnceForThePredictionAndTheRun() {
        // Given a conversation's memory as the store holds it
        byte[] stored = WorkingMemoryCodec.encode(memory("I need a cheap hotel."));

        // When the prediction of its next request reads it, then its run reads the store's bytes again (a copy)
        WorkingMemory predicted = memories.decode("hotel-1", stored);
        WorkingMemory ran = memories.decode("hotel-1", stored.clone());

        // Then both have the one decode, equal to a fresh one
        assertThat(ran).isSameAs(predicted);
        assertThat(WorkingMemoryCodec.encode(ran)).isEqualTo(stored);
    }

    @Test
    void shouldDecodeAfreshWhenTheStoreHoldsOtherBytesThanThoseDecodedOrWritten() {
        // Given a memory the task wrote
        WorkingMemory written = memory("I need a cheap hotel.");
        byte[] bytes = WorkingMemoryCodec.encode(written);
        memories.written("hotel-1", bytes, written);
        assertThat(memories.decode("hotel-1", bytes.clone())).isSameAs(written);

        // When the store holds another memory for it (restored, or written behind the task's back)
        byte[] other = WorkingMemoryCodec.encode(memory("Something in the north, please."));
        WorkingMemory read = memories.decode("hotel-1", other);

        // Then that one is decoded, not the one kept
        assertThat(read).isNotSameAs(written);
        assertThat(WorkingMemoryCodec.encode(read)).isEqualTo(other);
        // And a deleted memory is no longer kept
        memories.written("hotel-1", null, null);
        assertThat(memories.decode("hotel-1", bytes)).isNotSameAs(written);
    }

    private static WorkingMemory memory(String text) {
        var recorder = new MemoryRecorder(new MemoryLimits(16, 16, 512, 32, 32));
        return recorder.recordUtterance(WorkingMemory.empty(MODEL, 1_767_225_600_000L), new float[] {0.5f, -1f, 2f,
            0f}, 0, "user", text, 0.1);
    }
}
