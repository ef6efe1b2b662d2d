package io.wmstream.topology.ingest;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Keys every accepted event by its conversationId, whatever key it came with, and names the record it was read from
 * in {@link OriginalRecord} headers. All accepted events then take the same path to the working-memory processor,
 * the repartition topic: one input partition's events of one conversation are written there by one producer, in
 * input order, to one partition, so none can overtake another, as a keyed event overtook a re-keyed one when only
 * the latter took the extra hop.
 */
public final class ConversationKeying implements Processor<byte[], ParsedEvent, byte[], byte[]> {
    private ProcessorContext<byte[], byte[]> context;

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], ParsedEvent> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        var headers = new RecordHeaders(record.headers().toArray());
        new OriginalRecord(source.topic(), source.partition(), source.offset(), record.key()).writeTo(headers);
        byte[] conversationKey = record.value().event().conversationId().getBytes(StandardCharsets.UTF_8);
        context.forward(record.withKey(conversationKey).withValue(record.value().rawValue()).withHeaders(headers));
    }
}
