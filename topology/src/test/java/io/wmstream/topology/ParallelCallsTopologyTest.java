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
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live pipeline uses every core by default: a model call is dealt into one call per core, each on its own
 * thread. A row's result does not depend on which thread computed it: the outputs are the bytes of one thread.
 */
class ParallelCallsTopologyTest {
    private static final String[] SAID = {"I need a cheap hotel in the north with free parking.",
        "Is there a train to Ely on Sunday after 10:15?", "Book a table for 4 at 19:30 on Friday, please.",
        "I want a taxi from the station to the museum at 14:30.", "What is their phone number and postcode?"};

    @TempDir
    Path stateDir;

    @Test
    void shouldUseOneModelCallPerCoreByDefault() {
        // Given the default configuration
        WmConfig config = new WmConfig(Map.of());

        // Then a batch is dealt into one call per core of the machine
        assertThat(config.getInt(WmConfig.MODEL_PARALLEL_CALLS_CONFIG)).isEqualTo(WmConfig.PARALLEL_CALLS_PER_CORE);
        assertThat(ModelFactory.parallelCalls(config)).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(ModelFactory.parallelCalls(new WmConfig(Map.of(WmConfig.MODEL_PARALLEL_CALLS_CONFIG, 3))))
                .isEqualTo(3);
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
