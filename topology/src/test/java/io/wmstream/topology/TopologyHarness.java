package io.wmstream.topology;

import io.wmstream.model.ConversationModel;
import io.wmstream.schemas.deadletter.DeadLetterHeaders;
import io.wmstream.topology.config.TopologySettings;
import io.wmstream.topology.config.WmConfig;
import io.wmstream.topology.memory.WorkingMemory;
import io.wmstream.topology.memory.WorkingMemoryCodec;
import io.wmstream.topology.processor.WorkingMemoryStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/** A TopologyTestDriver over the real topology and a real model, with topics read as text for exact comparison. */
final class TopologyHarness implements AutoCloseable {
    private final TopologyTestDriver driver;
    private final TestInputTopic<byte[], byte[]> events;
    private final TestOutputTopic<String, String> replies;
    private final TestOutputTopic<String, String> summaries;
    private final TestOutputTopic<byte[], byte[]> deadLetters;
    private Instant clock = Instant.parse("2026-03-01T09:00:00Z");

    TopologyHarness(ConversationModel model, Path stateDir, String applicationId, Map<String, Object> settings) {
        this(model, stateDir, applicationId, settings, false);
    }

    /**
     * With {@code modelThread}, the model calls run on the stream thread's model thread as in a live run
     * ({@code wm.batch.overlap}): their results are taken in when a record or the wall clock lets the task pump.
     */
    TopologyHarness(ConversationModel model, Path stateDir, String applicationId, Map<String, Object> settings,
            boolean modelThread) {
        Map<String, Object> all = new HashMap<>();
        all.put(WmConfig.BATCH_MAX_WAIT_MS_CONFIG, 5L);
        all.putAll(settings);
        var config = new WmConfig(all);
        Properties properties = WorkingMemoryTopology.streamsProperties(config);
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        var settingsOfTopology = modelThread ? TopologySettings.from(config) : TopologySettings.from(config)
                .onCallerThread();
        driver = new TopologyTestDriver(WorkingMemoryTopology.build(settingsOfTopology, model), properties);
        var topics = settingsOfTopology.topics();
        events = driver.createInputTopic(topics.events(), new ByteArraySerializer(), new ByteArraySerializer());
        replies = driver.createOutputTopic(topics.replies(), new StringDeserializer(), new StringDeserializer());
        summaries = driver.createOutputTopic(topics.summaries(), new StringDeserializer(), new StringDeserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetters(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    /** Sends one event JSON keyed by {@code key}, one second after the previous one. */
    TopologyHarness send(String key, String json) {
        return sendBytes(key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    TopologyHarness sendBytes(byte[] key, byte[] value) {
        return sendWithHeaders(key, value, new RecordHeaders());
    }

    /** Sends one record with the producer's {@code headers}, one second after the previous one. */
    TopologyHarness sendWithHeaders(byte[] key, byte[] value, Headers headers) {
        clock = clock.plusSeconds(1);
        events.pipeInput(new TestRecord<>(key, value, headers, clock));
        return this;
    }

    /** Lets the wall clock pass so that waiting micro-batches run. */
    TopologyHarness flush() {
        driver.advanceWallClockTime(Duration.ofMillis(50));
        return this;
    }

    /** Moves event time forward (the next event will carry it). */
    TopologyHarness advanceEventTime(Duration duration) {
        clock = clock.plus(duration);
        return this;
    }

    List<TestRecord<String, String>> replies() {
        return replies.readRecordsToList();
    }

    List<TestRecord<String, String>> summaries() {
        return summaries.readRecordsToList();
    }

    List<TestRecord<byte[], byte[]>> deadLetters() {
        return deadLetters.readRecordsToList();
    }

    WorkingMemory memory(String conversationId) {
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(WorkingMemoryStores.MEMORY_STORE);
        byte[] bytes = store.get(conversationId);
        return bytes == null ? null : WorkingMemoryCodec.decode(bytes);
    }

    /** How many accepted events wait in the pending store. */
    int pendingCount() {
        KeyValueStore<Long, byte[]> store = driver.getKeyValueStore(WorkingMemoryStores.PENDING_STORE);
        int count = 0;
        try (var all = store.all()) {
            while (all.hasNext()) {
                all.next();
                count++;
            }
        }
        return count;
    }

    /** Writes a conversation's memory straight into the store, as an earlier run (or another model) left it. */
    void putMemory(String conversationId, WorkingMemory memory) {
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(WorkingMemoryStores.MEMORY_STORE);
        store.put(conversationId, WorkingMemoryCodec.encode(memory));
    }

    double metric(String name) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    static String header(Headers headers, String name) {
        return DeadLetterHeaders.read(headers, name);
    }

    static String utterance(String conversationId, int turn, String speaker, String text) {
        return "{\"conversationId\":\"" + conversationId + "\",\"turn\":" + turn + ",\"speaker\":\"" + speaker
                + "\",\"text\":\"" + text + "\"}";
    }

    static String control(String type, String conversationId, int turn) {
        return "{\"type\":\"" + type + "\",\"conversationId\":\"" + conversationId + "\",\"turn\":" + turn + "}";
    }

    @Override
    public void close() {
        driver.close();
    }
}
