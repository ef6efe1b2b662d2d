package io.wmstream.app.replay;

import io.wmstream.model.ConversationModel;
import io.wmstream.topology.StoreLogging;
import io.wmstream.topology.WorkingMemoryTopology;
import io.wmstream.topology.config.TopologySettings;
import io.wmstream.topology.config.WmConfig;
import io.wmstream.topology.processor.WorkingMemoryStores;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Runs log events through the production topology on a {@link TopologyTestDriver}: up to {@code wm.batch.max.size}
 * events are piped, then the mock wall clock passes {@code wm.batch.max.wait.ms} so the batch runs, and the
 * outputs of that flush go to the sink in input order. Nothing is kept between flushes, so memory does not grow
 * with the log.
 */
final class Replayer implements AutoCloseable {
    /** Receives the outputs of a replay in output order. */
    interface Sink {
        void accept(ReplayOutput output) throws IOException;
    }

    private final TopologyTestDriver driver;
    private final TestInputTopic<byte[], byte[]> events;
    private final List<Topic> outputs = new ArrayList<>();
    /** Changelog and other topics the driver records but nobody reads here, by name. */
    private final Map<String, TestOutputTopic<byte[], byte[]>> unread = new HashMap<>();
    private final int batchMaxSize;
    private final Duration batchWait;
    private final Sink sink;
    private int unflushed;

    private record Topic(String name, TestOutputTopic<byte[], byte[]> topic, boolean deadLetters) {
    }

    Replayer(WmConfig config, ConversationModel model, Path stateDir, Sink sink) {
        // A test driver runs each punctuation to its end on this thread: the model calls must run on it too.
        TopologySettings settings = TopologySettings.from(config).onCallerThread();
        Properties properties = WorkingMemoryTopology.streamsProperties(config);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // TopologyTestDriver never connects, but Streams still validates that a bootstrap address is set.
        properties.putIfAbsent(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "replay.invalid:9092");
        // The topology has no global stores, so this changes nothing but the warning Streams 4.x logs on every start
        // until it becomes the default in 5.0 (the constant is already deprecated, hence the name).
        properties.putIfAbsent("processing.exception.handler.global.enabled", true);
        // The stores are not changelogged: there is no broker to restore them from, and every changelog record
        // (a copy of each memory at each turn) would be made only to be thrown away.
        this.driver = new TopologyTestDriver(WorkingMemoryTopology.build(settings, model, StoreLogging.NOT_LOGGED),
                properties, Instant.EPOCH);
        this.sink = sink;
        this.batchMaxSize = settings.batchMaxSize();
        this.batchWait = Duration.ofMillis(settings.batchMaxWaitMs() + 1);
        var topics = settings.topics();
        this.events = driver.createInputTopic(topics.events(), new ByteArraySerializer(), new ByteArraySerializer());
        addOutput(topics.replies(), false);
        addOutput(topics.summaries(), false);
        if (!topics.deadLetters().equals(topics.replies()) && !topics.deadLetters().equals(topics.summaries())) {
            addOutput(topics.deadLetters(), true);
        }
    }

    private void addOutput(String name, boolean deadLetters) {
        outputs.add(new Topic(name, driver.createOutputTopic(name, new ByteArrayDeserializer(),
                new ByteArrayDeserializer()), deadLetters));
    }

    /** Pipes one event with its key and record timestamp; runs the batch when it is full. */
    void pipe(byte[] key, byte[] value, long timestampMs) throws IOException {
        events.pipeInput(new TestRecord<>(key, value, new RecordHeaders(), timestampMs));
        if (++unflushed >= batchMaxSize) {
            flush();
        }
    }

    /** Lets the batch wait pass so every pending event runs, then hands this flush's outputs to the sink. */
    void flush() throws IOException {
        driver.advanceWallClockTime(batchWait);
        unflushed = 0;
        List<ReplayOutput> flushed = new ArrayList<>();
        for (Topic topic : outputs) {
            while (!topic.topic().isEmpty()) {
                TestRecord<byte[], byte[]> record = topic.topic().readRecord();
                flushed.add(ReplayOutput.of(topic.name(), record.key(), record.value(), record.headers(),
                        topic.deadLetters()));
            }
        }
        discardUnread();
        flushed.sort(ReplayOutput.ORDER);
        for (ReplayOutput output : flushed) {
            sink.accept(output);
        }
    }

    /**
     * The driver keeps every record written to any topic (the repartition topic, which every accepted event passes
     * through, for one) until it is read: left alone they would make memory grow with the log.
     */
    private void discardUnread() {
        for (String name : driver.producedTopicNames()) {
            if (outputs.stream().noneMatch(topic -> topic.name().equals(name))) {
                TestOutputTopic<byte[], byte[]> topic = unread.computeIfAbsent(name, n -> driver.createOutputTopic(n,
                        new ByteArrayDeserializer(), new ByteArrayDeserializer()));
                while (!topic.isEmpty()) {
                    topic.readRecord();
                }
            }
        }
    }

    /** Hands every conversation's stored memory, in key order, to {@code sink}; call after the last flush. */
    void eachMemory(MemorySink sink) throws IOException {
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(WorkingMemoryStores.MEMORY_STORE);
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                sink.accept(entry.key, entry.value);
            }
        }
    }

    /** Receives one conversation's stored memory bytes. */
    interface MemorySink {
        void accept(String conversationId, byte[] memory) throws IOException;
    }

    @Override
    public void close() {
        driver.close();
    }
}
