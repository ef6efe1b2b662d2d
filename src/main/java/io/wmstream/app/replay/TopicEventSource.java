package io.wmstream.app.replay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A range of a topic on a live cluster, read committed, one partition after another in partition order: a
 * conversation lives in one partition, so its order is kept, and the order of the whole replay does not depend on
 * how the broker interleaves partitions in a poll.
 */
final class TopicEventSource implements EventSource {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final Map<TopicPartition, Long> starts;
    private final Map<TopicPartition, Long> ends;
    private int current = -1;
    private Iterator<ConsumerRecord<byte[], byte[]>> polled = List.<ConsumerRecord<byte[], byte[]>>of().iterator();
    private long read;
    private final long total;

    /** The range: offsets (inclusive start, exclusive end) or times (epoch ms); null means the topic's bounds. */
    record Range(Long fromOffset, Long toOffset, Long fromTime, Long toTime) {
    }

    TopicEventSource(Properties clientProperties, String topic, Range range) {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("topic " + topic + " does not exist");
            }
            this.partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition()))
                    .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
            Map<TopicPartition, Long> first = consumer.beginningOffsets(partitions, TIMEOUT);
            Map<TopicPartition, Long> last = consumer.endOffsets(partitions, TIMEOUT);
            this.starts = bound(first, last, range.fromOffset(), range.fromTime(), first);
            this.ends = bound(first, last, range.toOffset(), range.toTime(), last);
            long sum = 0;
            for (TopicPartition partition : partitions) {
                sum += Math.max(0, ends.get(partition) - starts.get(partition));
            }
            this.total = sum;
        } catch (RuntimeException e) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            throw e;
        }
    }

    private Map<TopicPartition, Long> bound(Map<TopicPartition, Long> first, Map<TopicPartition, Long> last,
            Long offset, Long time, Map<TopicPartition, Long> otherwise) {
        Map<TopicPartition, Long> bounds = new HashMap<>();
        Map<TopicPartition, OffsetAndTimestamp> byTime = null;
        if (time != null) {
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(p -> query.put(p, time));
            byTime = consumer.offsetsForTimes(query, TIMEOUT);
        }
        for (TopicPartition partition : partitions) {
            long bound;
            if (offset != null) {
                bound = offset;
            } else if (byTime != null) {
                OffsetAndTimestamp found = byTime.get(partition);
                bound = found == null ? last.get(partition) : found.offset();
            } else {
                bound = otherwise.get(partition);
            }
            bounds.put(partition, Math.max(first.get(partition), Math.min(last.get(partition), bound)));
        }
        return bounds;
    }

    @Override
    public boolean recordTimes() {
        return true;
    }

    @Override
    public SourceRecord next() {
        while (true) {
            while (polled.hasNext()) {
                ConsumerRecord<byte[], byte[]> record = polled.next();
                if (record.offset() < ends.get(partitions.get(current))) {
                    read++;
                    return new SourceRecord(record.value(), record.timestamp());
                }
            }
            if (current >= 0 && consumer.position(partitions.get(current), TIMEOUT)
                    < ends.get(partitions.get(current))) {
                polled = consumer.poll(POLL).iterator();
                continue;
            }
            if (++current >= partitions.size()) {
                return null;
            }
            TopicPartition partition = partitions.get(current);
            consumer.assign(List.of(partition));
            consumer.seek(partition, starts.get(partition));
            polled = new ArrayList<ConsumerRecord<byte[], byte[]>>().iterator();
        }
    }

    @Override
    public double done() {
        return total > 0 ? Math.min(1, (double) read / total) : 0;
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
