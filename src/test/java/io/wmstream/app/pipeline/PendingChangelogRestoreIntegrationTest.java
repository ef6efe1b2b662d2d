package io.wmstream.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.app.bench.NoOpModel;
import io.wmstream.app.broker.EmbeddedKafka;
import io.wmstream.model.ModelInfo;
import io.wmstream.topology.WorkingMemoryTopology;
import io.wmstream.topology.config.TopologySettings;
import io.wmstream.topology.config.WmConfig;
import io.wmstream.topology.processor.WorkingMemoryStores;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 26, point 4: the pending-events changelog holds a put and a delete for every accepted event, and its
 * configuration ({@link WorkingMemoryStores#PENDING_CHANGELOG_CONFIG}) lets the log cleaner remove the puts, so a
 * restore does not replay every event twice; the working-memory changelog's segments
 * ({@link WorkingMemoryStores#MEMORY_CHANGELOG_CONFIG}) let it keep about one memory per conversation instead of one
 * per event. A real in-process broker, the real topology on RocksDB, a no-op model
 * (the model plays no part in what the changelog holds, and the real one would take minutes for 100,000 events).
 */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PendingChangelogRestoreIntegrationTest {
    private static final String APP = "pending-restore-app";
    private static final String PREFIX = "restore.";
    private static final String PENDING_CHANGELOG = APP + "-" + WorkingMemoryStores.PENDING_STORE + "-changelog";
    private static final String MEMORY_CHANGELOG = APP + "-" + WorkingMemoryStores.MEMORY_STORE + "-changelog";
    private static final int CONVERSATIONS = 1_000;
    private static final int TURNS = 100;
    private static final int EVENTS = CONVERSATIONS * TURNS;
    private static final ModelInfo NO_OP = new ModelInfo("no-op", "1.0.0", 1, 16, 64);

    @TempDir
    Path dir;

    private final Map<String, Long> restored = new ConcurrentHashMap<>();

    @Test
    void shouldRestoreThePendingStoreFromFarFewerRecordsThanAPutAndADeletePerEventAndTheMemoriesFromAboutOneEach()
            throws Exception {
        // Given a broker whose log cleaner looks every 200 ms, and the pipeline as Kafka Streams creates its
        // changelogs, except that both changelogs roll a segment every second instead of every ten minutes: the
        // log cleaner never compacts the active segment, and a test cannot wait ten minutes for it to roll
        long started = System.nanoTime();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(Map.of("log.cleaner.backoff.ms", "200"))) {
            WmConfig config = config(kafka);
            try (PipelineSession first = start(config)) {
                assertThat(topicConfig(kafka, PENDING_CHANGELOG)).containsAllEntriesOf(
                        WorkingMemoryStores.PENDING_CHANGELOG_CONFIG);
                assertThat(topicConfig(kafka, MEMORY_CHANGELOG)).containsAllEntriesOf(
                        WorkingMemoryStores.MEMORY_CHANGELOG_CONFIG);
                setTopicConfig(kafka, PENDING_CHANGELOG, "segment.ms", "1000");
                setTopicConfig(kafka, MEMORY_CHANGELOG, "segment.ms", "1000");

                // When 100,000 events of 1,000 conversations run through it
                produce(kafka);
                awaitConsumed(kafka, Duration.ofSeconds(120));
                assertThat(first.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
            }
            long processed = System.nanoTime();
            // And the log cleaner has removed the puts of the pending changelog's rolled segments and the older
            // memories of the working-memory changelog's
            awaitCompaction(kafka, Duration.ofSeconds(30));
            awaitMemoryCompaction(kafka, Duration.ofSeconds(30));
            long compacted = System.nanoTime();

            // And the instance starts again on an empty state directory (a lost disk, or exactly-once's wipe of a
            // store after a crash)
            deleteRecursively(dir.resolve("state"));
            restored.clear();
            long restarted = System.nanoTime();
            try (PipelineSession second = start(config)) {
                double restoreSeconds = (System.nanoTime() - restarted) / 1e9;
                long pendingRestored = restored.getOrDefault(WorkingMemoryStores.PENDING_STORE, 0L);
                long memoryRestored = restored.getOrDefault(WorkingMemoryStores.MEMORY_STORE, 0L);
                System.out.println(String.format(Locale.ROOT, "PENDING RESTORE after %d events: pending store "
                        + "restored %d records (of %d written), working memory %d; changelog now %d records, %d "
                        + "puts; broker start, events in and processed %.1f s, compaction %.1f s, restart %.1f s",
                        EVENTS, pendingRestored, 2L * EVENTS, memoryRestored,
                        changelogRecords(kafka, PENDING_CHANGELOG, false),
                        changelogRecords(kafka, PENDING_CHANGELOG, true), (processed - started) / 1e9,
                        (compacted - processed) / 1e9, restoreSeconds));

                // Then the pending store's restore read the tombstones (kept an hour, delete.retention.ms) and the
                // puts of the uncompacted tail, not a put and a delete per event
                assertThat(pendingRestored).isLessThan(EVENTS + EVENTS / 5);
                // And the working memory's restore read about one memory per conversation and the uncompacted
                // tail, not a memory per event (100,000 with Kafka's default segments)
                assertThat(memoryRestored).isLessThan(EVENTS / 10);
                assertThat(second.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
            }
        }
    }

    private PipelineSession start(WmConfig config) throws Exception {
        StateRestoreListener counting = new StateRestoreListener() {
            @Override
            public void onRestoreStart(TopicPartition partition, String store, long startOffset, long endOffset) {
            }

            @Override
            public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset,
                    long numRestored) {
            }

            @Override
            public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
                restored.merge(store, totalRestored, Long::sum);
            }
        };
        PipelineFactory factory = (settings, streamsProperties) -> {
            Properties properties = WorkingMemoryTopology.streamsProperties(settings);
            properties.putAll(streamsProperties);
            var streams = new KafkaStreams(WorkingMemoryTopology.build(TopologySettings.from(settings),
                    new NoOpModel(NO_OP)), properties);
            streams.setGlobalStateRestoreListener(counting);
            return Pipeline.of(streams, () -> { });
        };
        return PipelineSession.start(config, factory,
                new PipelineSession.Options(false, Duration.ofMinutes(2), Duration.ofSeconds(30)),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    private WmConfig config(EmbeddedKafka kafka) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        settings.put("kafka.application.id", APP);
        settings.put("kafka.state.dir", dir.resolve("state").toString());
        settings.put(WmConfig.TOPIC_PREFIX_CONFIG, PREFIX);
        // One partition: one pending changelog partition, one restore to count.
        settings.put(WmConfig.TOPIC_PARTITIONS_CONFIG, "1");
        return new WmConfig(settings);
    }

    /** Every conversation's turns in order, the conversations interleaved; user and agent alternate. */
    private static void produce(EmbeddedKafka kafka) throws Exception {
        Properties properties = client(kafka);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(),
                new StringSerializer())) {
            for (int turn = 0; turn < TURNS; turn++) {
                for (int conversation = 0; conversation < CONVERSATIONS; conversation++) {
                    String id = "guest-" + conversation;
                    String text = turn % 2 == 0 ? "Is there a quiet room free on night " + turn + "?"
                            : "Yes, room " + (conversation + turn) + " is free that night.";
                    producer.send(new ProducerRecord<>(PREFIX + "conversation-events", id, "{\"conversationId\":\""
                            + id + "\",\"turn\":" + turn + ",\"speaker\":\"" + (turn % 2 == 0 ? "user" : "agent")
                            + "\",\"text\":\"" + text + "\"}"));
                }
            }
            producer.flush();
        }
    }

    /** Waits until the application has committed its input position at the end of the input. */
    private static void awaitConsumed(EmbeddedKafka kafka, Duration timeout) throws Exception {
        TopicPartition input = new TopicPartition(PREFIX + "conversation-events", 0);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(client(kafka))) {
            while (true) {
                OffsetAndMetadata committed = admin.listConsumerGroupOffsets(APP).partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS).get(input);
                if (committed != null && committed.offset() >= EVENTS) {
                    return;
                }
                assertThat(System.nanoTime()).as("input consumed up to %s of %d", committed, EVENTS)
                        .isLessThan(deadline);
                Thread.sleep(500);
            }
        }
    }

    /** Waits until the log cleaner has removed all but a tenth of the pending changelog's puts. */
    private static void awaitCompaction(EmbeddedKafka kafka, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long puts;
        while ((puts = changelogRecords(kafka, PENDING_CHANGELOG, true)) >= EVENTS / 10) {
            assertThat(System.nanoTime()).as("%d puts still in the pending changelog", puts).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    /** Waits until the working-memory changelog holds fewer records than a tenth of the memories written. */
    private static void awaitMemoryCompaction(EmbeddedKafka kafka, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long records;
        while ((records = changelogRecords(kafka, MEMORY_CHANGELOG, false)) >= EVENTS / 10) {
            assertThat(System.nanoTime()).as("%d records still in the working-memory changelog", records)
                    .isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    /** A changelog's committed records now; {@code putsOnly}: those with a value. */
    private static long changelogRecords(EmbeddedKafka kafka, String topic, boolean putsOnly) {
        Properties properties = client(kafka);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        TopicPartition partition = new TopicPartition(topic, 0);
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (!putsOnly || record.value() != null) {
                        count++;
                    }
                }
            }
        }
        return count;
    }

    private static Map<String, String> topicConfig(EmbeddedKafka kafka, String topic) throws Exception {
        try (Admin admin = Admin.create(client(kafka))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
            Map<String, String> values = new HashMap<>();
            config.entries().forEach(entry -> values.put(entry.name(), entry.value()));
            return values;
        }
    }

    private static void setTopicConfig(EmbeddedKafka kafka, String topic, String name, String value)
            throws Exception {
        try (Admin admin = Admin.create(client(kafka))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(new ConfigEntry(name, value),
                    AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static void deleteRecursively(Path root) throws Exception {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
        assertThat(root).doesNotExist();
    }

    private static Properties client(EmbeddedKafka kafka) {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", kafka.bootstrapServers());
        return properties;
    }
}
