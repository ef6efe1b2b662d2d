package io.wmstream.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.app.Main;
import io.wmstream.model.ConversationModel;
import io.wmstream.schemas.json.CanonicalJson;
import io.wmstream.topology.WorkingMemoryTopology;
import io.wmstream.topology.config.ModelFactory;
import io.wmstream.topology.config.TopologySettings;
import io.wmstream.topology.config.WmConfig;
import io.wmstream.app.testing.EmbeddedKafkaExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 1 on a real broker with the real topology and model: every accepted utterance is answered once and its
 * memory advanced once, across a kill -9 of the instance and a restart on the same state directory. The replies
 * must also be exactly those of an uninterrupted run (the same log through the topology offline).
 */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ExactlyOnceIntegrationTest {
    private static final String PREFIX = "eos.";
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path dir;

    @Test
    void shouldAnswerEveryUtteranceOnceAcrossAKillAndRestart() throws Exception {
        List<String> log = conversationLog();
        Path stateDir = dir.resolve("state");

        // Given wmstream run in its own JVM that has answered part of the first half of the log
        Process first = startRun(stateDir, "first");
        List<ConsumerRecord<String, String>> replies = new ArrayList<>();
        try (var consumer = committedReader()) {
            produce(log.subList(0, log.size() / 2));
            awaitReplies(consumer, replies, 3);

            // When it is killed without warning, restarted on the same state directory, and the rest arrives
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            Process second = startRun(stateDir, "second");
            try {
                produce(log.subList(log.size() / 2, log.size()));
                awaitReplies(consumer, replies, userTurns(log));
                Thread.sleep(2_000);
                poll(consumer, replies);
            } finally {
                second.destroy();
                second.waitFor(60, TimeUnit.SECONDS);
            }
        } finally {
            first.destroyForcibly();
        }

        // Then each user turn has exactly one committed reply
        Map<String, String> byTurn = new TreeMap<>();
        for (ConsumerRecord<String, String> record : replies) {
            JsonNode reply = json(record.value());
            String turn = record.key() + "#" + reply.get("inReplyTo").get("turn").asLong();
            assertThat(byTurn.put(turn, record.value())).as("second reply to %s", turn).isNull();
        }
        assertThat(byTurn).hasSize(userTurns(log));
        // And they are byte for byte the replies of an uninterrupted run: the memory was advanced exactly once
        assertThat(byTurn).isEqualTo(uninterruptedReplies(log));
    }

    private Process startRun(Path stateDir, String name) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, Main.class.getName(), "run", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--set", "wm.http.port=0", "--set", "wm.topic.prefix=" + PREFIX, "--set", "wm.topic.partitions=2",
                "--set", "wm.model.device=cpu", "--set", "kafka.application.id=eos-app",
                "--set", "kafka.state.dir=" + stateDir, "--set", "kafka.commit.interval.ms=200")
                .redirectOutput(dir.resolve(name + "-stdout.txt").toFile())
                .redirectError(dir.resolve(name + "-stderr.txt").toFile()).start();
    }

    /** Three conversations written for this test, interleaved, users and agents alternating. */
    private static List<String> conversationLog() {
        String[][] texts = {
            {"I need a hotel in the east with free wifi.", "The Oakley is in the east and has wifi.",
                "Book it for 2 nights from Monday please.", "Booked, reference 4KQ81Z.",
                "Can I also get a taxi there at 16:00?", "A red Skoda will pick you up."},
            {"Is there a cheap Italian place in the centre?", "Pizza Roma is cheap and central.",
                "Table for 5 at 19:30 on Thursday.", "Done, your table is reserved.",
                "What is the phone number?", "It is 01223 555019."},
            {"When does the last train to Leeds leave?", "The last one leaves at 22:41.",
                "How long is the journey?", "About 2 hours and 10 minutes.",
                "Two tickets please.", "That will be 84 pounds."}};
        List<String> log = new ArrayList<>();
        for (int turn = 0; turn < 6; turn++) {
            for (int c = 0; c < texts.length; c++) {
                log.add("{\"conversationId\":\"eos-" + c + "\",\"turn\":" + turn + ",\"speaker\":\""
                        + (turn % 2 == 0 ? "user" : "agent") + "\",\"text\":\"" + texts[c][turn]
                        + "\",\"timestamp\":" + (1_767_225_600_000L + 1000L * log.size()) + "}");
            }
        }
        return log;
    }

    private static int userTurns(List<String> log) {
        return (int) log.stream().filter(line -> line.contains("\"speaker\":\"user\"")).count();
    }

    private static void produce(List<String> lines) throws Exception {
        try (Producer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new StringSerializer())) {
            for (String line : lines) {
                String id = json(line).get("conversationId").asText();
                producer.send(new ProducerRecord<>(PREFIX + "conversation-events", id, line)).get();
            }
        }
    }

    private static KafkaConsumer<String, String> committedReader() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "eos-reader");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        var consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(PREFIX + "conversation-replies"));
        return consumer;
    }

    private static void awaitReplies(KafkaConsumer<String, String> consumer,
            List<ConsumerRecord<String, String>> replies, int count) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (replies.size() < count && Instant.now().isBefore(deadline)) {
            poll(consumer, replies);
        }
        assertThat(replies).as("replies within two minutes").hasSizeGreaterThanOrEqualTo(count);
    }

    private static void poll(KafkaConsumer<String, String> consumer, List<ConsumerRecord<String, String>> replies) {
        consumer.poll(Duration.ofMillis(200)).forEach(replies::add);
    }

    /** The same log through the same topology offline, uninterrupted. */
    private Map<String, String> uninterruptedReplies(List<String> log) {
        var config = new WmConfig(Map.of(WmConfig.TOPIC_PREFIX_CONFIG, PREFIX, WmConfig.MODEL_DEVICE_CONFIG, "cpu"));
        Properties properties = WorkingMemoryTopology.streamsProperties(config);
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "eos-reference");
        properties.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("reference").toString());
        Map<String, String> byTurn = new TreeMap<>();
        TopologySettings settings = TopologySettings.from(config).onCallerThread();
        try (ConversationModel model = ModelFactory.open(config);
                var driver = new TopologyTestDriver(WorkingMemoryTopology.build(settings, model), properties)) {
            TestInputTopic<String, String> events = driver.createInputTopic(PREFIX + "conversation-events",
                    new StringSerializer(), new StringSerializer());
            for (String line : log) {
                events.pipeInput(json(line).get("conversationId").asText(), line);
            }
            driver.advanceWallClockTime(Duration.ofSeconds(1));
            driver.createOutputTopic(PREFIX + "conversation-replies", new StringDeserializer(),
                    new StringDeserializer()).readRecordsToList().forEach(record -> byTurn.put(record.key() + "#"
                    + json(record.value()).get("inReplyTo").get("turn").asLong(), record.value()));
        }
        return byTurn;
    }

    private static JsonNode json(String value) {
        try {
            return CanonicalJson.mapper().readTree(value.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
