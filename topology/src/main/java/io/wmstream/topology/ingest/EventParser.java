package io.wmstream.topology.ingest;

import io.wmstream.schemas.deadletter.DeadLetterHeaders;
import io.wmstream.schemas.deadletter.DeadLetterReason;
import io.wmstream.schemas.event.EventRejection;
import io.wmstream.schemas.event.ReadResult;
import io.wmstream.topology.metrics.TopologyMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Validates every input record (DESIGN 4.2). A rejected record keeps its original key and value and gets the
 * dead-letter headers (reason, message, source topic, partition, offset) here, where its source is known. An event
 * whose own time {@link EventTimeExtractor} refused as too far ahead is rejected here too ({@code future-timestamp}).
 */
public final class EventParser implements FixedKeyProcessor<byte[], byte[], ParsedEvent> {
    private final ParsedEvents parsed;
    private final long maxSkewMs;
    private FixedKeyProcessorContext<byte[], ParsedEvent> context;
    private TopologyMetrics metrics;

    /** Reads events as {@code parsed} holds them (the timestamp extractor parsed them), parsing those it does not. */
    public EventParser(ParsedEvents parsed, long maxSkewMs) {
        this.parsed = parsed;
        this.maxSkewMs = maxSkewMs;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], ParsedEvent> context) {
        this.context = context;
        this.metrics = TopologyMetrics.deadLettersOnly(context.metrics(), context.taskId(), "parse");
    }

    @Override
    public void process(FixedKeyRecord<byte[], byte[]> record) {
        ReadResult result = parsed.read(record.value());
        Header future = record.headers().lastHeader(EventTimeExtractor.FUTURE_TIME_HEADER);
        if (future != null && result instanceof ReadResult.Accepted) {
            parsed.forget(record.value()); // dead-lettered: no pending queue will take it
            result = new ReadResult.Rejected(futureTimestamp(future));
        }
        if (result instanceof ReadResult.Accepted accepted) {
            context.forward(record.withValue(new ParsedEvent(accepted.event(), null, record.value())));
            return;
        }
        var rejection = ((ReadResult.Rejected) result).rejection();
        RecordMetadata source = context.recordMetadata().orElseThrow();
        var headers = new RecordHeaders(record.headers().toArray());
        DeadLetterHeaders.write(headers, rejection.reason(), rejection.message(), source.topic(), source.partition(),
                source.offset());
        metrics.recordDeadLetter(rejection.reason());
        context.forward(record.withValue(new ParsedEvent(null, rejection, record.value())).withHeaders(headers));
    }

    private EventRejection futureTimestamp(Header header) {
        String[] times = new String(header.value(), StandardCharsets.UTF_8).split(",");
        long own = Long.parseLong(times[0]);
        long stream = Long.parseLong(times[1]);
        return new EventRejection(DeadLetterReason.FUTURE_TIMESTAMP, "timestamp " + Instant.ofEpochMilli(own)
                + " is " + (own - stream) + " ms ahead of the stream's time " + Instant.ofEpochMilli(stream)
                + " (at most " + maxSkewMs + " ms allowed, wm.event.time.max.skew.ms)");
    }

    @Override
    public void close() {
        if (metrics != null) {
            metrics.close();
        }
    }
}
