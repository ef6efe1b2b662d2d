package io.wmstream.topology;

import static io.wmstream.topology.TopologyHarness.utterance;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.model.ConversationModel;
import io.wmstream.schemas.deadletter.DeadLetterHeaders;
import io.wmstream.schemas.json.CanonicalJson;
import io.wmstream.topology.config.ModelFactory;
import io.wmstream.topology.config.WmConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 26, time: no event's time can expire another conversation (invariant 7), and an idle scan is bounded
 * however many memories the store holds. TopologyTestDriver, real RocksDB stores, the real default model.
 */
class HostileTimeTopologyTest {
    private static final long EXPIRY_MS = 60_000L;

    private static ConversationModel model;

    @TempDir
    Path stateDir;

    private String applicationId;

    @BeforeAll
    static void openModel() {
        model = ModelFactory.open(new WmConfig(Map.of(WmConfig.MODEL_DEVICE_CONFIG, "cpu")));
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    @BeforeEach
    void name(TestInfo info) {
        applicationId = "wm-" + info.getTestMethod().orElseThrow().getName();
    }

    @Test
    void shouldNotExpireConversationsWhenOneEventIsDatedInTheFuture() {
        try (var harness = harness(Map.of(WmConfig.IDLE_EXPIRY_MS_CONFIG, EXPIRY_MS))) {
            // Given conversation A's first two turns
            harness.send("A", utterance("A", 0, "user", "I need a cheap hotel in the north."));
            harness.send("A", utterance("A", 1, "agent", "Sure, for how many nights?"));
            harness.flush();
            // And one event of conversation B dated 2099
            String future = "{\"conversationId\":\"B\",\"speaker\":\"user\",\"text\":\"hello from the future\","
                    + "\"timestamp\":\"2099-01-01T00:00:00Z\"}";
            harness.send("B", future);

            // When A's next turn arrives a second later
            harness.send("A", utterance("A", 2, "user", "Two nights, starting Friday."));
            harness.flush();

            // Then B's event is dead-lettered as a future timestamp, with its original bytes
            List<TestRecord<byte[], byte[]>> dead = harness.deadLetters();
            assertThat(dead).hasSize(1);
            assertThat(TopologyHarness.header(dead.get(0).headers(), DeadLetterHeaders.REASON))
                    .isEqualTo("future-timestamp");
            assertThat(dead.get(0).value()).isEqualTo(future.getBytes(StandardCharsets.UTF_8));
            assertThat(dead.get(0).key()).isEqualTo("B".getBytes(StandardCharsets.UTF_8));
            // And A was not expired: no final summary, its memory kept all three turns, its next turn answered
            assertThat(harness.summaries()).extracting(r -> json(r.value()).get("reason").asText())
                    .doesNotContain("idle");
            assertThat(harness.memory("A").utterances()).isEqualTo(3);
            assertThat(harness.replies()).extracting(r -> json(r.value()).get("inReplyTo").get("turn").asLong())
                    .containsExactly(0L, 2L);
            assertThat(harness.memory("B")).isNull();
        }
    }

    @Test
    void shouldTakeEventTimesWithinTheSkewAndAfterAQuietPeriod() {
        try (var harness = harness(Map.of(WmConfig.IDLE_EXPIRY_MS_CONFIG, EXPIRY_MS))) {
            // Given a conversation whose event carries a time four minutes ahead of its record's (within the skew)
            Instant start = Instant.parse("2026-03-01T09:00:01Z");
            harness.send("A", withTime(utterance("A", 0, "agent", "Welcome."), start.plus(Duration.ofMinutes(4))));
            // And, after two quiet hours, an event whose record and own time are two hours ahead of stream time
            harness.advanceEventTime(Duration.ofHours(2));
            harness.send("C", withTime(utterance("C", 0, "agent", "Good morning."),
                    start.plus(Duration.ofHours(2))));

            // When the batches run
            harness.flush();

            // Then neither is dead-lettered: the record's own Kafka timestamp moves the reference on
            assertThat(harness.deadLetters()).isEmpty();
            assertThat(harness.memory("C").utterances()).isEqualTo(1);
        }
    }

    @Test
    void shouldExpireAtMostTheConfiguredNumberOfMemoriesPerIdleScan() {
        try (var harness = harness(Map.of(WmConfig.IDLE_EXPIRY_MS_CONFIG, EXPIRY_MS,
                WmConfig.IDLE_SCAN_MAX_MEMORIES_CONFIG, 2))) {
            // Given five conversations that go quiet, and scans that read at most two memories each
            for (int c = 1; c <= 5; c++) {
                harness.send("c-" + c, utterance("c-" + c, 0, "agent", "Hello number " + c + "."));
            }
            harness.flush();
            assertThat(harness.summaries()).isEmpty();

            // When stream time moves past their expiry, then three scan intervals further, one scan each
            harness.advanceEventTime(Duration.ofMinutes(5));
            int[] expired = new int[3];
            for (int scan = 0; scan < 3; scan++) {
                harness.send("z", utterance("z", scan, "agent", "Still here, step " + scan + "."));
                harness.flush();
                expired[scan] = idleSummaries(harness);
                harness.advanceEventTime(Duration.ofSeconds(10));
            }

            // Then each scan expired at most two, resuming where the one before stopped, until all five were closed
            assertThat(expired).containsExactly(2, 2, 1);
            for (int c = 1; c <= 5; c++) {
                assertThat(harness.memory("c-" + c)).isNull();
            }
            assertThat(harness.memory("z").utterances()).isEqualTo(3);
        }
    }

    private static int idleSummaries(TopologyHarness harness) {
        return (int) harness.summaries().stream().map(r -> json(r.value()))
                .filter(s -> s.get("reason").asText().equals("idle")).count();
    }

    private static String withTime(String event, Instant time) {
        return event.substring(0, event.length() - 1) + ",\"timestamp\":\"" + time + "\"}";
    }

    private TopologyHarness harness(Map<String, Object> settings) {
        return new TopologyHarness(model, stateDir, applicationId, settings);
    }

    private static JsonNode json(String value) {
        try {
            return CanonicalJson.mapper().readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
