package io.wmstream.topology.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wmstream.schemas.event.ConversationEvent;
import io.wmstream.schemas.event.EventType;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkingMemoryCodecTest {
    private static final ModelStamp MODEL = new ModelStamp("wm-gru-dialogue", "1.0.0", 1, 8);
    private static final MemoryLimits LIMITS = new MemoryLimits(4, 3, 40, 5);

    @Test
    void shouldRoundTripEveryField() {
        // Given a memory with state, ids and turns
        float[] state = {0.5f, -1.25f, 3e-8f, Float.MIN_VALUE, -0.0f, 7f, 1f / 3, 2f};
        var memory = new WorkingMemory(MODEL, state, 6, 11, 1_767_225_600_000L, List.of("e-1", "é-2"),
                List.of(new RememberedTurn(10, "user", "a room for two", 1.5)),
                List.of(new RememberedTurn(4, "agent", "the 09:15 train 😀", 0.25)));

        // When encoded and decoded
        WorkingMemory back = WorkingMemoryCodec.decode(WorkingMemoryCodec.encode(memory));

        // Then everything is equal, the state bit for bit
        assertThat(back.state()).containsExactly(state);
        assertThat(back).usingRecursiveComparison().isEqualTo(memory);
        assertThat(WorkingMemoryCodec.readModel(WorkingMemoryCodec.encode(memory))).isEqualTo(MODEL);
    }

    @Test
    void shouldRoundTripTrackedFactsAndTaggedTurns() {
        // Given a memory with a tagged turn (its words' fact weights), an untagged one and tracked facts
        var memory = new WorkingMemory(MODEL, null, 2, 1, 5L, List.of(),
                List.of(new RememberedTurn(0, "user", "a table at 18:15", 0.5,
                        java.util.Map.of("18", 0.97f, "15", 0.95f, "table", 0.02f))),
                List.of(new RememberedTurn(1, "system", "sure", 0)),
                List.of(new TrackedFact("time", "18:15", 0), new TrackedFact("food", "thaï", 0)));

        // When encoded and decoded
        WorkingMemory back = WorkingMemoryCodec.decode(WorkingMemoryCodec.encode(memory));

        // Then the facts, the weights and the untagged turn's missing weights come back as they were
        assertThat(back).usingRecursiveComparison().isEqualTo(memory);
        assertThat(back.recentTurns().get(0).factWeights()).containsEntry("18", 0.97f);
        assertThat(back.salientTurns().get(0).tagged()).isFalse();
    }

    @Test
    void shouldRoundTripTheDialogueState() {
        // Given a memory with an agreed state, an offer and open requests (format 3)
        var dialogue = new DialogueState(
                List.of(new StateEntry("taxi.place.from", "acorn guest house", 2),
                        new StateEntry("taxi.place.to", "clowns café", 2)),
                List.of(new StateEntry("taxi.car", "white toyota", 3)), List.of("phone", "car"));
        var memory = new WorkingMemory(MODEL, null, 4, 3, 5L, List.of(), List.of(), List.of(),
                List.of(new TrackedFact("place", "acorn guest house", 2)), dialogue);

        // When encoded and decoded
        WorkingMemory back = WorkingMemoryCodec.decode(WorkingMemoryCodec.encode(memory));

        // Then the state, the offer and the requests come back as they were, in their order
        assertThat(back).usingRecursiveComparison().isEqualTo(memory);
        assertThat(back.dialogue().openRequests()).containsExactly("phone", "car");
    }

    @Test
    void shouldReadAFormatTwoMemoryWithAnEmptyDialogueState() {
        // Given a memory as format 2 wrote it: format 3's bytes without the dialogue-state block, marked 2
        var memory = new WorkingMemory(MODEL, null, 2, 1, 5L, List.of("e"),
                List.of(new RememberedTurn(0, "user", "a table at 18:15", 0.5, java.util.Map.of("18", 0.9f))),
                List.of(), List.of(new TrackedFact("time", "18:15", 0)));
        byte[] three = WorkingMemoryCodec.encode(memory);
        byte[] two = java.util.Arrays.copyOf(three, three.length - 6);
        two[2] = 2;

        // When decoded
        WorkingMemory back = WorkingMemoryCodec.decode(two);

        // Then the rest is read as it was and nothing is agreed, offered or asked
        assertThat(back).usingRecursiveComparison().isEqualTo(memory);
        assertThat(back.dialogue()).isEqualTo(DialogueState.EMPTY);
    }

    @Test
    void shouldStayUnderItsUpperSizeHoweverLongTheConversation() {
        // Given a recorder that is fed far more (and longer) turns and ids than the limits allow
        var recorder = new MemoryRecorder(LIMITS);
        WorkingMemory memory = WorkingMemory.empty(MODEL, 0);
        String longText = "€".repeat(500);
        for (int turn = 0; turn < 500; turn++) {
            var event = new ConversationEvent(EventType.UTTERANCE, "c", "id-" + "x".repeat(190) + turn, (long) turn,
                    "s".repeat(100), longText, null, null);
            memory = recorder.rememberEvent(memory, event, turn);
            memory = recorder.recordUtterance(memory, new float[8], turn, event.speaker(), longText, turn % 7);
        }

        // When it is encoded
        int size = WorkingMemoryCodec.encode(memory).length;

        // Then its size is within the computed bound, and the bound does not grow with the conversation
        assertThat(memory.recentTurns()).hasSize(4);
        assertThat(memory.salientTurns()).hasSize(3);
        assertThat(memory.recentEventIds()).hasSize(5);
        assertThat((long) size).isLessThanOrEqualTo(WorkingMemoryCodec.maxBytes(LIMITS, 8, 30));
    }

    @Test
    void shouldReadTheLastActivityWithoutDecodingTheRest() {
        // Given stored memories with and without a state
        float[] state = {0.5f, -1.25f, 3e-8f, Float.MIN_VALUE, -0.0f, 7f, 1f / 3, 2f};
        var withState = new WorkingMemory(MODEL, state, 6, 11, 1_767_225_600_000L, List.of("e-1"),
                List.of(new RememberedTurn(10, "user", "a room for two", 1.5)), List.of());
        var fresh = WorkingMemory.empty(MODEL, 42L);
        byte[] encoded = WorkingMemoryCodec.encode(withState);

        // When only their activity time is read
        // Then it is the one stored; a memory cut inside its state is refused as corrupt
        assertThat(WorkingMemoryCodec.readLastActivityMs(encoded)).isEqualTo(1_767_225_600_000L);
        assertThat(WorkingMemoryCodec.readLastActivityMs(WorkingMemoryCodec.encode(fresh))).isEqualTo(42L);
        byte[] cut = java.util.Arrays.copyOf(encoded, 40);
        assertThatThrownBy(() -> WorkingMemoryCodec.readLastActivityMs(cut))
                .isInstanceOf(CorruptMemoryException.class);
    }

    @Test
    void shouldRefuseBytesThatAreNotAWorkingMemory() {
        // Given bytes of another format, When decoded, Then a clear error
        assertThatThrownBy(() -> WorkingMemoryCodec.decode(new byte[] {'W', 'M', 9}))
                .isInstanceOf(CorruptMemoryException.class).hasMessageContaining("format 9");
        assertThatThrownBy(() -> WorkingMemoryCodec.decode("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isInstanceOf(CorruptMemoryException.class).hasMessageContaining("WM marker");
    }
}
