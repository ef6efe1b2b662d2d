package io.wmstream.app.produce;

import io.wmstream.schemas.event.ConversationEventReader;
import io.wmstream.schemas.event.ReadResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Sends event-log lines to the input topic keyed by conversationId, each line's bytes unchanged. Lines that are not
 * valid events (DESIGN 4.2) are reported with their line number and reason and, unless asked to send them anyway
 * (to exercise the dead-letter path), are not sent: nothing is dropped silently.
 */
public final class EventLogSender {
    /** Problems kept for the report; past this only the counts grow. */
    static final int MAX_PROBLEMS = 20;

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final ConversationEventReader validator;
    private final boolean sendInvalid;

    public EventLogSender(Producer<byte[], byte[]> producer, String topic, ConversationEventReader validator,
            boolean sendInvalid) {
        this.producer = producer;
        this.topic = topic;
        this.validator = validator;
        this.sendInvalid = sendInvalid;
    }

    /**
     * Sends every line and waits until Kafka acknowledged or refused each one.
     *
     * @param progress called now and then with the counts so far, for a progress line
     */
    public SendReport send(Iterator<EventLogReader.Line> lines, Consumer<SendReport> progress) {
        long start = System.nanoTime();
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long invalid = 0;
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        long lastProgress = start;
        while (lines.hasNext()) {
            EventLogReader.Line line = lines.next();
            ReadResult result = validator.read(line.bytes());
            byte[] key;
            if (result instanceof ReadResult.Accepted accepted) {
                key = accepted.event().conversationId().getBytes(StandardCharsets.UTF_8);
            } else {
                ReadResult.Rejected rejected = (ReadResult.Rejected) result;
                invalid++;
                note(problems, "line " + line.number() + ": " + rejected.rejection()
                        + (sendInvalid ? " (sent anyway)" : " (not sent)"));
                if (!sendInvalid) {
                    continue;
                }
                key = null;
            }
            long number = line.number();
            try {
                producer.send(new ProducerRecord<>(topic, key, line.bytes()), (metadata, error) -> {
                    if (error == null) {
                        acknowledged.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        note(problems, "line " + number + ": not sent: " + error.getMessage());
                    }
                });
            } catch (KafkaException e) {
                failed.incrementAndGet();
                note(problems, "line " + number + ": not sent: " + e.getMessage());
            }
            long now = System.nanoTime();
            if (now - lastProgress > 200_000_000L) {
                lastProgress = now;
                progress.accept(new SendReport(acknowledged.get(), invalid, failed.get(), List.of(),
                        (now - start) / 1_000_000));
            }
        }
        producer.flush();
        return new SendReport(acknowledged.get(), invalid, failed.get(), problems,
                (System.nanoTime() - start) / 1_000_000);
    }

    private static void note(List<String> problems, String problem) {
        synchronized (problems) {
            if (problems.size() < MAX_PROBLEMS) {
                problems.add(problem);
            }
        }
    }
}
