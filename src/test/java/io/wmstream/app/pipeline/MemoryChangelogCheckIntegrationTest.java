package io.wmstream.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.app.Main;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.demo.OutputWatcher;
import io.wmstream.app.testing.Console;
import io.wmstream.app.testing.EmbeddedKafkaExtension;
import io.wmstream.app.testing.EndToEnd;
import io.wmstream.topology.memory.MemoryRecordLimit;
import io.wmstream.topology.processor.WorkingMemoryStores;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 26, point 4: a working-memory changelog left by an earlier deployment keeps its own
 * {@code max.message.bytes}; {@code run} checks it on the broker and refuses, before anything is consumed, one that
 * accepts less than the largest memory record. Real in-process broker, real topology and bundled model.
 */
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MemoryChangelogCheckIntegrationTest {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path dir;

    @Test
    void shouldRefuseToStartOnAnExistingMemoryChangelogThatAcceptsSmallerRecordsThanAMemoryTakes()
            throws Exception {
        // Given the changelog of an earlier deployment (three partitions, like the input topic), altered to accept
        // records of at most 64 KiB (a memory under the default limits takes up to about 77 KB)
        String app = "small-changelog-app";
        String topic = app + "-" + WorkingMemoryStores.MEMORY_STORE + "-changelog";
        createChangelog(topic, 3, 65_536);

        // When wmstream run starts on it, with events waiting in the input topic
        Console console = new Console();
        Main main = new Main(console.context(Map.of("WM_TOPIC_PREFIX", "small."), new TopologyPipelineFactory()));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> main.execute("run",
                "--bootstrap-servers", KAFKA.bootstrapServers(), "--set", "wm.http.port=0",
                "--set", "kafka.application.id=" + app, "--set", "kafka.state.dir=" + dir.resolve("state"),
                "--set", "wm.model.device=cpu"));
        int exit;
        try {
            exit = run.get(60, TimeUnit.SECONDS);
        } finally {
            console.hooks().forEach(Thread::run);
        }

        // Then it exits with the failure code and a message naming the topic, both sizes and the fix
        assertThat(exit).as(console.err()).isEqualTo(ExitCode.FAILURE);
        assertThat(console.err()).contains("wmstream run: the working-memory changelog " + topic)
                .contains("max.message.bytes=65536")
                .contains("kafka-configs --bootstrap-server " + KAFKA.bootstrapServers() + " --alter "
                        + "--entity-type topics --entity-name " + topic + " --add-config max.message.bytes="
                        + MemoryRecordLimit.CHANGELOG_MAX_MESSAGE_BYTES);
        Matcher needed = Pattern.compile("can take up to (\\d+) bytes").matcher(console.err());
        assertThat(needed.find()).as(console.err()).isTrue();
        assertThat(Long.parseLong(needed.group(1))).isGreaterThan(65_536);
        assertThat(console.out()).doesNotContain("wmstream is running");
        // And nothing was consumed: the application's group committed no offsets
        assertThat(committedOffsets(app)).isEmpty();
    }

    @Test
    void shouldStartAndAnswerOnAnExistingMemoryChangelogThatAcceptsTheLargestMemory() throws Exception {
        // Given the changelog of an earlier deployment as Kafka Streams creates it (two partitions, like the input)
        createChangelog("fits.app-" + WorkingMemoryStores.MEMORY_STORE + "-changelog", 2,
                MemoryRecordLimit.CHANGELOG_MAX_MESSAGE_BYTES);

        // When the end-to-end scenario runs on it with the real pipeline
        EndToEnd.Outcome outcome = new EndToEnd(new TopologyPipelineFactory(), "\"facts\":[")
                .run(KAFKA.bootstrapServers(), "fits.", dir);

        // Then every user utterance is answered and the run stops cleanly
        assertThat(outcome.outputs()).filteredOn(o -> o instanceof OutputWatcher.ReplyOutput)
                .extracting(o -> ((OutputWatcher.ReplyOutput) o).reply().inReplyTo().eventId())
                .containsExactlyInAnyOrder("o1", "o3", "c1");
        assertThat(outcome.runExitCode()).isEqualTo(ExitCode.OK);
    }

    private static void createChangelog(String topic, int partitions, int maxMessageBytes) throws Exception {
        try (Admin admin = Admin.create(client())) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())
                    .configs(Map.of("cleanup.policy", "compact", "max.message.bytes",
                            Integer.toString(maxMessageBytes))))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> committedOffsets(String group) throws Exception {
        try (Admin admin = Admin.create(client())) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        }
    }

    private static Properties client() {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", KAFKA.bootstrapServers());
        return properties;
    }
}
