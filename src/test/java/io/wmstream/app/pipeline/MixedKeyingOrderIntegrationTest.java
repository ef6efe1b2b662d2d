package io.wmstream.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.app.Main;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.testing.Console;
import io.wmstream.app.testing.EmbeddedKafkaExtension;
import io.wmstream.schemas.json.CanonicalJson;
import io.wmstream.topology.ingest.OriginalRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 26, point 3, order: events of one conversation sent in one input partition, some keyed by their conversation
 * and some not (no key, or another one), reach the working-memory processor in their input order, on a real broker
 * under exactly-once with the real model. When keyed events went straight to the processor and the others through
 * the repartition topic, a keyed turn overtook the re-keyed turns before it, which were then skipped as duplicates,
 * and idle expiry depended on the repartition's lag; now each turn is answered once, in order, and the outputs,
 * idle expiry included, are those of a replay of the same log.
 */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class MixedKeyingOrderIntegrationTest {
    private static final String PREFIX = "mixed-keys.";
    private static final int CONVERSATIONS = 6;
    private static final int TURNS = 6;
    /** The conversation that pauses for longer than the idle expiry, then comes back. */
    private static final String RETURNING = "mixed-0";
    private static final long IDLE_EXPIRY_MS = Duration.ofMinutes(10).toMillis();
    private static final String[] USER_LINES = {
        "I need a cheap guesthouse in the north with free parking.",
        "Two nights from Friday, for three people please.",
        "Is there a train to Ely on Saturday morning?",
    };
    private static final String[] AGENT_LINES = {
        "The Larkspur guesthouse is cheap and has parking.",
        "Booked, your reference number is 7GX2QK.",
        "The 09:15 train arrives at 09:32.",
    };

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path dir;

    @Test
    void shouldAnswerEveryTurnOnceInInputOrderWhenKeyedAndUnkeyedEventsOfOneConversationMix() throws Exception {
        // Given a log of six interleaved conversations, one event a minute, in which each conversation's events
        // come in turn keyed by the conversation, with no key and with a session key; one conversation pauses for
        // fifteen minutes (longer than the ten-minute idle expiry) and then comes back
        List<Line> lines = mixedLog(Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES));
        Path log = dir.resolve("log.jsonl");
        Files.write(log, lines.stream().map(Line::json).toList(), StandardCharsets.UTF_8);

        // When it is replayed (every line keyed by its conversation)
        Map<String, List<JsonNode>> replay = replay(log);
        int expected = replay.values().stream().mapToInt(List::size).sum();

        // And it is sent in one burst to the single partition of the input topic of a running instance, each line
        // with its own key
        Console runConsole = new Console();
        Main main = new Main(runConsole.context(Map.of("WM_TOPIC_PREFIX", PREFIX), new TopologyPipelineFactory()));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> main.execute("run",
                "--bootstrap-servers", KAFKA.bootstrapServers(), "--set", "wm.http.port=0",
                "--set", "kafka.application.id=mixed-keys-app", "--set", "kafka.state.dir=" + dir.resolve("state"),
                "--set", "kafka.commit.interval.ms=100", "--set", "wm.topic.partitions=1",
                "--set", "wm.idle.expiry.ms=" + IDLE_EXPIRY_MS));
        Outputs live;
        try {
            runConsole.awaitOut("HTTP at ", Duration.ofSeconds(90));
            send(lines);
            live = consume(expected);
        } finally {
            runConsole.hooks().forEach(Thread::run);
        }
        assertThat(run.get(60, TimeUnit.SECONDS)).as(runConsole.err()).isEqualTo(ExitCode.OK);

        // Then every user turn was answered once, in input order: none was overtaken and skipped as a duplicate
        Map<String, List<Long>> answered = new TreeMap<>();
        live.byConversation().forEach((id, values) -> answered.put(id, values.stream()
                .filter(v -> v.has("inReplyTo")).map(v -> v.get("inReplyTo").get("turn").asLong()).toList()));
        Map<String, List<Long>> userTurns = new TreeMap<>();
        lines.stream().filter(line -> line.turn() % 2 == 0)
                .forEach(line -> userTurns.computeIfAbsent(line.conversationId(), k -> new ArrayList<>())
                        .add((long) line.turn()));
        assertThat(answered).isEqualTo(userTurns);
        // And nothing was dead-lettered
        assertThat(live.deadLetters()).isZero();
        // And the returning conversation was closed as idle during its pause, before its next turn
        assertThat(live.byConversation().get(RETURNING)).extracting(v -> v.path("reason").asText(""))
                .containsSubsequence("idle");
        // And each conversation's replies and summaries, idle expiry included, are those of the replay
        assertThat(expected).isGreaterThan(CONVERSATIONS * TURNS / 2);
        assertThat(live.byConversation()).isEqualTo(replay);
    }

    /** A line of the log, with the key it is sent with live: the conversationId, none, or a session's. */
    private record Line(String conversationId, int turn, String json, String key) {
    }

    /**
     * Round by round, one turn of each conversation, a minute apart; the returning conversation leaves out its
     * turns 3 to 5 until every other conversation has finished, so they come at least fifteen minutes after its
     * turn 2. The key of a line cycles through keyed, unkeyed and session-keyed, shifted per conversation, so each
     * conversation's events alternate among the three.
     */
    private static List<Line> mixedLog(Instant start) {
        List<int[]> order = new ArrayList<>();
        for (int turn = 0; turn < TURNS; turn++) {
            for (int c = 0; c < CONVERSATIONS; c++) {
                if (!(c == 0 && turn >= 3)) {
                    order.add(new int[] {c, turn});
                }
            }
        }
        for (int turn = 3; turn < TURNS; turn++) {
            order.add(new int[] {0, turn});
        }
        List<Line> lines = new ArrayList<>();
        long time = start.toEpochMilli();
        for (int[] at : order) {
            int c = at[0];
            int turn = at[1];
            String id = "mixed-" + c;
            boolean user = turn % 2 == 0;
            String text = user ? USER_LINES[(turn / 2 + c) % USER_LINES.length]
                    : AGENT_LINES[(turn / 2 + c) % AGENT_LINES.length];
            time += Duration.ofMinutes(1).toMillis();
            String json = String.format(Locale.ROOT, "{\"conversationId\":\"%s\",\"turn\":%d,\"speaker\":\"%s\","
                    + "\"text\":\"%s\",\"timestamp\":%d}", id, turn, user ? "user" : "agent", text, time);
            String key = switch ((turn + c) % 3) {
                case 0 -> id;
                case 1 -> null;
                default -> "session-" + (c * 7 + turn);
            };
            lines.add(new Line(id, turn, json, key));
        }
        return lines;
    }

    private Map<String, List<JsonNode>> replay(Path log) throws IOException {
        Console console = new Console();
        Path out = dir.resolve("replay.jsonl");
        int replayed = new Main(console.context(Map.of(), new TopologyPipelineFactory())).execute("replay",
                "--input", log.toString(), "--output", out.toString(), "--set",
                "wm.idle.expiry.ms=" + IDLE_EXPIRY_MS);
        assertThat(replayed).as(console.err()).isEqualTo(ExitCode.OK);
        Map<String, List<JsonNode>> outputs = new TreeMap<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            JsonNode record = CanonicalJson.readTree(line.getBytes(StandardCharsets.UTF_8));
            assertThat(record.path("topic").asText()).doesNotEndWith("dead-letters");
            outputs.computeIfAbsent(record.path("key").asText(), k -> new ArrayList<>()).add(record.get("value"));
        }
        return outputs;
    }

    /** Sends every line to partition 0 with its own key, in one burst, as a backend with mixed producers might. */
    private static void send(List<Line> lines) throws Exception {
        Properties properties = client();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(),
                new StringSerializer())) {
            for (Line line : lines) {
                producer.send(new ProducerRecord<>(PREFIX + "conversation-events", 0, line.key(), line.json()));
            }
            producer.flush();
        }
    }

    private record Outputs(Map<String, List<JsonNode>> byConversation, int deadLetters) {
    }

    /** Reads committed replies and summaries until {@code expected} came, then two seconds more for any extra. */
    private static Outputs consume(int expected) throws IOException {
        Properties properties = client();
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "mixed-keys-check");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        int deadLetters = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(PREFIX + "conversation-replies", PREFIX + "conversation-summaries",
                    PREFIX + "conversation-dead-letters"));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            long settled = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settled)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.topic().endsWith("dead-letters")) {
                        deadLetters++;
                    } else {
                        records.add(record);
                    }
                }
                if (records.size() >= expected && settled == Long.MAX_VALUE) {
                    settled = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                }
            }
        }
        // Outputs of one conversation span two topics: restore their order as replay does, by source offset.
        records.sort(Comparator.comparingLong((ConsumerRecord<byte[], byte[]> r) -> header(r,
                OriginalRecord.OFFSET_HEADER)).thenComparingLong(r -> header(r, "wm.emission.index")));
        Map<String, List<JsonNode>> byConversation = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            byConversation.computeIfAbsent(new String(record.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(CanonicalJson.readTree(record.value()));
        }
        return new Outputs(byConversation, deadLetters);
    }

    private static long header(ConsumerRecord<byte[], byte[]> record, String name) {
        return Long.parseLong(new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8));
    }

    private static Properties client() {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", KAFKA.bootstrapServers());
        return properties;
    }
}
