package io.wmstream.topology.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.schemas.event.ConversationEvent;
import io.wmstream.schemas.event.EventType;
import org.junit.jupiter.api.Test;

class MemoryRecorderTest {
    private static final ModelStamp MODEL = new ModelStamp("m", "1", 1, 2);
    private final MemoryRecorder recorder = new MemoryRecorder(new MemoryLimits(2, 2, 100, 2));

    @Test
    void shouldKeepTheMostSalientTurnsInTurnOrder() {
        // Given turns of salience 1, 5, 2, 4
        WorkingMemory memory = WorkingMemory.empty(MODEL, 0);
        double[] salience = {1, 5, 2, 4};
        for (int turn = 0; turn < salience.length; turn++) {
            memory = recorder.recordUtterance(memory, new float[2], turn, "user", "t" + turn, salience[turn]);
        }

        // Then the two most salient are kept, by turn; the recent ring has the last two
        assertThat(memory.salientTurns()).extracting(RememberedTurn::turn).containsExactly(1L, 3L);
        assertThat(memory.recentTurns()).extracting(RememberedTurn::turn).containsExactly(2L, 3L);
        assertThat(memory.utterances()).isEqualTo(4);
    }

    @Test
    void shouldRecogniseRepeatedTurnsAndEventIds() {
        // Given a memory that has seen turn 3 with id e-3
        var seen = new ConversationEvent(EventType.UTTERANCE, "c", "e-3", 3L, "user", "hi", null, null);
        WorkingMemory memory = recorder.rememberEvent(WorkingMemory.empty(MODEL, 0), seen, 0);

        // Then a lower or equal turn, or the same id, is a duplicate; a later turn is not
        assertThat(MemoryRecorder.isDuplicate(memory, ConversationEvent.utterance("c", 3, "user", "hi"))).isTrue();
        assertThat(MemoryRecorder.isDuplicate(memory, ConversationEvent.utterance("c", 2, "user", "hi"))).isTrue();
        assertThat(MemoryRecorder.isDuplicate(memory,
                new ConversationEvent(EventType.UTTERANCE, "c", "e-3", null, "user", "hi", null, null))).isTrue();
        assertThat(MemoryRecorder.isDuplicate(memory, ConversationEvent.utterance("c", 4, "user", "hi"))).isFalse();
    }

    @Test
    void shouldNeverSplitASurrogatePairWhenShortening() {
        // Given text whose cut point falls inside an emoji
        String text = "ab😀";
        // When shortened to three characters, Then the pair is dropped whole
        assertThat(MemoryRecorder.truncate(text, 3)).isEqualTo("ab");
    }

    @Test
    void shouldTrackFactsLatestFirstOncePerTypeAndValueWithinTheLimit() {
        // Given a recorder that keeps three facts
        var limited = new MemoryRecorder(new MemoryLimits(2, 2, 100, 2, 3));
        WorkingMemory memory = WorkingMemory.empty(MODEL, 0);

        // When turn 0 states 17:45 and 2 people, turn 1 states 18:15 then 17:45 again, turn 2 friday
        memory = limited.recordUtterance(memory, new float[2], 0, "user", "17:45 for 2", 1, java.util.Map.of(),
                java.util.List.of(new TrackedFact("time", "17:45", 0), new TrackedFact("people", "2", 0)));
        memory = limited.recordUtterance(memory, new float[2], 1, "user", "18:15, no, 17:45", 1, java.util.Map.of(),
                java.util.List.of(new TrackedFact("time", "18:15", 1), new TrackedFact("time", "17:45", 1)));
        memory = limited.recordUtterance(memory, new float[2], 2, "user", "on friday", 1, java.util.Map.of(),
                java.util.List.of(new TrackedFact("date", "friday", 2)));

        // Then the latest come first, 17:45 once with its latest turn, and the oldest beyond three went
        assertThat(memory.facts()).containsExactly(new TrackedFact("date", "friday", 2),
                new TrackedFact("time", "17:45", 1), new TrackedFact("time", "18:15", 1));
        assertThat(memory.latestFact("time")).isEqualTo(new TrackedFact("time", "17:45", 1));
        assertThat(memory.cleared(5).facts()).isEmpty();
    }
}
