package io.wmstream.topology;

import static io.wmstream.topology.TopologyHarness.control;
import static io.wmstream.topology.TopologyHarness.utterance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.model.ConversationModel;
import io.wmstream.model.ModelFailureException;
import io.wmstream.model.ModelInfo;
import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import io.wmstream.schemas.deadletter.DeadLetterHeaders;
import io.wmstream.schemas.json.CanonicalJson;
import io.wmstream.topology.config.ModelFactory;
import io.wmstream.topology.config.WmConfig;
import io.wmstream.topology.memory.WorkingMemory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** The topology end to end on TopologyTestDriver, with real RocksDB stores and the real default model. */
class WorkingMemoryTopologyTest {
    /** A conversation written for these tests: a user booking a room, an agent answering. */
    private static final List<String[]> HOTEL = List.of(
            new String[] {"user", "Hi, I need a room in the north of town for two nights."},
            new String[] {"agent", "Sure. Do you have a price range in mind?"},
            new String[] {"user", "Something cheap, and it must have free parking."},
            new String[] {"agent", "The Larkspur guesthouse is cheap and has parking. Shall I book it?"},
            new String[] {"user", "Yes please, for 3 people starting Friday."},
            new String[] {"agent", "Done. Your reference number is 7GX2QK."},
            new String[] {"user", "Thanks. Is there a train to Ely on Saturday morning?"},
            new String[] {"agent", "The 09:15 train arrives at 09:32."});
    private static final List<String[]> TAXI = List.of(
            new String[] {"user", "I want a taxi from the station to the museum at 14:30."},
            new String[] {"agent", "What is your phone number?"},
            new String[] {"user", "It is 07700 900123."},
            new String[] {"agent", "A white Toyota is booked."});

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

    @org.junit.jupiter.api.BeforeEach
    void name(TestInfo info) {
        applicationId = "wm-" + info.getTestMethod().orElseThrow().getName();
    }

    @Test
    void shouldReplyOncePerUserTurnAcrossAMultiTurnConversation() {
        try (var harness = harness(Map.of())) {
            // Given a conversation of eight turns, four of them by the user
            send(harness, "hotel-1", HOTEL);

            // When the batches run
            List<TestRecord<String, String>> replies = harness.flush().replies();

            // Then each user turn got exactly one reply, in order, keyed by conversation, with text
            assertThat(replies).hasSize(4);
            List<Long> answered = new ArrayList<>();
            for (TestRecord<String, String> record : replies) {
                JsonNode reply = json(record.value());
                assertThat(record.key()).isEqualTo("hotel-1");
                assertThat(reply.get("speaker").asText()).isEqualTo("assistant");
                assertThat(reply.get("tokens").asInt()).isPositive();
                assertThat(reply.get("text").asText()).isNotBlank().doesNotContain("<eou>", "<system>", "<pad>");
                assertThat(reply.get("model").get("name").asText()).isEqualTo(model.info().name());
                assertThat(reply.get("turn").asLong()).isEqualTo(reply.get("inReplyTo").get("turn").asLong() + 1);
                answered.add(reply.get("inReplyTo").get("turn").asLong());
            }
            assertThat(answered).containsExactly(0L, 2L, 4L, 6L);
            assertThat(harness.memory("hotel-1").utterances()).isEqualTo(8);
            assertThat(harness.metric("replies-total")).isEqualTo(4.0);
        }
    }

    @Test
    void shouldRunPendingEventsBeforeTakingMoreOnceTheQueueIsFull() {
        // Given batches of 2, so a task holds at most 8 pending events before it waits for the model
        try (var harness = harness(Map.of(WmConfig.BATCH_MAX_SIZE_CONFIG, 2))) {
            // When ten user turns of one conversation arrive and no punctuation comes
            for (int turn = 0; turn < 10; turn++) {
                harness.send("flood-1", utterance("flood-1", turn, "user", "a table for two please"));
            }
            List<TestRecord<String, String>> beforePunctuation = harness.replies();

            // Then the task already ran the first ones (the backlog stays in the input topic, not in memory)
            assertThat(beforePunctuation).hasSizeGreaterThanOrEqualTo(2);
            assertThat(beforePunctuation.size() + harness.flush().replies().size()).isEqualTo(10);
        }
    }

    @Test
    void shouldEmitRollingSummariesEveryNTurnsAndAFinalSummaryOnEnd() {
        try (var harness = harness(Map.of(WmConfig.SUMMARY_EVERY_TURNS_CONFIG, 4))) {
            // Given a conversation of eight turns then an end event
            send(harness, "hotel-1", HOTEL);
            harness.send("hotel-1", control("end", "hotel-1", 8));

            // When the batches run
            List<JsonNode> summaries = harness.flush().summaries().stream().map(r -> json(r.value())).toList();

            // Then two rolling summaries (after turns 3 and 7) and one final, each within the word budget
            assertThat(summaries).extracting(s -> s.get("kind").asText())
                    .containsExactly("rolling", "rolling", "final");
            assertThat(summaries).extracting(s -> s.get("upToTurn").asLong()).containsExactly(3L, 7L, 7L);
            JsonNode last = summaries.get(2);
            assertThat(last.get("reason").asText()).isEqualTo("end");
            assertThat(last.get("turns").asInt()).isEqualTo(8);
            assertThat(last.get("highlights")).isNotEmpty();
            // (the words after the sentence of what was agreed, which comes on top of the budget)
            assertThat(last.get("text").asText().replaceFirst("^Agreed: [^.]*\\. ?", "").split(" "))
                    .hasSizeLessThanOrEqualTo(64);
            // And the conversation's memory is gone
            assertThat(harness.memory("hotel-1")).isNull();
        }
    }

    @Test
    void shouldNotChangeConversationOutputsWhenAnotherIsInterleaved() {
        // Given conversation A alone, and A with B interleaved turn by turn
        List<String> alone;
        try (var harness = harness(Map.of())) {
            send(harness, "hotel-1", HOTEL);
            alone = values(harness.flush().replies());
        }
        List<String> interleaved;
        try (var harness = harness(Map.of(), "-interleaved")) {
            for (int i = 0; i < HOTEL.size(); i++) {
                harness.send("hotel-1", utterance("hotel-1", i, HOTEL.get(i)[0], HOTEL.get(i)[1]));
                if (i < TAXI.size()) {
                    harness.send("taxi-7", utterance("taxi-7", i, TAXI.get(i)[0], TAXI.get(i)[1]));
                }
            }
            interleaved = harness.flush().replies().stream().filter(r -> r.key().equals("hotel-1"))
                    .map(TestRecord::value).toList();
        }

        // Then A's replies are byte for byte the same
        assertThat(interleaved).isEqualTo(alone);
    }

    @Test
    void shouldGiveByteIdenticalOutputsWithBatchesOfOneAndOfSixtyFour() {
        // Given the same interleaved log run with wm.batch.max.size 1 and 64
        List<String> one = runInterleaved(1);
        List<String> sixtyFour = runInterleaved(64);

        // Then every output value is identical, in the same order
        assertThat(sixtyFour).isNotEmpty().isEqualTo(one);
    }

    private List<String> runInterleaved(int batchSize) {
        try (var harness = harness(Map.of(WmConfig.BATCH_MAX_SIZE_CONFIG, batchSize,
                WmConfig.SUMMARY_EVERY_TURNS_CONFIG, 3), "-batch" + batchSize)) {
            for (int i = 0; i < HOTEL.size(); i++) {
                harness.send("hotel-1", utterance("hotel-1", i, HOTEL.get(i)[0], HOTEL.get(i)[1]));
                harness.send("hotel-1", utterance("hotel-1", i, HOTEL.get(i)[0], HOTEL.get(i)[1]));
                if (i < TAXI.size()) {
                    harness.send("taxi-7", utterance("taxi-7", i, TAXI.get(i)[0], TAXI.get(i)[1]));
                }
            }
            harness.send("taxi-7", control("end", "taxi-7", 9));
            harness.flush();
            List<String> out = new ArrayList<>(values(harness.replies()));
            out.add("--");
            out.addAll(values(harness.summaries()));
            return out;
        }
    }

    @Test
    void shouldSkipAndCountDuplicatesByTurnAndByEventId() {
        try (var harness = harness(Map.of())) {
            // Given a user turn sent twice, and an id-only event sent twice
            String first = utterance("hotel-1", 0, "user", "A double room in the centre, please.");
            harness.send("hotel-1", first).send("hotel-1", first);
            String byId = "{\"conversationId\":\"taxi-7\",\"eventId\":\"e-1\",\"speaker\":\"user\","
                    + "\"text\":\"A taxi to the airport.\"}";
            harness.send("taxi-7", byId).send("taxi-7", byId);

            // When the batches run
            List<TestRecord<String, String>> replies = harness.flush().replies();

            // Then each is answered once and both repeats are counted
            assertThat(replies).extracting(TestRecord::key).containsExactly("hotel-1", "taxi-7");
            assertThat(harness.metric("duplicates-total")).isEqualTo(2.0);
            assertThat(harness.memory("hotel-1").utterances()).isEqualTo(1);
        }
    }

    @Test
    void shouldClearMemoryOnResetButKeepTheConversation() {
        try (var harness = harness(Map.of())) {
            // Given a conversation with history, then reset, then a new user turn
            send(harness, "hotel-1", HOTEL.subList(0, 4));
            harness.send("hotel-1", control("reset", "hotel-1", 4));
            harness.send("hotel-1", utterance("hotel-1", 5, "user", "I need a taxi at 17:45."));
            String afterReset = harness.flush().replies().get(2).value();

            // And the same turn in a conversation that never had history
            harness.send("fresh-1", utterance("fresh-1", 5, "user", "I need a taxi at 17:45."));
            String fresh = harness.flush().replies().get(0).value();

            // Then the reply after reset is what a fresh memory gives, and the counters were kept
            assertThat(json(afterReset).get("text")).isEqualTo(json(fresh).get("text"));
            WorkingMemory memory = harness.memory("hotel-1");
            assertThat(memory.recentTurns()).hasSize(1);
            assertThat(memory.utterances()).isEqualTo(5);
            assertThat(memory.lastTurn()).isEqualTo(5);
        }
    }

    @Test
    void shouldEraseEverythingOnForgetAndAcknowledgeWithAnEmptySummary() {
        try (var harness = harness(Map.of())) {
            // Given a conversation with history, then forget
            send(harness, "hotel-1", HOTEL.subList(0, 3));
            harness.send("hotel-1", control("forget", "hotel-1", 3));

            // When the batches run
            harness.flush();
            List<JsonNode> summaries = harness.summaries().stream().map(r -> json(r.value())).toList();

            // Then nothing is held, and the only summary is a contentless acknowledgement
            assertThat(harness.memory("hotel-1")).isNull();
            assertThat(summaries).hasSize(1);
            assertThat(summaries.get(0).get("kind").asText()).isEqualTo("forgotten");
            assertThat(summaries.get(0).get("text").asText()).isEmpty();
            assertThat(summaries.get(0).get("highlights")).isEmpty();
        }
    }

    @Test
    void shouldEraseOnForgetEvenWhenItsTurnWasSeenBefore() {
        try (var harness = harness(Map.of())) {
            // Given a conversation with history, then a forget carrying an already processed turn
            send(harness, "hotel-1", HOTEL.subList(0, 3));
            harness.flush();
            harness.send("hotel-1", control("forget", "hotel-1", 0));

            // When the batch runs
            harness.flush();

            // Then the memory is erased all the same, and acknowledged
            assertThat(harness.memory("hotel-1")).isNull();
            assertThat(harness.summaries()).extracting(r -> json(r.value()).get("kind").asText())
                    .containsExactly("forgotten");
        }
    }

    @Test
    void shouldAcknowledgeAForgetOfAnUnknownConversationAndKeepNothing() {
        try (var harness = harness(Map.of())) {
            // Given a conversation that goes on, and a forget for one never seen
            send(harness, "hotel-1", HOTEL.subList(0, 2));
            harness.send("ghost-9", control("forget", "ghost-9", 0));

            // When the batches run
            harness.flush();

            // Then the unknown one is acknowledged and holds nothing, and the other is untouched
            assertThat(harness.memory("ghost-9")).isNull();
            assertThat(harness.summaries()).extracting(r -> json(r.value()).get("kind").asText())
                    .containsExactly("forgotten");
            assertThat(harness.memory("hotel-1").utterances()).isEqualTo(2);
        }
    }

    @Test
    void shouldCloseIdleConversationsOnStreamTime() {
        try (var harness = harness(Map.of(WmConfig.IDLE_EXPIRY_MS_CONFIG, 60_000L))) {
            // Given a conversation that stops, then another that goes on past the expiry
            send(harness, "hotel-1", HOTEL.subList(0, 2));
            harness.flush();
            harness.advanceEventTime(Duration.ofMinutes(5));
            harness.send("taxi-7", utterance("taxi-7", 0, "user", "A taxi please."));
            harness.flush();

            // Then the first is closed with a final idle summary and its memory deleted
            List<JsonNode> summaries = harness.summaries().stream().map(r -> json(r.value())).toList();
            assertThat(summaries).anySatisfy(s -> {
                assertThat(s.get("conversationId").asText()).isEqualTo("hotel-1");
                assertThat(s.get("kind").asText()).isEqualTo("final");
                assertThat(s.get("reason").asText()).isEqualTo("idle");
            });
            assertThat(harness.memory("hotel-1")).isNull();
            assertThat(harness.memory("taxi-7")).isNotNull();
        }
    }

    @Test
    void shouldDeadLetterEachKindOfBadInputAndKeepGoing() {
        try (var harness = harness(Map.of())) {
            // Given bad records among good ones
            harness.send("x", "{\"conversationId\": ");
            harness.sendBytes("x".getBytes(StandardCharsets.UTF_8), new byte[] {'{', (byte) 0xC3, '(', '}'});
            harness.send("x", utterance("hotel-1", 0, "user", "x".repeat(9000)));
            harness.send("x", "{\"conversationId\":\"hotel-1\",\"turn\":-3,\"speaker\":\"user\",\"text\":\"hi\"}");
            harness.send("x", "{\"conversationId\":\"\",\"speaker\":\"user\",\"text\":\"hi\"}");
            harness.send("x", null);
            harness.send("hotel-1", utterance("hotel-1", 0, HOTEL.get(0)[0], HOTEL.get(0)[1]));

            // When the batches run
            List<TestRecord<byte[], byte[]>> dead = harness.flush().deadLetters();

            // Then each bad record is dead-lettered with its reason and original bytes; the good one is answered
            assertThat(dead).extracting(r -> TopologyHarness.header(r.headers(), DeadLetterHeaders.REASON))
                    .containsExactly("malformed-json", "invalid-utf8", "too-large", "schema-violation",
                            "invalid-conversation-id", "empty-value");
            assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{\"conversationId\": ");
            assertThat(dead.get(1).value()).containsExactly('{', (byte) 0xC3, '(', '}');
            assertThat(dead).allSatisfy(r -> {
                assertThat(TopologyHarness.header(r.headers(), DeadLetterHeaders.SOURCE_TOPIC))
                        .isEqualTo("conversation-events");
                assertThat(TopologyHarness.header(r.headers(), DeadLetterHeaders.MESSAGE)).isNotBlank();
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("x");
            });
            assertThat(TopologyHarness.header(dead.get(5).headers(), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("5");
            assertThat(harness.replies()).hasSize(1);
            assertThat(harness.metric("dead-letters-total")).isEqualTo(6.0);
        }
    }

    @Test
    void shouldReKeyEventsWhoseKeyIsNotTheirConversation() {
        try (var harness = harness(Map.of())) {
            // Given events keyed by something else (or not keyed at all)
            harness.send("session-42", utterance("hotel-1", 0, "user", HOTEL.get(0)[1]));
            harness.send(null, utterance("hotel-1", 2, "user", HOTEL.get(2)[1]));

            // When the batches run
            List<TestRecord<String, String>> replies = harness.flush().replies();

            // Then both reached the conversation's memory, in order
            assertThat(replies).extracting(TestRecord::key).containsExactly("hotel-1", "hotel-1");
            assertThat(harness.memory("hotel-1").utterances()).isEqualTo(2);
        }
    }

    @Test
    void shouldDeadLetterAPoisonedModelCallAndRunTheNextBatch() {
        // Given a model that fails on every call holding conversation "poison"
        ConversationModel poisoned = new FailingFor("poison", model);
        try (var harness = new TopologyHarness(poisoned, stateDir, applicationId,
                Map.of(WmConfig.MODEL_RETRIES_CONFIG, 2))) {
            harness.send("hotel-1", utterance("hotel-1", 0, "user", HOTEL.get(0)[1])).flush();

            // When a batch holds the poisoned conversation and another one, and a later batch follows
            harness.send("poison", utterance("poison", 0, "user", "This call will fail."));
            harness.send("hotel-1", utterance("hotel-1", 2, "user", HOTEL.get(2)[1]));
            harness.flush();
            harness.send("hotel-1", utterance("hotel-1", 4, "user", HOTEL.get(4)[1]));
            harness.flush();

            // Then the failed batch's events are dead-lettered as model-failure, and the next batch is answered
            List<TestRecord<byte[], byte[]>> dead = harness.deadLetters();
            assertThat(dead).extracting(r -> TopologyHarness.header(r.headers(), DeadLetterHeaders.REASON))
                    .containsExactly("model-failure", "model-failure");
            assertThat(dead).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                    .containsExactly("poison", "hotel-1");
            assertThat(TopologyHarness.header(dead.get(0).headers(), DeadLetterHeaders.MESSAGE))
                    .contains("after 3 attempts");
            assertThat(harness.replies()).extracting(r -> json(r.value()).get("inReplyTo").get("turn").asLong())
                    .containsExactly(0L, 4L);
            assertThat(harness.memory("hotel-1").utterances()).isEqualTo(2);
        }
    }

    @Test
    void shouldNameTheInputRecordInADeadLetterTheProcessorRaisesForAReKeyedEvent() {
        // Given a model that fails on every call holding conversation "poison"
        ConversationModel poisoned = new FailingFor("poison", model);
        try (var harness = new TopologyHarness(poisoned, stateDir, applicationId,
                Map.of(WmConfig.MODEL_RETRIES_CONFIG, 0))) {
            harness.send("hotel-1", utterance("hotel-1", 0, "user", HOTEL.get(0)[1])).flush();

            // When its events arrive keyed by something else, by nothing, and by their conversation, the first with
            // a producer's header that claims another offset, at input offsets 1, 2 and 3
            var spoofed = new RecordHeaders();
            spoofed.add("wm.source.offset", "999".getBytes(StandardCharsets.UTF_8));
            harness.sendWithHeaders("session-42".getBytes(StandardCharsets.UTF_8),
                    utterance("poison", 0, "user", "This call will fail.").getBytes(StandardCharsets.UTF_8), spoofed);
            harness.flush();
            harness.send(null, utterance("poison", 2, "user", "And this one.")).flush();
            harness.send("poison", utterance("poison", 4, "user", "And this one too.")).flush();

            // Then each dead letter carries the input record's key, topic, partition and offset, not those of the
            // repartition record the processor read (keyed by conversation, at its own offsets)
            List<TestRecord<byte[], byte[]>> dead = harness.deadLetters();
            assertThat(dead).extracting(r -> TopologyHarness.header(r.headers(), DeadLetterHeaders.REASON))
                    .containsExactly("model-failure", "model-failure", "model-failure");
            assertThat(dead).extracting(r -> r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8))
                    .containsExactly("session-42", null, "poison");
            assertThat(dead).extracting(r -> TopologyHarness.header(r.headers(), DeadLetterHeaders.SOURCE_TOPIC))
                    .containsOnly("conversation-events");
            assertThat(dead).extracting(r -> TopologyHarness.header(r.headers(), DeadLetterHeaders.SOURCE_PARTITION))
                    .containsOnly("0");
            assertThat(dead).extracting(r -> TopologyHarness.header(r.headers(), DeadLetterHeaders.SOURCE_OFFSET))
                    .containsExactly("1", "2", "3");
            assertThat(dead.get(0).value())
                    .isEqualTo(utterance("poison", 0, "user", "This call will fail.").getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldCloseAConversationIdleBeforeItsNextEventEvenWhenNoIdleScanRanBetween() {
        try (var harness = harness(Map.of(WmConfig.IDLE_EXPIRY_MS_CONFIG, 600_000L))) {
            // Given a conversation of two turns, its last one answered
            harness.send("hotel-1", utterance("hotel-1", 0, "user", HOTEL.get(0)[1]));
            harness.send("hotel-1", utterance("hotel-1", 1, "agent", HOTEL.get(1)[1])).flush();
            assertThat(harness.replies()).hasSize(1);

            // When its next event comes eleven minutes later, with nothing else in between (stream time jumps with
            // it, so the scan that would have closed the conversation comes only after the event ran)
            harness.advanceEventTime(Duration.ofMinutes(11));
            harness.send("hotel-1", utterance("hotel-1", 2, "user", HOTEL.get(2)[1])).flush();

            // Then the conversation was closed as idle before that event, which starts it afresh: as a replay in
            // which other conversations' events had moved the clock on would have it
            List<JsonNode> summaries = harness.summaries().stream().map(r -> json(r.value())).toList();
            assertThat(summaries).singleElement().satisfies(s -> {
                assertThat(s.get("kind").asText()).isEqualTo("final");
                assertThat(s.get("reason").asText()).isEqualTo("idle");
                assertThat(s.get("turns").asInt()).isEqualTo(2);
            });
            assertThat(harness.replies()).hasSize(1);
            assertThat(harness.memory("hotel-1").utterances()).isEqualTo(1);
        }
    }

    @Test
    void shouldResetMemoryWrittenUnderAnotherModelAndCountIt() {
        try (var harness = harness(Map.of())) {
            // Given a conversation whose stored memory was written by a model of other dimensions
            harness.putMemory("hotel-1", foreignMemory());

            // When its next utterance arrives
            harness.send("hotel-1", utterance("hotel-1", 3, "user", HOTEL.get(4)[1]));
            List<TestRecord<String, String>> replies = harness.flush().replies();

            // Then the foreign state is not fed to this model: it is reset (counted), the turns are kept
            assertThat(replies).hasSize(1);
            assertThat(harness.metric("memory-model-mismatches-total")).isEqualTo(1.0);
            WorkingMemory memory = harness.memory("hotel-1");
            assertThat(memory.model().name()).isEqualTo(model.info().name());
            assertThat(memory.state()).hasSize(model.info().stateSize());
            assertThat(memory.utterances()).isEqualTo(3);
        }
    }

    @Test
    void shouldRefuseMemoryWrittenUnderAnotherModelWhenConfiguredToFail() {
        try (var harness = harness(Map.of(WmConfig.MEMORY_MODEL_MISMATCH_CONFIG, "fail"))) {
            // Given stored memory of another model and wm.memory.model.mismatch=fail
            harness.putMemory("hotel-1", foreignMemory());

            // When its next utterance is processed, Then processing stops with a message naming both models
            assertThatThrownBy(() -> harness.send("hotel-1", utterance("hotel-1", 3, "user", HOTEL.get(4)[1])).flush())
                    .hasStackTraceContaining("wm.memory.model.mismatch=reset")
                    .hasStackTraceContaining("other-model");
        }
    }

    private static WorkingMemory foreignMemory() {
        var other = new io.wmstream.topology.memory.ModelStamp("other-model", "0.1", 2, 16);
        // Active when the harness's clock starts: only the model differs, the conversation is not idle.
        long lastActivityMs = Instant.parse("2026-03-01T09:00:00Z").toEpochMilli();
        return new WorkingMemory(other, new float[32], 2, 1, lastActivityMs, List.of(), List.of(
                new io.wmstream.topology.memory.RememberedTurn(0, "user", HOTEL.get(0)[1], 1.0)), List.of());
    }

    private TopologyHarness harness(Map<String, Object> settings) {
        return harness(settings, "");
    }

    private TopologyHarness harness(Map<String, Object> settings, String suffix) {
        return new TopologyHarness(model, stateDir, applicationId + suffix, settings);
    }

    private static void send(TopologyHarness harness, String conversationId, List<String[]> turns) {
        for (int i = 0; i < turns.size(); i++) {
            harness.send(conversationId, utterance(conversationId, i, turns.get(i)[0], turns.get(i)[1]));
        }
    }

    private static List<String> values(List<TestRecord<String, String>> records) {
        return records.stream().map(TestRecord::value).toList();
    }

    private static JsonNode json(String value) {
        try {
            return CanonicalJson.mapper().readTree(value);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The real model, except that any call holding {@code conversationId} fails, as a broken runtime would. */
    private static final class FailingFor implements ConversationModel {
        private final String conversationId;
        private final ConversationModel delegate;

        FailingFor(String conversationId, ConversationModel delegate) {
            this.conversationId = conversationId;
            this.delegate = delegate;
        }

        @Override
        public ModelInfo info() {
            return delegate.info();
        }

        @Override
        public List<TurnResult> advance(List<TurnRequest> batch) {
            if (batch.stream().anyMatch(r -> r.conversationId().equals(conversationId))) {
                throw new ModelFailureException("injected failure for " + conversationId);
            }
            return delegate.advance(batch);
        }

        @Override
        public void close() {
            // The shared model is closed once, after all tests.
        }
    }
}
