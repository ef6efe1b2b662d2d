package io.wmstream.topology.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.schemas.event.ConversationEventReader;
import io.wmstream.schemas.event.EventLimits;
import io.wmstream.schemas.event.ReadResult;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ParsedEventsTest {
    private static final String EVENT = "{\"conversationId\":\"hotel-1\",\"turn\":0,\"speaker\":\"user\","
            + "\"text\":\"I need a cheap hotel in the north.\",\"timestamp\":1767225600000}";

    private final ParsedEvents events = new ParsedEvents(EventLimits.DEFAULTS);

    @Test
    void shouldGiveTheParserAndThePendingQueueTheExtractorsParseOfTheSameBytes() {
        // Given an event the timestamp extractor parsed
        ReadResult extracted = events.parse(bytes(EVENT));

        // When the parser reads it, then the pending queue takes it from the bytes that came back through the
        // repartition topic (equal bytes, another array)
        ReadResult parsed = events.read(bytes(EVENT));
        ReadResult pending = events.take(bytes(EVENT));

        // Then all three have the one parse, which is what a fresh parse gives
        assertThat(extracted).isInstanceOf(ReadResult.Accepted.class);
        assertThat(parsed).isSameAs(extracted);
        assertThat(pending).isSameAs(extracted);
        assertThat(pending).isEqualTo(new ConversationEventReader(EventLimits.DEFAULTS).read(bytes(EVENT)));
        // And once taken it is no longer kept: a later copy of the same bytes is parsed afresh, to the same event
        ReadResult again = events.take(bytes(EVENT));
        assertThat(again).isNotSameAs(extracted).isEqualTo(extracted);
    }

    @Test
    void shouldKeepNeitherRejectedNorDeadLetteredEvents() {
        // Given a malformed record and an accepted one the parser then dead-letters (its time was refused)
        ReadResult malformed = events.parse(bytes("{not json"));
        ReadResult refused = events.parse(bytes(EVENT));
        events.forget(bytes(EVENT));

        // Then neither is kept for a later reader
        assertThat(malformed).isInstanceOf(ReadResult.Rejected.class);
        assertThat(events.take(bytes(EVENT))).isNotSameAs(refused).isEqualTo(refused);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
