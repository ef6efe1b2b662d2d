package io.wmstream.topology;

import static io.wmstream.topology.TopologyHarness.utterance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.model.ConversationModel;
import io.wmstream.model.ModelFailureException;
import io.wmstream.model.ModelInfo;
import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import io.wmstream.schemas.json.CanonicalJson;
import io.wmstream.topology.config.ModelFactory;
import io.wmstream.topology.config.WmConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 26, failures: a batch is applied whole or not at all (invariant 8), the record at hand is never both
 * dead-lettered and pending, a failure that repeats stops the stream thread, and model failures are counted.
 * TopologyTestDriver, real RocksDB stores, the real default model behind a wrapper that fails on demand.
 */
class BatchFailureTopologyTest {
    private static ConversationModel realModel;

    @TempDir
    Path stateDir;

    private String applicationId;

    @BeforeAll
    static void openModel() {
        realModel = ModelFactory.open(new WmConfig(Map.of(WmConfig.MODEL_DEVICE_CONFIG, "cpu")));
    }

    @AfterAll
    static void closeModel() {
        realModel.close();
    }

    @BeforeEach
    void name(TestInfo info) {
        applicationId = "wm-" + info.getTestMethod().orElseThrow().getName();
    }

    @Test
    void shouldApplyNothingOfABatchThatFailsPartWayAndRunItWholeOnceTheCauseIsGone() {
        var model = new Faulty(realModel);
        try (var harness = harness(model, Map.of())) {
            // Given a conversation whose first turn was answered
            harness.send("A", utterance("A", 0, "user", "I need a cheap hotel in the north."));
            assertThat(harness.flush().replies()).hasSize(1);
            // And a batch of two more turns whose second breaks the model (not a ModelFailureException) every time
            model.breakOn("boom");
            harness.send("A", utterance("A", 1, "agent", "Sure, for how many nights?"));
            harness.send("A", utterance("A", 2, "user", "boom, two nights"));

            // When the batch runs, and its retries
            // Then the stream thread stops with the batch's failure instead of dead-lettering or looping
            assertThatThrownBy(harness::flush).isInstanceOf(StreamsException.class)
                    .hasStackTraceContaining("BatchFailedException").hasStackTraceContaining("failed 3 times");
            // And nothing of the batch was applied: memory not advanced by its first wave, nothing sent, both pending
            assertThat(harness.memory("A").utterances()).isEqualTo(1);
            assertThat(harness.replies()).isEmpty();
            assertThat(harness.deadLetters()).isEmpty();
            assertThat(harness.pendingCount()).isEqualTo(2);

            // When the model works again and the next record lets the batch run (the test driver does not reschedule
            // a punctuation that failed: a real stream thread would have stopped, and run it after its restart)
            model.breakOn(null);
            harness.send("B", utterance("B", 0, "user", "A taxi to the station, please."));
            List<TestRecord<String, String>> replies = harness.replies();

            // Then each turn of the batch advanced the memory once and the user's turn was answered once
            assertThat(replies).extracting(r -> r.key() + "@" + json(r.value()).get("inReplyTo").get("turn").asLong())
                    .containsExactly("A@2");
            assertThat(harness.memory("A").utterances()).isEqualTo(3);
            assertThat(harness.deadLetters()).isEmpty();
        }
    }

    @Test
    void shouldNeverDeadLetterTheRecordBeingProcessedWhileItStaysPending() {
        var model = new Faulty(realModel);
        model.breakOn("boom");
        // Given batches of one event, so that the record being processed runs at once
        try (var harness = harness(model, Map.of(WmConfig.BATCH_MAX_SIZE_CONFIG, 1))) {
            // When an utterance that breaks the model arrives
            // Then processing it stops the stream thread
            assertThatThrownBy(() -> harness.send("A", utterance("A", 0, "user", "boom")))
                    .isInstanceOf(StreamsException.class).hasStackTraceContaining("BatchFailedException");
            // And the record is pending, not dead-lettered as well
            assertThat(harness.deadLetters()).isEmpty();
            assertThat(harness.pendingCount()).isEqualTo(1);
            assertThat(harness.memory("A")).isNull();
        }
    }

    @Test
    void shouldAnswerEachUtteranceOnceAndCountTheFailuresWhenTheModelFailsForAWhile() {
        var model = new Faulty(realModel);
        try (var harness = harness(model, Map.of())) {
            // Given a conversation whose first turn was answered
            harness.send("A", utterance("A", 0, "user", "I need a cheap hotel in the north."));
            harness.flush();
            // And a model that throws ModelFailureException on its next two calls
            model.failNextCalls(2);

            // When three more turns of two conversations run
            harness.send("A", utterance("A", 1, "agent", "Sure, for how many nights?"));
            harness.send("A", utterance("A", 2, "user", "Two nights, starting Friday."));
            harness.send("B", utterance("B", 0, "user", "A taxi to the station, please."));
            harness.flush();

            // Then every user turn was answered exactly once and every memory advanced once per utterance
            assertThat(harness.replies()).extracting(r -> r.key() + "@"
                    + json(r.value()).get("inReplyTo").get("turn").asLong()).containsExactly("A@0", "A@2", "B@0");
            assertThat(harness.memory("A").utterances()).isEqualTo(3);
            assertThat(harness.memory("B").utterances()).isEqualTo(1);
            assertThat(harness.deadLetters()).isEmpty();
            // And both failed calls were counted
            assertThat(harness.metric("model-call-failures-total")).isEqualTo(2.0);
        }
    }

    private TopologyHarness harness(ConversationModel model, Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>(settings);
        // The back-off is tested by its arithmetic elsewhere; here it only slows the test.
        all.put(WmConfig.MODEL_RETRY_BACKOFF_MS_CONFIG, 1L);
        return new TopologyHarness(model, stateDir, applicationId, all);
    }

    private static JsonNode json(String value) {
        try {
            return CanonicalJson.mapper().readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The real model, made to fail on demand: as a broken runtime (any call with a word), or for a few calls. */
    private static final class Faulty implements ConversationModel {
        private final ConversationModel delegate;
        private String breakingWord;
        private int failuresToCome;

        Faulty(ConversationModel delegate) {
            this.delegate = delegate;
        }

        /** Every call holding an utterance with {@code word} throws an IllegalStateException; null: none. */
        void breakOn(String word) {
            breakingWord = word;
        }

        /** The next {@code calls} calls throw ModelFailureException. */
        void failNextCalls(int calls) {
            failuresToCome = calls;
        }

        @Override
        public ModelInfo info() {
            return delegate.info();
        }

        @Override
        public List<TurnResult> advance(List<TurnRequest> batch) {
            if (breakingWord != null && batch.stream().anyMatch(r -> r.text().contains(breakingWord))) {
                throw new IllegalStateException("injected: the runtime broke on '" + breakingWord + "'");
            }
            if (failuresToCome > 0) {
                failuresToCome--;
                throw new ModelFailureException("injected model failure");
            }
            return delegate.advance(batch);
        }

        @Override
        public void close() {
            // The shared model is closed once, after all tests.
        }
    }
}
