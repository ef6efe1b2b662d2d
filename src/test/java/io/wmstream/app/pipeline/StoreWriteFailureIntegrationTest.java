package io.wmstream.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.app.Main;
import io.wmstream.app.bench.NoOpModel;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.demo.OutputWatcher;
import io.wmstream.app.testing.Console;
import io.wmstream.app.testing.EmbeddedKafkaExtension;
import io.wmstream.app.testing.FailingStoreSuppliers;
import io.wmstream.model.ModelInfo;
import io.wmstream.topology.StoreLogging;
import io.wmstream.topology.StoreSuppliers;
import io.wmstream.topology.WorkingMemoryTopology;
import io.wmstream.topology.config.TopologySettings;
import io.wmstream.topology.memory.WorkingMemoryCodec;
import io.wmstream.topology.processor.WorkingMemoryStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 26, point 2, a store that throws: the working-memory store fails to write one conversation's memory in the
 * middle of a batch, on a real broker under exactly-once, with the real topology on RocksDB (a no-op model: the
 * model plays no part in it). Nothing of the batch may be committed (memories, outputs, pending removals), the record
 * at hand is not dead-lettered while it stays pending, and the instance stops with the error instead of retrying the
 * same batch for ever; once the store works again, every utterance is answered once and advanced its memory once.
 */
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StoreWriteFailureIntegrationTest {
    private static final String PREFIX = "store-fails.";
    private static final String APP = "store-fails-app";
    private static final ModelInfo NO_OP = new ModelInfo("no-op", "1.0.0", 1, 16, 64);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path dir;

    @Test
    void shouldCommitNothingOfABatchWhoseMemoryWriteFailsStopAndAnswerEachUtteranceOnceAfterARestart()
            throws Exception {
        // Given a running instance whose working-memory store will fail every write of conversation doomed-3, and
        // three conversations it has answered (events without turn or eventId: a batch applied twice would advance
        // their memories twice, and a retry could not tell)
        var failing = new FailingStoreSuppliers(WorkingMemoryStores.MEMORY_STORE);
        failing.failWritesOf("doomed-3");
        Console first = new Console();
        CompletableFuture<Integer> firstRun = run(first, failing);
        List<OutputWatcher.Output> outputs = new ArrayList<>();
        try {
            first.awaitOut("wmstream is running", Duration.ofSeconds(90));
            try (OutputWatcher watcher = watcher()) {
                send(utterance("hotel-1", "I need a quiet hotel in the north."),
                        utterance("taxi-2", "Book me a taxi to the station."),
                        utterance("museum-4", "When does the Fitzwilliam open?"));
                await(watcher, outputs, 3);

                // When one batch holds taxi-2's next turn, doomed-3's first, whose memory cannot be written, and
                // hotel-1's: the memories are written in that order, so taxi-2's goes in before doomed-3's fails
                send(utterance("taxi-2", "Can it come at half past five instead?"),
                        utterance("doomed-3", "Is there a train to Ely after six?"),
                        utterance("hotel-1", "Does it have free parking?"));

                // Then the instance stops with the failure, instead of dead-lettering records and retrying the batch
                int exit = firstRun.get(60, TimeUnit.SECONDS);
                assertThat(exit).as(first.err()).isEqualTo(ExitCode.FAILURE);
                assertThat(first.err()).contains("the pipeline stopped with an error")
                        .contains("failed writing key doomed-3");
                assertThat(failing.failures()).isEqualTo(1);
                // And nothing of the failed batch was committed: no output, no memory advanced by it
                watcher.watch(outputs::add, () -> false, Duration.ofSeconds(2));
                assertThat(outputs).hasSize(3);
                assertThat(committedMemoryUtterances()).containsExactlyInAnyOrderEntriesOf(
                        Map.of("hotel-1", 1, "taxi-2", 1, "museum-4", 1));

                // When the instance starts again on the same state directory, its store working again
                Console second = new Console();
                CompletableFuture<Integer> secondRun = run(second, StoreSuppliers.ROCKSDB);
                try {
                    await(watcher, outputs, 6);
                    watcher.watch(outputs::add, () -> false, Duration.ofSeconds(2));
                } finally {
                    second.hooks().forEach(Thread::run);
                }
                assertThat(secondRun.get(60, TimeUnit.SECONDS)).as(second.err()).isEqualTo(ExitCode.OK);
            }
        } finally {
            first.hooks().forEach(Thread::run);
        }

        // Then each user utterance was answered once, in order, and each memory advanced once per utterance
        Map<String, List<Long>> replyTurns = outputs.stream().filter(o -> o instanceof OutputWatcher.ReplyOutput)
                .map(o -> ((OutputWatcher.ReplyOutput) o).reply())
                .collect(Collectors.groupingBy(reply -> reply.conversationId(),
                        Collectors.mapping(reply -> reply.turn(), Collectors.toList())));
        assertThat(replyTurns).containsExactlyInAnyOrderEntriesOf(Map.of("hotel-1", List.of(1L, 2L),
                "taxi-2", List.of(1L, 2L), "museum-4", List.of(1L), "doomed-3", List.of(1L)));
        assertThat(committedMemoryUtterances()).containsExactlyInAnyOrderEntriesOf(
                Map.of("hotel-1", 2, "taxi-2", 2, "museum-4", 1, "doomed-3", 1));
        // And no record was dead-lettered
        assertThat(committed(PREFIX + "conversation-dead-letters")).isEmpty();
    }

    private CompletableFuture<Integer> run(Console console, StoreSuppliers stores) {
        PipelineFactory factory = (config, streamsProperties) -> {
            Properties properties = WorkingMemoryTopology.streamsProperties(config);
            properties.putAll(streamsProperties);
            var streams = new KafkaStreams(WorkingMemoryTopology.build(TopologySettings.from(config),
                    new NoOpModel(NO_OP), StoreLogging.CHANGELOGGED, stores), properties);
            return Pipeline.of(streams, () -> { });
        };
        Main main = new Main(console.context(Map.of("WM_TOPIC_PREFIX", PREFIX), factory));
        return CompletableFuture.supplyAsync(() -> main.execute("run", "--bootstrap-servers",
                KAFKA.bootstrapServers(), "--set", "wm.http.port=0", "--set", "kafka.application.id=" + APP,
                "--set", "kafka.state.dir=" + dir.resolve("state"), "--set", "kafka.commit.interval.ms=100",
                "--set", "wm.topic.partitions=1",
                // Batches of exactly three conversations, run on the stream thread and never cut short by a
                // punctuation (no idle scan, a minute's wait), so that the failing write comes in the middle of one.
                "--set", "wm.batch.max.size=3", "--set", "wm.batch.max.wait.ms=60000",
                "--set", "wm.batch.overlap=false", "--set", "wm.idle.expiry.ms=0"));
    }

    /** A user's utterance without turn or eventId. */
    private static ProducerRecord<String, String> utterance(String conversationId, String text) {
        return new ProducerRecord<>(PREFIX + "conversation-events", conversationId, "{\"conversationId\":\""
                + conversationId + "\",\"speaker\":\"user\",\"text\":\"" + text + "\"}");
    }

    /** Sends {@code events} in one producer batch, so that they arrive together. */
    @SafeVarargs
    private static void send(ProducerRecord<String, String>... events) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(client(), new StringSerializer(),
                new StringSerializer())) {
            for (ProducerRecord<String, String> event : events) {
                producer.send(event);
            }
            producer.flush();
        }
    }

    private static OutputWatcher watcher() {
        return new OutputWatcher(client(), PREFIX + "conversation-replies", PREFIX + "conversation-summaries");
    }

    private static void await(OutputWatcher watcher, List<OutputWatcher.Output> outputs, int count) {
        boolean done = watcher.watch(outputs::add, () -> outputs.size() >= count, Duration.ofSeconds(60));
        assertThat(done).as("outputs so far: %s", outputs).isTrue();
    }

    /** Each conversation's utterance count in the last committed memory of the working-memory changelog. */
    private static Map<String, Integer> committedMemoryUtterances() {
        Map<String, Integer> utterances = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : committed(APP + "-" + WorkingMemoryStores.MEMORY_STORE
                + "-changelog")) {
            String id = new String(record.key(), StandardCharsets.UTF_8);
            if (record.value() == null) {
                utterances.remove(id);
            } else {
                utterances.put(id, WorkingMemoryCodec.decode(record.value()).utterances());
            }
        }
        return utterances;
    }

    /** Every committed record of {@code topic}'s single partition, from its beginning. */
    private static List<ConsumerRecord<byte[], byte[]>> committed(String topic) {
        Properties properties = client();
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        TopicPartition partition = new TopicPartition(topic, 0);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(partition) < end) {
                assertThat(System.nanoTime()).as("reading %s", topic).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static Properties client() {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", KAFKA.bootstrapServers());
        return properties;
    }
}
