package io.wmstream.topology.errors;

import io.wmstream.schemas.deadletter.DeadLetterReason;
import io.wmstream.topology.ingest.OriginalRecord;
import io.wmstream.topology.processor.BatchFailedException;
import io.wmstream.topology.processor.MemoryModelMismatchException;
import io.wmstream.topology.processor.StoreWriteFailedException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An unexpected exception while processing a record sends the record's original bytes to the dead-letter topic
 * with reason {@code processing-error}, named by the input record it was read from (for an event past the
 * repartition topic, the one its {@link OriginalRecord} headers name), and the application continues. Three
 * exceptions stop it instead: a refused model mismatch (the operator asked for the application to stop rather than
 * reset memory); a batch that kept failing ({@link BatchFailedException}): its events, the record at hand among
 * them, are pending and unapplied, so a dead letter would leave that record both dead-lettered and pending, and every
 * next record would fail alike; and a store write that failed part way ({@link StoreWriteFailedException}), whose
 * written part only the transaction's abort takes back.
 */
public final class DeadLetteringProcessingExceptionHandler implements ProcessingExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetteringProcessingExceptionHandler.class);
    private String topic;

    @Override
    public void configure(Map<String, ?> configs) {
        topic = DeadLetterRecords.topic(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (exception instanceof MemoryModelMismatchException || exception instanceof BatchFailedException
                || exception instanceof StoreWriteFailedException) {
            LOG.error("Stopping: {}", exception.getMessage(), exception.getCause());
            return Response.fail();
        }
        String at = OriginalRecord.readFrom(context.headers())
                .map(o -> o.topic() + "-" + o.partition() + "@" + o.offset())
                .orElse(context.topic() + "-" + context.partition() + "@" + context.offset());
        LOG.warn("Processing error in task {} node {} on the record of {}: {}; record dead-lettered",
                context.taskId(), context.processorNodeId(), at, DeadLetterRecords.describe(exception), exception);
        if (context.sourceRawValue() == null) {
            return Response.resume();
        }
        return Response.resume(List.of(DeadLetterRecords.of(topic, context, context.sourceRawKey(),
                context.sourceRawValue(), DeadLetterReason.PROCESSING_ERROR, DeadLetterRecords.describe(exception))));
    }
}
