package io.wmstream.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.app.Main;
import io.wmstream.app.broker.EmbeddedKafka;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.demo.OutputWatcher;
import io.wmstream.app.demo.SampleLog;
import io.wmstream.app.pipeline.TopologyPipelineFactory;
import io.wmstream.app.testing.Console;
import io.wmstream.app.testing.EndToEnd;
import io.wmstream.schemas.output.SummaryKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo} and {@code run} with the real topology and the bundled model, as a user runs them. */
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RealPipelineIntegrationTest {
    @TempDir
    Path dir;

    @Test
    void shouldRunTheDemoToTheEndWithTheBundledModel() {
        // Given the demo as ops/wmstream runs it
        Console console = new Console();
        SampleLog log = SampleLog.load();

        // When it runs
        int code = new Main(console.context(Map.of(), new TopologyPipelineFactory())).execute("demo");

        // Then every user utterance got a reply and every conversation its final summary, and it exited 0
        assertThat(code).as(console.err()).isEqualTo(ExitCode.OK);
        List<String> lines = console.out().lines().toList();
        assertThat(lines).filteredOn(line -> line.contains("   -> assistant"))
                .hasSize((int) log.expectedReplies(List.of("user")));
        assertThat(lines).filteredOn(line -> line.contains("== final summary"))
                .hasSize(log.endedConversations().size());
        assertThat(lines.get(lines.size() - 1)).startsWith("demo done in");
    }

    @Test
    void shouldAnswerEachUserUtteranceOnceAndServeTheConversation() throws Exception {
        // Given a broker, wmstream run with the real pipeline, a produced log and a read_committed consumer
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            EndToEnd.Outcome outcome = new EndToEnd(new TopologyPipelineFactory(), "\"facts\":[")
                    .run(kafka.bootstrapServers(), "real.", dir);

            // Then each user utterance has exactly one reply and the ended conversation a final summary
            assertThat(outcome.outputs()).filteredOn(o -> o instanceof OutputWatcher.ReplyOutput)
                    .extracting(o -> ((OutputWatcher.ReplyOutput) o).reply().inReplyTo().eventId())
                    .containsExactlyInAnyOrder("o1", "o3", "c1");
            assertThat(outcome.outputs()).filteredOn(o -> o instanceof OutputWatcher.SummaryOutput)
                    .extracting(o -> ((OutputWatcher.SummaryOutput) o).summary())
                    .anySatisfy(summary -> {
                        assertThat(summary.conversationId()).isEqualTo("closed-1");
                        assertThat(summary.kind()).isEqualTo(SummaryKind.FINAL);
                    });
            assertThat(outcome.metrics()).contains("kafka_wmstream_replies_total{",
                    "kafka_wmstream_dead_letters_total{");
            assertThat(outcome.runExitCode()).isEqualTo(ExitCode.OK);
        }
    }
}
