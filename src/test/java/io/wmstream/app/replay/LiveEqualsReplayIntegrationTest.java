package io.wmstream.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.app.Main;
import io.wmstream.app.broker.EmbeddedKafka;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.pipeline.TopologyPipelineFactory;
import io.wmstream.app.testing.Console;
import io.wmstream.schemas.json.CanonicalJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Invariant 2 of DESIGN 5: a live run over a broker and a replay of the same log write the same values. */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class LiveEqualsReplayIntegrationTest {
    private static final String PREFIX = "live-replay.";

    @TempDir
    Path dir;

    @Test
    void shouldWriteTheSameRepliesAndSummariesPerConversationLiveAsInReplay() throws Exception {
        // Given a log of interleaved conversations with bad lines and ended conversations
        Path log = Files.writeString(dir.resolve("log.jsonl"), ReplayLogs.interleaved(4, 9));

        // When it is replayed
        Console replayConsole = new Console();
        Path out = dir.resolve("replay.jsonl");
        int replayed = new Main(replayConsole.context(Map.of(), new TopologyPipelineFactory())).execute("replay",
                "--input", log.toString(), "--output", out.toString());
        assertThat(replayed).as(replayConsole.err()).isEqualTo(ExitCode.OK);
        Map<String, List<JsonNode>> replay = new TreeMap<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            JsonNode record = CanonicalJson.readTree(line.getBytes(StandardCharsets.UTF_8));
            if (!record.path("topic").asText().endsWith("dead-letters")) {
                replay.computeIfAbsent(record.path("key").asText(), k -> new ArrayList<>()).add(record.get("value"));
            }
        }
        int expected = replay.values().stream().mapToInt(List::size).sum();

        // And it is run live through 'wmstream run' on a broker
        Map<String, List<JsonNode>> live;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            live = runLive(kafka.bootstrapServers(), log, expected);
        }

        // Then each conversation got the same reply and summary values, in the same order
        assertThat(expected).isGreaterThan(10);
        assertThat(live).isEqualTo(replay);
    }

    private Map<String, List<JsonNode>> runLive(String servers, Path log, int expected) throws Exception {
        Console runConsole = new Console();
        Main main = new Main(runConsole.context(Map.of("WM_TOPIC_PREFIX", PREFIX), new TopologyPipelineFactory()));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> main.execute("run",
                "--bootstrap-servers", servers, "--set", "wm.http.port=0",
                "--set", "kafka.application.id=live-replay-app", "--set", "kafka.state.dir=" + dir.resolve("state"),
                "--set", "kafka.commit.interval.ms=100", "--set", "wm.topic.partitions=2"));
        try {
            runConsole.awaitOut("HTTP at ", Duration.ofSeconds(90));
            Console produceConsole = new Console();
            int produced = new Main(produceConsole.context(Map.of("WM_TOPIC_PREFIX", PREFIX),
                    new TopologyPipelineFactory())).execute("produce", "--bootstrap-servers", servers,
                    "--send-invalid", log.toString());
            assertThat(produced).as(produceConsole.err()).isEqualTo(ExitCode.OK);
            return consume(servers, expected);
        } finally {
            runConsole.hooks().forEach(Thread::run);
            run.get(60, TimeUnit.SECONDS);
        }
    }

    private static Map<String, List<JsonNode>> consume(String servers, int expected) throws IOException {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "live-replay-check");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, List<JsonNode>> live = new TreeMap<>();
        int seen = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(PREFIX + "conversation-replies", PREFIX + "conversation-summaries"));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            while (seen < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    records.add(record);
                    seen++;
                }
            }
            // Live outputs of one conversation span two topics: restore their order as replay does, by source.
            records.sort(Comparator.comparingLong(LiveEqualsReplayIntegrationTest::sourceOffset)
                    .thenComparingLong(r -> Long.parseLong(header(r, ReplayOutput.EMISSION_INDEX_HEADER))));
            for (ConsumerRecord<byte[], byte[]> record : records) {
                live.computeIfAbsent(new String(record.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                        .add(CanonicalJson.readTree(record.value()));
            }
        }
        assertThat(seen).as("outputs read").isEqualTo(expected);
        return live;
    }

    private static long sourceOffset(ConsumerRecord<byte[], byte[]> record) {
        return Long.parseLong(header(record, ReplayOutput.SOURCE_OFFSET_HEADER));
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
