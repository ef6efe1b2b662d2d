package io.wmstream.topology.ingest;

import io.wmstream.schemas.event.ConversationEventReader;
import io.wmstream.schemas.event.EventLimits;
import io.wmstream.schemas.event.ReadResult;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time per DESIGN 4.2: the event's own {@code timestamp} when it has one, else the record timestamp. Stream
 * time, idle expiry and output timestamps all follow it, so a replay of a log reproduces them.
 *
 * <p>An own timestamp more than {@code wm.event.time.max.skew.ms} ahead of the stream's time (the partition's time,
 * or the record's Kafka timestamp when that is later) is not taken: one such event would move the task's stream time
 * years ahead and every other conversation of the task would expire at the next idle scan (invariant 7). The record
 * gets the stream's time instead, so stream time does not move, and a {@link #FUTURE_TIME_HEADER} that
 * {@link EventParser} turns into a {@code future-timestamp} dead letter: a timestamp extractor can neither drop nor
 * dead-letter a record itself. The Kafka timestamp is part of the reference because a partition that was quiet for
 * hours legitimately receives an event hours ahead of its partition time; the broker bounds that timestamp
 * ({@code message.timestamp.after.max.ms}, one hour by default, or {@code LogAppendTime}).
 */
public final class EventTimeExtractor implements TimestampExtractor {
    /** Added to a record whose own time was refused: {@code ownMs,streamMs} in decimal. */
    public static final String FUTURE_TIME_HEADER = "wm.event.future.time";

    private final Function<byte[], ReadResult> reader;
    private final long maxSkewMs;

    /**
     * Parses with the pipeline's own {@code limits}: with the defaults, an event that a raised
     * {@code wm.event.max.text.bytes} accepts would lose its timestamp here silently.
     */
    public EventTimeExtractor(EventLimits limits, long maxSkewMs) {
        this.reader = new ConversationEventReader(limits)::read;
        this.maxSkewMs = maxSkewMs;
    }

    /** Parses with {@code parsed}, which keeps each parse for the topology's parser: an event is parsed once. */
    public EventTimeExtractor(ParsedEvents parsed, long maxSkewMs) {
        this.reader = parsed::parse;
        this.maxSkewMs = maxSkewMs;
    }

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        // Only this extractor may say that a time was refused: a producer's header of that name means nothing.
        record.headers().remove(FUTURE_TIME_HEADER);
        if (record.value() instanceof byte[] bytes) {
            ReadResult result = reader.apply(bytes);
            if (result instanceof ReadResult.Accepted accepted && accepted.event().timestampMillis() != null
                    && accepted.event().timestampMillis() >= 0) {
                long own = accepted.event().timestampMillis();
                long stream = Math.max(partitionTime, record.timestamp());
                // Both are non-negative here, so the difference cannot overflow.
                if (stream >= 0 && own - stream > maxSkewMs) {
                    record.headers().add(FUTURE_TIME_HEADER, (own + "," + stream).getBytes(StandardCharsets.UTF_8));
                    return stream;
                }
                return own;
            }
        }
        // Kafka Streams drops records with a negative timestamp; bad input must reach the dead-letter topic instead.
        return record.timestamp() >= 0 ? record.timestamp() : Math.max(partitionTime, 0);
    }
}
