package io.wmstream.app.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.app.bench.RecoveryResult;
import io.wmstream.app.bench.RecoveryTrial;
import io.wmstream.schemas.output.Reply;
import io.wmstream.schemas.serde.WmSerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 26, point 5: with Kafka 4.4's transactional state stores ({@code enable.transactional.statestores=true},
 * wmstream's default) an instance killed with {@code kill -9} keeps its stores and restores only the changelog
 * records its stores had not flushed to disk; with Kafka 4.3's behaviour every task is reported corrupted, wiped and
 * rebuilt from the whole changelogs. One {@link RecoveryTrial} of {@code recovery-bench}: {@code run} with the no-op
 * model in a JVM of its own on a broker in a process of its own.
 */
@Tag("reliability")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RecoveryWithLargeStateIntegrationTest {
    /**
     * Enough greetings that RocksDB flushed every store of every task before the kill (its write buffers are 4 MiB
     * a store). With 30,000 the pending-events stores were never flushed, so Streams found no offset in them and
     * rebuilt every task in full (correct, but it proves nothing about the state's size); 50,000 and 60,000 passed,
     * restoring 9,423 and 34,459 records. What is restored is what the write buffers held, a bound that does not
     * grow with the state, so 100,000 (14,853 restored) leaves the assertion below a wide margin.
     */
    private static final int CONVERSATIONS = 100_000;

    @RegisterExtension
    static final StandaloneBrokerExtension BROKER = new StandaloneBrokerExtension();

    @TempDir
    Path dir;

    @Test
    void shouldKeepTheStoresAfterKill9AndRestoreOnlyWhatWasNotFlushed() throws Exception {
        long started = System.nanoTime();
        // Given an instance whose stores hold 100,000 conversations, every event processed and committed
        Path logback = dir.resolve("instance-logback.xml");
        RecoveryTrial.writeInstanceLogback(logback);
        RecoveryTrial trial = new RecoveryTrial(BROKER.broker().bootstrapServers(), CONVERSATIONS, true, dir,
                List.of("-Xmx1g"), logback, System.out);

        // When it is killed with kill -9, restarted on its state directory, and one new utterance is sent
        RecoveryResult result = trial.run();
        int answers = committedRepliesTo(trial, RecoveryTrial.conversationId(0), RecoveryTrial.NEW_TURN_NUMBER);
        System.out.printf(Locale.ROOT, "RELIABILITY recovery with a large state (%,d conversations): %s; %d answers "
                + "to the new utterance; test %.0f s%n", CONVERSATIONS, result.line(), answers,
                (System.nanoTime() - started) / 1e9);

        // Then no task was corrupted, the restart restored far fewer records than the changelogs hold (a memory
        // and a pending-event put and delete per conversation: 300,000), and the new utterance was answered once
        assertThat(result.corruptedTaskLogs()).as("task-corrupted log lines of the restarted instance (see %s)",
                trial.directory().resolve("instance-2.log")).isZero();
        assertThat(result.restoredRecords()).as("changelog records restored after the kill (see %s)",
                trial.directory().resolve("instance-2.log")).isLessThan(CONVERSATIONS);
        assertThat(answers).as("committed replies to the first utterance after the restart").isEqualTo(1);
    }

    /** Replies to {@code id}'s {@code turn} in the replies topic, as a read_committed reader sees them. */
    private static int committedRepliesTo(RecoveryTrial trial, String id, long turn) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.broker().bootstrapServers());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        var deserializer = WmSerdes.replies().deserializer();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(trial.repliesTopic(), Duration.ofSeconds(30))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            int answers = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                assertThat(System.nanoTime()).as("reading the replies topic to its end").isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Reply reply = deserializer.deserialize(record.topic(), record.value());
                    Long replied = reply.inReplyTo().turn();
                    if (reply.conversationId().equals(id) && replied != null && replied == turn) {
                        answers++;
                    }
                }
            }
            return answers;
        }
    }
}
