package io.wmstream.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.demo.OutputWatcher;
import io.wmstream.app.testing.EndToEnd;
import io.wmstream.app.testing.GrafanaDashboard;
import io.wmstream.app.testing.RepoRoot;
import io.wmstream.app.testing.EmbeddedKafkaExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RunCommandIntegrationTest {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path dir;

    @Test
    void shouldAnswerEveryUserUtteranceOnceAndSummarizeEndedConversations() throws Exception {
        // Given wmstream run with the echo pipeline against a real broker, when a log is produced and the
        // outputs are read read_committed
        EndToEnd.Outcome outcome = EndToEnd.withEcho().run(KAFKA.bootstrapServers(), "e2e-run.", dir);

        // Then each user utterance has exactly one reply and the ended conversation its final summary
        List<String> replies = outcome.outputs().stream().filter(o -> o instanceof OutputWatcher.ReplyOutput)
                .map(o -> ((OutputWatcher.ReplyOutput) o).reply().inReplyTo().eventId()).toList();
        assertThat(replies).containsExactlyInAnyOrder("o1", "o3", "c1");
        assertThat(outcome.outputs()).filteredOn(o -> o instanceof OutputWatcher.SummaryOutput)
                .extracting(OutputWatcher.Output::conversationId).containsExactly("closed-1");

        // And the run stopped cleanly on the shutdown hook
        assertThat(outcome.runExitCode()).isEqualTo(ExitCode.OK);
    }

    @Test
    void shouldExportStreamsJvmAndTopologyMetrics() throws Exception {
        EndToEnd.Outcome outcome = EndToEnd.withEcho().run(KAFKA.bootstrapServers(), "e2e-metrics.", dir);

        // Kafka Streams' own metrics, the JVM's, and the sensors the topology registers in group wmstream-metrics,
        // under the names ops/grafana/wmstream-dashboard.json queries
        assertThat(outcome.metrics()).contains("kafka_stream_thread_process_total", "jvm_memory_used_bytes",
                "kafka_stream_topic_records_consumed_total{", "kafka_stream_topic_records_produced_total{",
                "kafka_stream_client_state{", "kafka_wmstream_replies_total{", "kafka_wmstream_summaries_total{",
                "kafka_wmstream_batch_size_avg{", "kafka_wmstream_model_call_latency_p99_ms{",
                "kafka_wmstream_duplicates_total{", "kafka_wmstream_active_conversations{",
                "kafka_wmstream_dead_letters_total{");
        Set<String> exported = outcome.metrics().lines().filter(line -> !line.startsWith("#"))
                .map(line -> line.replaceAll("[{ ].*", "")).collect(Collectors.toSet());
        assertThat(GrafanaDashboard.metricNames(RepoRoot.path()))
                .as("every metric the Grafana dashboard queries is exported").isSubsetOf(exported);
    }
}
