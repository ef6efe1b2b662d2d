package io.wmstream.topology.batching;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.schemas.event.ConversationEventReader;
import io.wmstream.schemas.event.EventLimits;
import io.wmstream.schemas.event.ReadResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PendingQueueTest {
    private KeyValueStore<Long, byte[]> store;

    @BeforeEach
    void openStore() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("pending"), Serdes.Long(),
                Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    }

    private static byte[] event(String conversation, int turn) {
        return ("{\"conversationId\":\"" + conversation + "\",\"eventId\":\"" + conversation + "-" + turn
                + "\",\"turn\":" + turn + ",\"speaker\":\"user\",\"text\":\"a table for two\",\"timestamp\":"
                + (1_767_225_600_000L + turn) + "}").getBytes(StandardCharsets.UTF_8);
    }

    private PendingQueue open() {
        return new PendingQueue(store, new ConversationEventReader(EventLimits.DEFAULTS));
    }

    @Test
    void shouldGiveTheOldestEventsInArrivalOrderAndForgetThoseRemoved() {
        // Given three events appended
        PendingQueue queue = open();
        for (int turn = 0; turn < 3; turn++) {
            queue.append(null, event("c-1", turn), "events", 0, turn, turn);
        }
        // When the oldest two are run and removed
        List<PendingEvent> batch = queue.oldest(2);
        queue.remove(batch);
        // Then the third is what is left, in memory and in the store
        assertThat(batch).extracting(PendingEvent::offset).containsExactly(0L, 1L);
        assertThat(queue.oldest(5)).extracting(PendingEvent::offset).containsExactly(2L);
        assertThat(store.approximateNumEntries()).isEqualTo(1);
    }

    @Test
    void shouldReopenWithTheEventsTheStoreHeld() {
        // Given a queue with two events, of which one was removed
        PendingQueue before = open();
        before.append(null, event("c-1", 0), "events", 0, 10, 0);
        before.append(null, event("c-1", 1), "events", 0, 11, 1);
        before.remove(before.oldest(1));
        // When a queue is opened again on the same store (a task restarted or restored)
        PendingQueue after = open();
        // Then it holds the event left, parses it, and numbers new events after it
        assertThat(after.oldest(5)).extracting(PendingEvent::offset).containsExactly(11L);
        assertThat(after.read(after.oldest(1).get(0))).isInstanceOf(ReadResult.Accepted.class);
        assertThat(after.append(null, event("c-1", 2), "events", 0, 12, 2).sequence()).isEqualTo(2L);
    }

    @Test
    void shouldParseAWaitingEventOnceHoweverOftenItIsRead() {
        // Given an event waiting
        PendingQueue queue = open();
        PendingEvent waiting = queue.append(null, event("c-1", 0), "events", 0, 0, 0);
        // When it is read by another task's guess and then by its own batch
        ReadResult guessed = queue.read(waiting);
        ReadResult ran = queue.read(waiting);
        // Then both got the one parse
        assertThat(ran).isSameAs(guessed).isInstanceOf(ReadResult.Accepted.class);
    }

    @Test
    void shouldRunEveryReadyEventWhoseConversationHasNothingOlderWaitingWhenAnotherConversationWaits() {
        // Given a partition's events: a1 a2 b1 b2 c1, of which a1 is still in a model call and the rest are ready
        PendingQueue queue = open();
        long offset = 0;
        for (String[] event : new String[][] {{"a", "1"}, {"a", "2"}, {"b", "1"}, {"b", "2"}, {"c", "1"}}) {
            queue.append(null, event(event[0], Integer.parseInt(event[1])), "events", 0, offset, offset);
            offset++;
        }
        // When the task asks what it can run now
        List<PendingEvent> runnable = queue.runnable(sequence -> sequence != 0);
        // Then b's and c's events run, in order, without waiting for a1; a2 waits behind a1
        assertThat(runnable).extracting(PendingEvent::offset).containsExactly(2L, 3L, 4L);
        // And once they are removed, a's events are what is left, still in order
        queue.remove(runnable);
        assertThat(queue.oldest(5)).extracting(PendingEvent::offset).containsExactly(0L, 1L);
        assertThat(queue.runnable(sequence -> true)).extracting(PendingEvent::offset).containsExactly(0L, 1L);
    }
}
