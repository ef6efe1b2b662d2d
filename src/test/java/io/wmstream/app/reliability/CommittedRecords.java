package io.wmstream.app.reliability;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Everything committed to one topic, read from the beginning by a read_committed consumer on a thread of its own
 * while a test runs, each record with the moment it was seen (for recovery times).
 */
final class CommittedRecords implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final List<Seen> seen = new ArrayList<>();
    private final Supplier<String> diagnosis;
    private volatile RuntimeException failure;

    /** One record and when this reader got it ({@link System#nanoTime()}). */
    record Seen(int partition, long offset, byte[] key, byte[] value, long seenNanos,
            ConsumerRecord<byte[], byte[]> record) {
    }

    /**
     * @param diagnosis what a timed-out wait adds to its failure message: the state of whatever should have written
     *     the records (a CI log is all there is to go on afterwards)
     */
    CommittedRecords(String bootstrapServers, String topic, int partitions, Supplier<String> diagnosis) {
        this.diagnosis = diagnosis;
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> assigned = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            assigned.add(new TopicPartition(topic, p));
        }
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        thread = new Thread(this::readAll, "committed-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void readAll() {
        try {
            while (true) {
                var records = consumer.poll(Duration.ofMillis(100));
                long now = System.nanoTime();
                synchronized (seen) {
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        seen.add(new Seen(record.partition(), record.offset(), record.key(), record.value(), now,
                                record));
                    }
                    seen.notifyAll();
                }
            }
        } catch (WakeupException e) {
            // closed
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close();
        }
    }

    int count() {
        synchronized (seen) {
            return seen.size();
        }
    }

    /** Waits until at least {@code count} records were read; fails after {@code timeout}. */
    void awaitCount(int count, Duration timeout) throws InterruptedException {
        awaitMatch(records -> records.size() >= count, timeout, "at least " + count + " records");
    }

    /**
     * Waits for the first record at or after {@code marks} (partition -> offset) in one of {@code partitions}, and
     * returns when it was seen.
     */
    long awaitFirstAfter(Map<Integer, Long> marks, Set<Integer> partitions, Duration timeout)
            throws InterruptedException {
        Predicate<Seen> isNew = s -> partitions.contains(s.partition()) && s.offset() >= marks.getOrDefault(
                s.partition(), 0L);
        awaitMatch(records -> records.stream().anyMatch(isNew), timeout, "a record after " + marks);
        synchronized (seen) {
            return seen.stream().filter(isNew).mapToLong(Seen::seenNanos).min().orElseThrow();
        }
    }

    /** Reads for {@code quiet} more: a duplicate or late record would show up. */
    void settle(Duration quiet) throws InterruptedException {
        Thread.sleep(quiet.toMillis());
        check();
    }

    private void awaitMatch(Predicate<List<Seen>> done, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (seen) {
            while (!done.test(seen)) {
                check();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no " + what + " within " + timeout + "; read " + seen.size()
                            + "\n" + diagnosis.get());
                }
                seen.wait(Math.max(1, Math.min(500, left / 1_000_000)));
            }
        }
    }

    private void check() {
        if (failure != null) {
            throw new IllegalStateException("the reader failed", failure);
        }
    }

    /** Every record read so far, by key (UTF-8), each key's records in offset order. */
    Map<String, List<Seen>> byKey() {
        Map<String, List<Seen>> byKey = new LinkedHashMap<>();
        synchronized (seen) {
            Map<Integer, Long> last = new HashMap<>();
            for (Seen record : seen) {
                Long previous = last.put(record.partition(), record.offset());
                if (previous != null && previous >= record.offset()) {
                    throw new AssertionError("offsets out of order in partition " + record.partition());
                }
                String key = record.key() == null ? null : new String(record.key(),
                        StandardCharsets.UTF_8);
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(record);
            }
        }
        return byKey;
    }

    /** Every record read so far, in the order read. */
    List<Seen> all() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    @Override
    public void close() {
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
