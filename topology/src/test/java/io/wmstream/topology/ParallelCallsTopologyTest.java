package io.wmstream.topology;

import static io.wmstream.topology.TopologyHarness.utterance;
import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.model.ConversationModel;
import io.wmstream.topology.config.ModelFactory;
import io.wmstream.topology.config.WmConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live pipeline uses every core by default: one model thread per core, each computing calls of its own, whole
 * (replay, one caller, deals each call into one call per core instead). A row's result does not depend on which
 * thread or call computed it: the outputs are the bytes of one thread.
 */
class ParallelCallsTopologyTest {
    private static final String[] SAID = {"I need a cheap hotel in the north with free parking.",
        "Is there a train to Ely on Sunday after 10:15?", "Book a table for 4 at 19:30 on Friday, please.",
        "I want a taxi from the station to the museum at 14:30.", "What is their phone number and postcode?"};

    @TempDir
    Path stateDir;

    @Test
    void shouldGiveEachCoreAModelThreadOfItsOwnByDefault() {
        // Given the default configuration, and one with two stream threads
        int cores = Runtime.getRuntime().availableProcessors();
        WmConfig config = new WmConfig(Map.of());
        WmConfig twoStreamThreads = new WmConfig(Map.of("kafka.num.stream.threads", "2"));

        // Then each stream thread has the cores divided among them as model threads, and calls are not split
        assertThat(config.modelThreads()).isEqualTo(cores);
        assertThat(ModelFactory.parallelCalls(config)).isEqualTo(1);
        assertThat(twoStreamThreads.modelThreads()).isEqualTo(Math.max(1, cores / 2));
        // And with one model thread the idle cores compute parts of its calls; a setting wins over the default
        assertThat(ModelFactory.parallelCalls(new WmConfig(Map.of(WmConfig.MODEL_THREADS_CONFIG, 1))))
                .isEqualTo(cores);
        assertThat(ModelFactory.parallelCalls(new WmConfig(Map.of(WmConfig.MODEL_PARALLEL_CALLS_CONFIG, 3))))
                .isEqualTo(3);
    }

    @Test
    void shouldGiveTheSameOutputsOfEachConversationWhetherOneModelThreadOrTwoComputeTheCalls()
            throws InterruptedException {
        // Given the same log of 40 conversations of three turns, sent at once, with one and with two model threads
        Map<String, List<String>> oneThread = runLive(1);
        Map<String, List<String>> twoThreads = runLive(2);

        // Then each conversation got the same replies, in its order, whichever thread computed them
        assertThat(oneThread).hasSize(40);
        assertThat(oneThread.values()).allSatisfy(replies -> assertThat(replies).hasSize(3));
        assertThat(twoThreads).isEqualTo(oneThread);
    }

    /** Each conversation's replies, in order, from a run with {@code modelThreads} model threads as live. */
    private Map<String, List<String>> runLive(int modelThreads) throws InterruptedException {
        try (ConversationModel model = ModelFactory.open(new WmConfig(Map.of(WmConfig.MODEL_DEVICE_CONFIG, "cpu",
                WmConfig.MODEL_PARALLEL_CALLS_CONFIG, 1)));
                var harness = new TopologyHarness(model, stateDir, "wm-threads-" + modelThreads,
                        Map.of(WmConfig.BATCH_MAX_SIZE_CONFIG, 16, WmConfig.MODEL_THREADS_CONFIG, modelThreads,
                                WmConfig.IDLE_EXPIRY_MS_CONFIG, 0L), true)) {
            for (int turn = 0; turn < 3; turn++) {
                for (int c = 0; c < 40; c++) {
                    harness.send("c-" + c, utterance("c-" + c, turn, "user", SAID[(c + turn) % SAID.length]));
                }
            }
            // Calls of 16 rows: while one thread computes, the next full call goes to the other
            Map<String, List<String>> byConversation = new TreeMap<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int received = 0;
            while (received < 120 && System.nanoTime() < deadline) {
                for (TestRecord<String, String> reply : harness.flush().replies()) {
                    byConversation.computeIfAbsent(reply.key(), key -> new ArrayList<>()).add(reply.value());
                    received++;
                }
                Thread.sleep(10);
            }
            return byConversation;
        }
    }

    @Test
    void shouldGiveByteIdenticalOutputsWhetherOneThreadOrFourComputeACall() {
        // Given the same log of 40 conversations of three turns, run with calls on one thread and dealt into four
        List<String> oneThread = run(1);
        List<String> fourThreads = run(4);

        // Then every output value is identical, in the same order
        assertThat(fourThreads).hasSize(120 + 40).isEqualTo(oneThread); // 120 replies, a rolling summary each
    }

    private List<String> run(int parallelCalls) {
        try (ConversationModel model = ModelFactory.open(new WmConfig(Map.of(WmConfig.MODEL_DEVICE_CONFIG, "cpu",
                WmConfig.MODEL_PARALLEL_CALLS_CONFIG, parallelCalls)));
                var harness = new TopologyHarness(model, stateDir, "wm-parallel-" + parallelCalls,
                        Map.of(WmConfig.BATCH_MAX_SIZE_CONFIG, 64, WmConfig.SUMMARY_EVERY_TURNS_CONFIG, 3))) {
            // Each turn of the 40 conversations waits until the punctuation: calls of 40 rows, 10 per thread of four
            List<String> outputs = new ArrayList<>();
            for (int turn = 0; turn < 3; turn++) {
                for (int c = 0; c < 40; c++) {
                    harness.send("c-" + c, utterance("c-" + c, turn, "user", SAID[(c + turn) % SAID.length]));
                }
                harness.flush();
            }
            harness.replies().forEach(reply -> outputs.add(reply.key() + " " + reply.value()));
            harness.summaries().stream().map(TestRecord::value).forEach(outputs::add);
            return outputs;
        }
    }
}
