package io.wmstream.topology.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.schemas.event.EventLimits;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** Event time with the pipeline's own limits, and a time too far ahead refused without moving stream time. */
class EventTimeExtractorTest {
    private static final long RECORD_MS = Instant.parse("2026-03-01T09:00:00Z").toEpochMilli();
    private static final long SKEW_MS = 300_000L;

    @Test
    void shouldTakeTheTimestampOfAnEventThatOnlyARaisedTextLimitAccepts() {
        // Given a 10 KiB utterance with its own time, and a pipeline that accepts texts up to 16 KiB
        long own = RECORD_MS - 60_000;
        var extractor = new EventTimeExtractor(EventLimits.DEFAULTS.withMaxTextBytes(16_384), SKEW_MS);

        // When its time is extracted
        long time = extractor.extract(record(event("x".repeat(10_000), Instant.ofEpochMilli(own))), RECORD_MS);

        // Then it is the event's own time, not the record's
        assertThat(time).isEqualTo(own);
    }

    @Test
    void shouldKeepStreamTimeAndMarkTheRecordWhenItsTimeIsTooFarAhead() {
        // Given an event dated 2099
        var extractor = new EventTimeExtractor(EventLimits.DEFAULTS, SKEW_MS);
        ConsumerRecord<Object, Object> record = record(event("hi", Instant.parse("2099-01-01T00:00:00Z")));

        // When its time is extracted, the partition's time a minute before the record's
        long time = extractor.extract(record, RECORD_MS - 60_000);

        // Then the stream's time is kept (the later of the two) and the record carries what was refused
        assertThat(time).isEqualTo(RECORD_MS);
        assertThat(new String(record.headers().lastHeader(EventTimeExtractor.FUTURE_TIME_HEADER).value(),
                StandardCharsets.UTF_8)).isEqualTo(Instant.parse("2099-01-01T00:00:00Z").toEpochMilli() + ","
                        + RECORD_MS);
    }

    @Test
    void shouldIgnoreAProducersOwnHeaderThatClaimsTheTimeWasRefused() {
        // Given an event within the skew whose producer added the header the extractor uses
        var extractor = new EventTimeExtractor(EventLimits.DEFAULTS, SKEW_MS);
        ConsumerRecord<Object, Object> record = record(event("hi", Instant.ofEpochMilli(RECORD_MS)));
        record.headers().add(EventTimeExtractor.FUTURE_TIME_HEADER, "1,0".getBytes(StandardCharsets.UTF_8));

        // When its time is extracted
        long time = extractor.extract(record, RECORD_MS);

        // Then its own time is taken and the forged header is gone, so the event is not dead-lettered
        assertThat(time).isEqualTo(RECORD_MS);
        assertThat(record.headers().lastHeader(EventTimeExtractor.FUTURE_TIME_HEADER)).isNull();
    }

    private static ConsumerRecord<Object, Object> record(String value) {
        return new ConsumerRecord<>("conversation-events", 0, 7L, RECORD_MS,
                TimestampType.CREATE_TIME, 0, 0, null,
                value.getBytes(StandardCharsets.UTF_8), new RecordHeaders(),
                Optional.empty());
    }

    private static String event(String text, Instant time) {
        return "{\"conversationId\":\"a\",\"speaker\":\"user\",\"text\":\"" + text + "\",\"timestamp\":\"" + time
                + "\"}";
    }
}
