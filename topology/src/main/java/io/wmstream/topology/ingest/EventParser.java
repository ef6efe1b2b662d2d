package io.wmstream.topology.ingest;

import io.wmstream.schemas.deadletter.DeadLetterHeaders;
import io.wmstream.schemas.event.ConversationEventReader;
import io.wmstream.schemas.event.EventLimits;
import io.wmstream.schemas.event.ReadResult;
import io.wmstream.topology.metrics.TopologyMetrics;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Validates every input record (DESIGN 4.2). A rejected record keeps its original key and value and gets the
 * dead-letter headers (reason, message, source topic, partition, offset) here, where its source is known.
 */
public final class EventParser implements FixedKeyProcessor<byte[], byte[], ParsedEvent> {
    private final ConversationEventReader reader;
    private FixedKeyProcessorContext<byte[], ParsedEvent> context;
    private TopologyMetrics metrics;

    public EventParser(EventLimits limits) {
        this.reader = new ConversationEventReader(limits);
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], ParsedEvent> context) {
        this.context = context;
        this.metrics = TopologyMetrics.deadLettersOnly(context.metrics(), context.taskId(), "parse");
    }

    @Override
    public void process(FixedKeyRecord<byte[], byte[]> record) {
        ReadResult result = reader.read(record.value());
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

    @Override
    public void close() {
        if (metrics != null) {
            metrics.close();
        }
    }
}
