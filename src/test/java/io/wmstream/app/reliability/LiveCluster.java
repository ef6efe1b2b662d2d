package io.wmstream.app.reliability;

import io.wmstream.app.broker.TopicCreator;
import io.wmstream.topology.WorkingMemoryTopology;
import io.wmstream.topology.config.WmConfig;
import io.wmstream.topology.processor.WorkingMemoryStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One application on a real broker, as the reliability tests drive it: its topics (under a prefix of its own),
 * instances in their own JVMs, a real producer of the input, and what the cluster holds afterwards (committed
 * outputs, the working-memory changelog, the group's members and lag).
 */
final class LiveCluster implements AutoCloseable {
    private final String bootstrapServers;
    private final String prefix;
    private final String appId;
    private final int partitions;
    private final Path dir;
    private final Admin admin;
    private final List<AppInstance> instances = new ArrayList<>();
    private final Map<String, Supplier<String>> diagnoses = new LinkedHashMap<>();

    LiveCluster(String bootstrapServers, String name, int partitions, Path dir) throws Exception {
        this.bootstrapServers = bootstrapServers;
        this.prefix = name + ".";
        this.appId = name + "-app";
        this.partitions = partitions;
        this.dir = dir;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        // Created before any instance starts, so that producers never meet a missing topic.
        new TopicCreator(admin).createMissing(new WmConfig(Map.of(WmConfig.TOPIC_PREFIX_CONFIG, prefix,
                WmConfig.TOPIC_PARTITIONS_CONFIG, Integer.toString(partitions))));
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    String topic(String name) {
        return prefix + name;
    }

    String prefix() {
        return prefix;
    }

    int partitions() {
        return partitions;
    }

    /** Every partition number of the application's topics. */
    Set<Integer> allPartitions() {
        Set<Integer> all = new TreeSet<>();
        for (int p = 0; p < partitions; p++) {
            all.add(p);
        }
        return all;
    }

    /**
     * A new instance, not started: a static group member ({@code group.instance.id} = its name), with
     * {@code settings} added.
     */
    AppInstance instance(String name, String... settings) throws Exception {
        List<String> all = new ArrayList<>(List.of("kafka.group.instance.id=" + name));
        all.addAll(List.of(settings));
        AppInstance instance = new AppInstance(name, dir, bootstrapServers, appId, prefix, partitions, all);
        instances.add(instance);
        return instance;
    }

    /** Sends {@code lines} with a real idempotent producer, keyed by conversation; returns once all are acked. */
    void produce(List<SyntheticConversations.Line> lines) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            produce(producer, lines);
        }
    }

    /**
     * Sends records as they are (keys and values may be anything, null included), in order, and returns where each
     * landed once all are acked.
     */
    List<RecordMetadata> send(List<ProducerRecord<byte[], byte[]>> records) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            return send(producer, records);
        }
    }

    /** Sends {@code lines} on {@code producer}, keyed by conversation; returns once all are acked. */
    void produce(KafkaProducer<byte[], byte[]> producer, List<SyntheticConversations.Line> lines) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (SyntheticConversations.Line line : lines) {
            records.add(new ProducerRecord<>(topic("conversation-events"), utf8(line.conversationId()),
                    utf8(line.json())));
        }
        send(producer, records);
    }

    private static List<RecordMetadata> send(KafkaProducer<byte[], byte[]> producer,
            List<ProducerRecord<byte[], byte[]>> records) {
        try {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (ProducerRecord<byte[], byte[]> record : records) {
                sent.add(producer.send(record));
            }
            producer.flush();
            List<RecordMetadata> landed = new ArrayList<>();
            for (Future<RecordMetadata> future : sent) {
                landed.add(future.get(300, TimeUnit.SECONDS));
            }
            return landed;
        } catch (Exception e) {
            throw new IllegalStateException("producing failed", e);
        }
    }

    /**
     * An idempotent producer for this cluster. One kept across a broker restart rides it out (its records wait and
     * are retried); see {@code BrokerRestartIntegrationTest} for why a new one is not started while it is down.
     */
    KafkaProducer<byte[], byte[]> producer() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        // Long enough to ride out a broker restart: the records wait in the producer and are retried.
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * A reader of everything committed to {@code conversation-<name>}; a wait of it that times out reports the
     * {@link #diagnosis} of that topic.
     */
    CommittedRecords committed(String name) {
        return new CommittedRecords(bootstrapServers, topic(name), partitions, () -> diagnosis(name));
    }

    /** Adds a section to every {@link #diagnosis}, e.g. the last lines of a broker's log. */
    void alsoDiagnose(String title, Supplier<String> section) {
        diagnoses.put(title, section);
    }

    /**
     * What a failing wait for {@code conversation-<name>} should show, as text: the topic's committed and written
     * ends, the transactions still open on it, the input lag, and each instance's state and last lines of stderr. A
     * part that cannot be read says why instead.
     */
    String diagnosis(String name) {
        StringBuilder text = new StringBuilder("--- diagnosis of ").append(topic(name)).append('\n');
        section(text, "ends (last stable / log end)", () -> {
            Map<Integer, Long> stable = committedEnds(name);
            Map<Integer, Long> written = ends(topic(name), IsolationLevel.READ_UNCOMMITTED);
            StringBuilder ends = new StringBuilder();
            stable.forEach((p, offset) -> ends.append(p).append(": ").append(offset).append(" / ")
                    .append(written.get(p)).append("; "));
            return ends.toString();
        });
        section(text, "open transactions", () -> openTransactions(name));
        section(text, "input lag", () -> Long.toString(inputLag()));
        for (AppInstance instance : instances) {
            section(text, instance.name() + (instance.alive() ? " (alive)" : " (not running)") + ", stderr",
                    () -> "\n" + instance.stderrTail());
        }
        diagnoses.forEach((title, section) -> section(text, title, section::get));
        return text.toString();
    }

    private interface Section {
        String read() throws Exception;
    }

    private static void section(StringBuilder text, String title, Section section) {
        text.append(title).append(": ");
        try {
            text.append(section.read());
        } catch (Exception e) {
            text.append("(cannot tell: ").append(e).append(')');
        }
        text.append('\n');
    }

    /** The producers with a transaction open on a partition of {@code conversation-<name>}, and where it began. */
    private String openTransactions(String name) throws Exception {
        List<TopicPartition> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            all.add(new TopicPartition(topic(name), p));
        }
        StringBuilder open = new StringBuilder();
        admin.describeProducers(all).all().get(30, TimeUnit.SECONDS).forEach((partition, producers) -> producers
                .activeProducers().stream().filter(state -> state.currentTransactionStartOffset().isPresent())
                .forEach(state -> open.append(partition.partition()).append(": producer ")
                        .append(state.producerId()).append(" epoch ").append(state.producerEpoch())
                        .append(" from offset ").append(state.currentTransactionStartOffset().getAsLong())
                        .append(", last write ").append(state.lastTimestamp()).append("; ")));
        return open.isEmpty() ? "none" : open.toString();
    }

    /**
     * Each conversation's working memory as the committed changelog of the memory store ends: the last value per
     * key, deleted ones left out.
     */
    Map<String, byte[]> finalMemories() throws Exception {
        String changelog = appId + "-" + WorkingMemoryStores.MEMORY_STORE + "-changelog";
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, byte[]> memories = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> all = consumer.partitionsFor(changelog, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(changelog, p.partition())).toList();
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<TopicPartition, Long> ends = consumer.endOffsets(all);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (all.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the changelog " + changelog + " was not read within 2 minutes");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    String key = new String(record.key(), StandardCharsets.UTF_8);
                    if (record.value() == null) {
                        memories.remove(key);
                    } else {
                        memories.put(key, record.value());
                    }
                }
            }
        }
        return memories;
    }

    /** The input partitions each static member of the group holds now, by member id (the instance's name). */
    Map<String, Set<Integer>> assignments() throws Exception {
        Map<String, Set<Integer>> byMember = new TreeMap<>();
        for (MemberDescription member : admin.describeConsumerGroups(List.of(appId)).describedGroups().get(appId)
                .get(30, TimeUnit.SECONDS).members()) {
            String id = member.groupInstanceId().orElse(member.consumerId());
            // Streams names a thread's static id <group.instance.id>-<thread index>.
            String instance = id.replaceFirst("-\\d+$", "");
            Set<Integer> held = byMember.computeIfAbsent(instance, k -> new TreeSet<>());
            member.assignment().topicPartitions().stream()
                    .filter(p -> p.topic().equals(topic("conversation-events")))
                    .forEach(p -> held.add(p.partition()));
        }
        return byMember;
    }

    /** The last stable offset of each partition of {@code conversation-<name>}: what read_committed sees. */
    Map<Integer, Long> committedEnds(String name) throws Exception {
        return ends(topic(name), IsolationLevel.READ_COMMITTED);
    }

    /** The end of each partition of {@code topic} as a reader at {@code isolation} sees it. */
    private Map<Integer, Long> ends(String topic, IsolationLevel isolation) throws Exception {
        Map<TopicPartition, OffsetSpec> query = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            query.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<Integer, Long> ends = new TreeMap<>();
        admin.listOffsets(query, new ListOffsetsOptions(isolation)).all().get(30, TimeUnit.SECONDS)
                .forEach((partition, info) -> ends.put(partition.partition(), info.offset()));
        return ends;
    }

    /**
     * The application's lag on its input: log end offsets minus the group's committed offsets, summed over the input
     * topic and the repartition topic through which every accepted event reaches the working-memory processor (a
     * backlog waiting for the model stays there, not in the input topic).
     */
    long inputLag() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(appId)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        long lag = 0;
        for (String input : List.of(topic("conversation-events"),
                appId + "-" + WorkingMemoryTopology.REKEY_TOPIC + "-repartition")) {
            if (input.endsWith("-repartition") && !admin.listTopics().names().get(30, TimeUnit.SECONDS)
                    .contains(input)) {
                continue; // not created yet: nothing was accepted
            }
            for (var end : ends(input, IsolationLevel.READ_UNCOMMITTED).entrySet()) {
                OffsetAndMetadata at = committed.get(new TopicPartition(input, end.getKey()));
                lag += end.getValue() - (at == null ? 0 : at.offset());
            }
        }
        return lag;
    }

    static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        for (AppInstance instance : instances) {
            instance.close();
        }
        admin.close(Duration.ofSeconds(10));
    }
}
