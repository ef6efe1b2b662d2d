package io.wmstream.app.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.wmstream.app.Main;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.testing.Console;
import io.wmstream.app.testing.EchoPipelineFactory;
import io.wmstream.topology.config.WmConfig;
import io.wmstream.app.testing.EmbeddedKafkaExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker, the topic creator and {@code wmstream produce} against real clients. */
@Tag("integration")
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class EmbeddedKafkaIntegrationTest {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path dir;

    @Test
    void shouldCreateTheFourTopicsOnceWithTheConfiguredPartitions() throws Exception {
        // Given a prefix and a partition count
        WmConfig config = new WmConfig(Map.of("wm.topic.prefix", "create.", "wm.topic.partitions", "4"));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            TopicCreator creator = new TopicCreator(admin);

            // When topics are created twice
            List<String> first = creator.createMissing(config);
            List<String> second = creator.createMissing(config);

            // Then the first call creates all four with four partitions and the second none
            assertThat(first).containsExactly("create.conversation-events", "create.conversation-replies",
                    "create.conversation-summaries", "create.conversation-dead-letters");
            assertThat(second).isEmpty();
            Map<String, TopicDescription> described = admin.describeTopics(first).allTopicNames().get();
            assertThat(described.values()).allSatisfy(d -> assertThat(d.partitions()).hasSize(4));
        }
    }

    @Test
    void shouldProduceAGzippedLogKeyedByConversationAndReportBadLines() throws Exception {
        // Given the topics and a gzipped log with one line that is not an event
        createTopics("produce.");
        Path log = gzip(dir.resolve("events.jsonl.gz"), """
                {"conversationId":"a","speaker":"user","text":"one"}
                {"conversationId":"b","speaker":"user","text":"two"}
                {"conversationId":"a","text":"no speaker"}
                {"conversationId":"a","type":"end"}
                """);
        Console console = new Console();

        // When wmstream produce sends it
        int code = new Main(console.context(Map.of(), new EchoPipelineFactory())).execute("produce",
                "--bootstrap-servers", KAFKA.bootstrapServers(), "--topic", "produce.conversation-events",
                log.toString());

        // Then the three valid lines arrive keyed by conversation, the bad one is reported, and the exit code says so
        assertThat(code).isEqualTo(ExitCode.FAILURE);
        assertThat(console.err()).contains("line 3: schema-violation: speaker is required for an utterance");
        assertThat(console.out()).contains("sent 3 events to produce.conversation-events").contains("1 invalid");
        List<ConsumerRecord<String, String>> records = readCommitted("produce.conversation-events", 3);
        assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("a", "b", "a");
        assertThat(records).filteredOn(r -> r.key().equals("a")).extracting(ConsumerRecord::value)
                .containsExactly("{\"conversationId\":\"a\",\"speaker\":\"user\",\"text\":\"one\"}",
                        "{\"conversationId\":\"a\",\"type\":\"end\"}");
    }

    @Test
    void shouldRefuseToProduceToAMissingTopic() throws Exception {
        Path log = Files.writeString(dir.resolve("events.jsonl"), "{\"conversationId\":\"a\",\"type\":\"end\"}\n");
        Console console = new Console();

        int code = new Main(console.context(Map.of(), new EchoPipelineFactory())).execute("produce",
                "--bootstrap-servers", KAFKA.bootstrapServers(), "--topic", "no-such-topic", log.toString());

        assertThat(code).isEqualTo(ExitCode.FAILURE);
        assertThat(console.err()).contains("topic no-such-topic does not exist").hasLineCount(1);
    }

    @Test
    void shouldServeAnExternalClient() throws Exception {
        // Given kcat, a client that shares no code with Kafka's Java clients
        assumeThat(kcatAvailable()).as("kcat is not installed (apt-get install kcat)").isTrue();
        createTopics("kcat.");

        // When kcat produces a keyed event
        Process produce = new ProcessBuilder("kcat", "-P", "-b", KAFKA.bootstrapServers(), "-t",
                "kcat.conversation-events", "-K", "|").redirectErrorStream(true).start();
        try (OutputStream stdin = produce.getOutputStream()) {
            stdin.write("k1|{\"conversationId\":\"k1\",\"type\":\"end\"}\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(produce.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(produce.exitValue()).isZero();

        // Then a Java read_committed consumer reads it, and kcat reads it back too
        assertThat(readCommitted("kcat.conversation-events", 1)).extracting(ConsumerRecord::key).containsExactly("k1");
        Process consume = new ProcessBuilder("kcat", "-C", "-b", KAFKA.bootstrapServers(), "-t",
                "kcat.conversation-events", "-e", "-f", "%k %s\\n", "-X", "isolation.level=read_committed")
                .redirectErrorStream(false).start();
        String read = new String(consume.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(consume.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(read).contains("k1 {\"conversationId\":\"k1\",\"type\":\"end\"}");
    }

    private static boolean kcatAvailable() {
        try {
            Process version = new ProcessBuilder("kcat", "-V").redirectErrorStream(true).start();
            version.getInputStream().readAllBytes();
            return version.waitFor(10, TimeUnit.SECONDS) && version.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static void createTopics(String prefix) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            new TopicCreator(admin).createMissing(new WmConfig(Map.of("wm.topic.prefix", prefix)));
        }
    }

    private static List<ConsumerRecord<String, String>> readCommitted(String topic, int count) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static Path gzip(Path file, String text) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }
}
