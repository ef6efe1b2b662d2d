package io.wmstream.app.demo;

import io.wmstream.schemas.output.Reply;
import io.wmstream.schemas.output.Summary;
import io.wmstream.schemas.serde.WmSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the reply and summary topics from the beginning as committed by the pipeline's transactions
 * ({@code read_committed}), so only outputs that exactly-once really produced are seen, and hands each one on.
 * It joins no consumer group: it reads every partition itself and commits nothing.
 */
public final class OutputWatcher implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String repliesTopic;
    private final Deserializer<Reply> replies = WmSerdes.replies().deserializer();
    private final Deserializer<Summary> summaries = WmSerdes.summaries().deserializer();

    /** One output record. */
    public sealed interface Output {
        String conversationId();
    }

    /** A reply as it came out. */
    public record ReplyOutput(Reply reply) implements Output {
        @Override
        public String conversationId() {
            return reply.conversationId();
        }
    }

    /** A summary as it came out. */
    public record SummaryOutput(Summary summary) implements Output {
        @Override
        public String conversationId() {
            return summary.conversationId();
        }
    }

    /** A record whose value is not a valid Reply or Summary: shown, never skipped. */
    public record Unreadable(String topic, String conversationId, String problem) implements Output {
    }

    /**
     * @param clientProperties connection settings (bootstrap servers, security)
     */
    public OutputWatcher(Properties clientProperties, String repliesTopic, String summariesTopic) {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "wmstream-output-watcher");
        this.consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.repliesTopic = repliesTopic;
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(repliesTopic, summariesTopic)) {
            for (PartitionInfo partition : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, partition.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /**
     * Polls and hands each output to {@code sink} until {@code done} says so or {@code timeout} passes.
     *
     * @return true when {@code done} was reached
     */
    public boolean watch(Consumer<Output> sink, BooleanSupplier done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(Math.min(200,
                    Math.max(1, left / 1_000_000))))) {
                sink.accept(decode(record));
            }
        }
        return true;
    }

    private Output decode(ConsumerRecord<byte[], byte[]> record) {
        String key = record.key() == null ? "?" : new String(record.key(), StandardCharsets.UTF_8);
        try {
            if (record.topic().equals(repliesTopic)) {
                return new ReplyOutput(replies.deserialize(record.topic(), record.value()));
            }
            return new SummaryOutput(summaries.deserialize(record.topic(), record.value()));
        } catch (RuntimeException e) {
            return new Unreadable(record.topic(), key, e.getMessage());
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
