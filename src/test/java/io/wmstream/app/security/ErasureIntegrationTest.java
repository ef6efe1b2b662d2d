package io.wmstream.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.app.broker.EmbeddedKafka;
import io.wmstream.app.config.StreamsSettings;
import io.wmstream.app.demo.OutputWatcher;
import io.wmstream.app.pipeline.PipelineSession;
import io.wmstream.app.pipeline.TopologyPipelineFactory;
import io.wmstream.schemas.output.SummaryKind;
import io.wmstream.topology.config.WmConfig;
import io.wmstream.topology.processor.WorkingMemoryStores;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code forget} on a real broker with the real topology and model: the conversation leaves every store, its
 * changelog entries are tombstoned and, once the log cleaner has compacted them, no value of it is left to read; the
 * memory query answers 404; nothing later mentions it; forgetting an unknown conversation is harmless.
 */
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ErasureIntegrationTest {
    private static final String APP = "erasure-app";
    private static final String PREFIX = "erase.";
    private static final String FORGOTTEN = "attic-4";
    /** Words only the forgotten conversation says, to look for in stores, changelogs and outputs. */
    private static final String SECRET_WORDS = "spare key under the green heron statue";
    private static final String OTHER = "ferry-8";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void givenAConversationWithMemory_whenForgotten_thenStoresChangelogsQueriesAndLaterOutputsHoldNothingOfIt()
            throws Exception {
        // Given a broker whose log cleaner looks often, the pipeline with a short idle expiry, and a conversation
        try (EmbeddedKafka kafka = EmbeddedKafka.start(Map.of("log.cleaner.backoff.ms", "200"));
                PipelineSession session = PipelineSession.start(config(kafka), new TopologyPipelineFactory(),
                        new PipelineSession.Options(true, Duration.ofMinutes(2), Duration.ofSeconds(30)),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
                KafkaProducer<String, String> producer = producer(kafka);
                OutputWatcher watcher = new OutputWatcher(client(kafka), PREFIX + "conversation-replies",
                        PREFIX + "conversation-summaries")) {
            List<OutputWatcher.Output> outputs = new ArrayList<>();
            send(producer, FORGOTTEN, utterance(FORGOTTEN, 0, "user", "Where did I leave the " + SECRET_WORDS + "?"));
            send(producer, FORGOTTEN, utterance(FORGOTTEN, 1, "agent", "You said the " + SECRET_WORDS + "."));
            send(producer, FORGOTTEN, utterance(FORGOTTEN, 2, "user", "Good, remember the " + SECRET_WORDS + "."));
            send(producer, OTHER, utterance(OTHER, 0, "user", "When does the first ferry leave?"));
            await(watcher, outputs, o -> o instanceof OutputWatcher.ReplyOutput, 3);
            URI memory = URI.create("http://127.0.0.1:" + httpPort(session) + "/conversations/" + FORGOTTEN);
            assertThat(get(memory).body()).contains("heron");

            // When it is forgotten, and a conversation never seen is forgotten too
            send(producer, FORGOTTEN, "{\"type\":\"forget\",\"conversationId\":\"" + FORGOTTEN + "\"}");
            send(producer, "never-seen-3", "{\"type\":\"forget\",\"conversationId\":\"never-seen-3\"}");
            await(watcher, outputs, o -> o instanceof OutputWatcher.SummaryOutput s
                    && s.summary().kind() == SummaryKind.FORGOTTEN, 2);
            int forgottenAt = outputs.size();

            // Then no store holds anything of it, and the memory query answers 404
            KafkaStreams streams = session.streams();
            assertThat(memoryStore(streams).get(FORGOTTEN)).isNull();
            assertThat(memoryStore(streams).get("never-seen-3")).isNull();
            assertThat(pendingValues(streams)).noneMatch(value -> value.contains(SECRET_WORDS));
            assertThat(get(memory).statusCode()).isEqualTo(404);
            assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);

            // And each changelog ends with a tombstone for every entry that held it
            String memoryChangelog = APP + "-" + WorkingMemoryStores.MEMORY_STORE + "-changelog";
            String pendingChangelog = APP + "-" + WorkingMemoryStores.PENDING_STORE + "-changelog";
            List<ConsumerRecord<byte[], byte[]>> memoryLog = readAll(kafka, memoryChangelog);
            assertThat(memoryLog).filteredOn(r -> key(r).equals(FORGOTTEN)).isNotEmpty().last()
                    .satisfies(r -> assertThat(r.value()).isNull());
            List<ConsumerRecord<byte[], byte[]>> pendingLog = readAll(kafka, pendingChangelog);
            List<String> pendingKeysOfIt = pendingLog.stream().filter(r -> text(r).contains(SECRET_WORDS))
                    .map(ErasureIntegrationTest::key).distinct().toList();
            assertThat(pendingKeysOfIt).isNotEmpty().allSatisfy(key -> assertThat(pendingLog)
                    .filteredOn(r -> key(r).equals(key)).last().satisfies(r -> assertThat(r.value()).isNull()));

            // And both changelogs are compacted within a bounded lag (a day by default; a second here, as an
            // operator may set it), so the log cleaner removes the erased values
            for (String changelog : List.of(memoryChangelog, pendingChangelog)) {
                assertThat(topicConfig(kafka, changelog, "cleanup.policy")).isEqualTo("compact");
                assertThat(topicConfig(kafka, changelog, "max.compaction.lag.ms")).isEqualTo(Long.toString(
                        StreamsSettings.ERASURE_MAX_COMPACTION_LAG_MS));
                setTopicConfig(kafka, changelog, "max.compaction.lag.ms", "1000");
            }
            int turn = 1;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!erasedFromChangelogs(kafka, memoryChangelog, pendingChangelog)) {
                assertThat(System.nanoTime()).as("erased values still in the changelogs after 60 s")
                        .isLessThan(deadline);
                // Appends roll the segments the cleaner may then compact.
                send(producer, OTHER, utterance(OTHER, turn++, "agent", "The next one is at " + turn + " o'clock."));
                Thread.sleep(500);
            }

            // And nothing emitted after the acknowledgement mentions it, through the other's idle expiry
            await(watcher, outputs, o -> o instanceof OutputWatcher.SummaryOutput s
                    && s.summary().kind() == SummaryKind.FINAL && s.summary().conversationId().equals(OTHER), 1);
            assertThat(outputs.subList(forgottenAt, outputs.size())).isNotEmpty()
                    .noneMatch(o -> o.conversationId().equals(FORGOTTEN) || o.toString().contains("heron"));
        }
    }

    private WmConfig config(EmbeddedKafka kafka) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        settings.put("kafka.application.id", APP);
        settings.put("kafka.state.dir", dir.resolve("state").toString());
        settings.put("kafka.commit.interval.ms", "100");
        settings.put(WmConfig.TOPIC_PREFIX_CONFIG, PREFIX);
        // One partition: every record of the test lands in the changelog segments the test watches roll.
        settings.put(WmConfig.TOPIC_PARTITIONS_CONFIG, "1");
        settings.put(WmConfig.HTTP_PORT_CONFIG, "0");
        settings.put(WmConfig.IDLE_CLOCK_CONFIG, "wall");
        settings.put(WmConfig.IDLE_EXPIRY_MS_CONFIG, "4000");
        return new WmConfig(settings);
    }

    private static int httpPort(PipelineSession session) {
        InetSocketAddress address = session.httpAddress();
        return address.getPort();
    }

    private static String utterance(String id, int turn, String speaker, String text) {
        return "{\"conversationId\":\"" + id + "\",\"turn\":" + turn + ",\"speaker\":\"" + speaker
                + "\",\"text\":\"" + text + "\"}";
    }

    private static void send(KafkaProducer<String, String> producer, String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(PREFIX + "conversation-events", key, value)).get(30, TimeUnit.SECONDS);
    }

    private static void await(OutputWatcher watcher, List<OutputWatcher.Output> outputs,
            Predicate<OutputWatcher.Output> wanted, long count) {
        boolean done = watcher.watch(outputs::add, () -> outputs.stream().filter(wanted).count() >= count,
                Duration.ofSeconds(60));
        assertThat(done).as("outputs so far: %s", outputs).isTrue();
    }

    private static ReadOnlyKeyValueStore<String, byte[]> memoryStore(KafkaStreams streams) {
        return streams.store(StoreQueryParameters.fromNameAndType(WorkingMemoryStores.MEMORY_STORE,
                QueryableStoreTypes.<String, byte[]>keyValueStore()));
    }

    private static List<String> pendingValues(KafkaStreams streams) {
        ReadOnlyKeyValueStore<Long, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(
                WorkingMemoryStores.PENDING_STORE, QueryableStoreTypes.<Long, byte[]>keyValueStore()));
        List<String> values = new ArrayList<>();
        try (KeyValueIterator<Long, byte[]> all = store.all()) {
            all.forEachRemaining(entry -> values.add(new String(entry.value, StandardCharsets.UTF_8)));
        }
        return values;
    }

    /** True when no record of either changelog still holds a value of the forgotten conversation. */
    private static boolean erasedFromChangelogs(EmbeddedKafka kafka, String memoryChangelog, String pendingChangelog) {
        boolean memoryErased = readAll(kafka, memoryChangelog).stream()
                .noneMatch(r -> key(r).equals(FORGOTTEN) && r.value() != null);
        boolean pendingErased = readAll(kafka, pendingChangelog).stream()
                .noneMatch(r -> text(r).contains(SECRET_WORDS));
        return memoryErased && pendingErased;
    }

    /** Every committed record of {@code topic}, from the beginning to its end, as a restoring instance reads it. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(EmbeddedKafka kafka, String topic) {
        Properties properties = client(kafka);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                assertThat(System.nanoTime()).as("reading %s", topic).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static String topicConfig(EmbeddedKafka kafka, String topic, String name) throws Exception {
        try (Admin admin = Admin.create(client(kafka))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
            return config.get(name).value();
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

    /** A key as text; ISO-8859-1 maps every byte to one character, so binary keys (sequences) stay distinct. */
    private static String key(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? "" : new String(record.key(), StandardCharsets.ISO_8859_1);
    }

    private static String text(ConsumerRecord<byte[], byte[]> record) {
        return record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8);
    }

    private static Properties client(EmbeddedKafka kafka) {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", kafka.bootstrapServers());
        return properties;
    }

    private static KafkaProducer<String, String> producer(EmbeddedKafka kafka) {
        return new KafkaProducer<>(client(kafka), new StringSerializer(), new StringSerializer());
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
