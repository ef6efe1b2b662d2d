package io.wmstream.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.app.Main;
import io.wmstream.app.broker.EmbeddedKafka;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.testing.Console;
import io.wmstream.app.testing.EchoPipelineFactory;
import io.wmstream.schemas.event.ConversationEventReader;
import io.wmstream.schemas.event.EventLimits;
import io.wmstream.schemas.event.ReadResult;
import io.wmstream.schemas.json.CanonicalJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code replay --from-topic}: a topic range of a live cluster as the source. */
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TopicReplayIntegrationTest {
    private static final String TOPIC = "recorded-events";

    @TempDir
    Path dir;

    @Test
    void shouldReplayATopicAsItReplaysTheSameLogFromAFile() throws Exception {
        // Given a log in a file and the same log produced to a topic of two partitions, keyed by conversation
        String text = ReplayLogs.interleaved(4, 7);
        Path log = Files.writeString(dir.resolve("log.jsonl"), text);
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            String servers = kafka.bootstrapServers();
            produce(servers, text);

            // When the file and the topic are replayed, the topic twice, and an empty range of it
            Map<String, List<JsonNode>> fromFile = byConversation(replay("file.jsonl", "--input", log.toString()));
            byte[] first = replay("topic1.jsonl", "--from-topic", TOPIC, "--bootstrap-servers", servers);
            byte[] second = replay("topic2.jsonl", "--from-topic", TOPIC, "--bootstrap-servers", servers,
                    "--set", "wm.batch.max.size=3");
            byte[] none = replay("none.jsonl", "--from-topic", TOPIC, "--bootstrap-servers", servers,
                    "--to-offset", "0");

            // Then each conversation gets the same outputs as from the file, every topic replay writes the same
            // bytes, and an empty range writes nothing
            assertThat(byConversation(first)).isEqualTo(fromFile);
            assertThat(first).isNotEmpty().isEqualTo(second);
            assertThat(none).isEmpty();
        }
    }

    private static void produce(String servers, String text) throws Exception {
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        try (Admin client = Admin.create(admin)) {
            client.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            ConversationEventReader reader = new ConversationEventReader(EventLimits.DEFAULTS);
            for (String line : text.lines().toList()) {
                byte[] value = line.getBytes(StandardCharsets.UTF_8);
                // As 'wmstream produce --send-invalid' does: keyed by conversation when valid, else no key.
                byte[] key = reader.read(value) instanceof ReadResult.Accepted accepted
                        ? accepted.event().conversationId().getBytes(StandardCharsets.UTF_8) : null;
                producer.send(new ProducerRecord<>(TOPIC, key, value)).get();
            }
        }
    }

    private byte[] replay(String output, String... source) throws IOException {
        Console console = new Console();
        List<String> args = new ArrayList<>(List.of("replay", "--output", dir.resolve(output).toString()));
        args.addAll(List.of(source));
        int code = new Main(console.context(Map.of(), new EchoPipelineFactory())).execute(args.toArray(String[]::new));
        assertThat(code).as(console.err()).isEqualTo(ExitCode.OK);
        return Files.readAllBytes(dir.resolve(output));
    }

    private static Map<String, List<JsonNode>> byConversation(byte[] output) throws IOException {
        Map<String, List<JsonNode>> conversations = new TreeMap<>();
        for (String line : new String(output, StandardCharsets.UTF_8).lines().toList()) {
            JsonNode record = CanonicalJson.readTree(line.getBytes(StandardCharsets.UTF_8));
            conversations.computeIfAbsent(record.path("key").asText("(none)"), k -> new ArrayList<>()).add(record);
        }
        return conversations;
    }
}
