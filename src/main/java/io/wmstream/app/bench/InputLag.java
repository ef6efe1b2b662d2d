package io.wmstream.app.bench;

import io.wmstream.topology.WorkingMemoryTopology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a pipeline's committed input offsets are behind its input: turns that get no reply (a greeting) are done
 * when the group has committed past them, in the input topic and in the repartition topic through which every
 * accepted event reaches the working-memory processor (the input's own offsets are committed as soon as an event
 * is written there).
 */
final class InputLag implements AutoCloseable {
    private final Admin admin;
    private final String groupId;
    private final List<String> topics;

    /** The lag of application {@code groupId} on its input {@code topic}. */
    InputLag(Properties clients, String groupId, String topic) {
        this.admin = Admin.create(clients);
        this.groupId = groupId;
        this.topics = List.of(topic, groupId + "-" + WorkingMemoryTopology.REKEY_TOPIC + "-repartition");
    }

    /** Records appended to the input and repartition topics and not yet committed by the pipeline. */
    long records() throws InterruptedException {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            // The repartition topic is created by Kafka Streams when the pipeline starts.
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            var partitions = admin.describeTopics(topics.stream().filter(existing::contains).toList())
                    .allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                    .flatMap(description -> description.partitions().stream()
                            .map(p -> new TopicPartition(description.name(), p.partition())))
                    .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(partitions).all()
                    .get(30, TimeUnit.SECONDS);
            long lag = 0;
            for (var end : ends.entrySet()) {
                OffsetAndMetadata at = committed.get(end.getKey());
                lag += end.getValue().offset() - (at == null ? 0 : at.offset());
            }
            return lag;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the pipeline's lag: " + e.getMessage(), e);
        }
    }

    /** Waits until the lag is zero. */
    void awaitZero(Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (records() > 0) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("the pipeline did not catch up with its input within "
                        + timeout.toSeconds() + " s");
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
