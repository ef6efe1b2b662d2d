package io.wmstream.app.testing;

import io.wmstream.app.http.ConversationLookup;
import io.wmstream.app.http.RoutingConversationLookup;
import io.wmstream.app.pipeline.Pipeline;
import io.wmstream.app.pipeline.PipelineFactory;
import io.wmstream.schemas.event.ConversationEvent;
import io.wmstream.schemas.event.ConversationEventReader;
import io.wmstream.schemas.event.EventLimits;
import io.wmstream.schemas.event.EventType;
import io.wmstream.schemas.event.ReadResult;
import io.wmstream.schemas.json.CanonicalJson;
import io.wmstream.schemas.output.Highlight;
import io.wmstream.schemas.output.InReplyTo;
import io.wmstream.schemas.output.ModelRef;
import io.wmstream.schemas.output.Reply;
import io.wmstream.schemas.output.Summary;
import io.wmstream.schemas.output.SummaryKind;
import io.wmstream.schemas.output.SummaryReason;
import io.wmstream.topology.config.WmConfig;
import io.wmstream.topology.metrics.TopologyMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.Stores;

/**
 * A stand-in pipeline for the application's tests: it answers each user utterance with "echo: text", emits a final
 * summary on {@code end}, keeps a per-conversation turn count in a queryable RocksDB store, and registers the real
 * {@link TopologyMetrics} sensors, so the application's plumbing (broker, topics, HTTP, metrics, exactly-once
 * outputs) is tested without the model.
 */
public final class EchoPipelineFactory implements PipelineFactory {
    public static final String STORE = "echo-memory";
    public static final ModelRef MODEL = new ModelRef("echo", "1");

    @Override
    public Pipeline create(WmConfig config, Properties streamsProperties) {
        Topology topology = new Topology();
        topology.addSource("events", new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                config.topic(WmConfig.TOPIC_EVENTS_CONFIG));
        topology.addProcessor("echo", () -> new EchoProcessor(config.replyRoles()), "events");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                Serdes.ByteArray()), "echo");
        topology.addSink("replies", config.topic(WmConfig.TOPIC_REPLIES_CONFIG), new StringSerializer(),
                new ByteArraySerializer(), "echo");
        topology.addSink("summaries", config.topic(WmConfig.TOPIC_SUMMARIES_CONFIG), new StringSerializer(),
                new ByteArraySerializer(), "echo");
        topology.addSink("dead-letters", config.topic(WmConfig.TOPIC_DEAD_LETTERS_CONFIG),
                new ByteArraySerializer(), new ByteArraySerializer(), "echo");
        KafkaStreams streams = new KafkaStreams(topology, streamsProperties);
        return new Pipeline() {
            @Override
            public KafkaStreams streams() {
                return streams;
            }

            @Override
            public ConversationLookup lookup(HostInfo self) {
                return new RoutingConversationLookup(streams, STORE, self, id -> Optional.ofNullable(streams.store(
                        StoreQueryParameters.fromNameAndType(STORE,
                                QueryableStoreTypes.<String, byte[]>keyValueStore())).get(id)));
            }
        };
    }

    private static final class EchoProcessor implements Processor<byte[], byte[], Object, Object> {
        private final List<String> replyRoles;
        private final ConversationEventReader reader = new ConversationEventReader(EventLimits.DEFAULTS);
        private ProcessorContext<Object, Object> context;
        private KeyValueStore<String, byte[]> memory;
        private TopologyMetrics metrics;

        EchoProcessor(List<String> replyRoles) {
            this.replyRoles = replyRoles;
        }

        @Override
        public void init(ProcessorContext<Object, Object> context) {
            this.context = context;
            this.memory = context.getStateStore(STORE);
            this.metrics = new TopologyMetrics(context.metrics(), context.taskId(), 64, "echo");
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            ReadResult result = reader.read(record.value());
            if (!(result instanceof ReadResult.Accepted accepted)) {
                metrics.recordDeadLetter(((ReadResult.Rejected) result).rejection().reason());
                context.forward(new Record<Object, Object>(record.key(), record.value(), record.timestamp()),
                        "dead-letters");
                return;
            }
            ConversationEvent event = accepted.event();
            String id = event.conversationId();
            long turns = turns(id) + 1;
            if (event.type() == EventType.END) {
                Summary summary = new Summary(id, SummaryKind.FINAL, SummaryReason.END,
                        event.turn() == null ? 0 : event.turn(), (int) turns - 1, "echoed " + (turns - 1) + " turns",
                        List.of(new Highlight(0, "user", "first", 0.5)), MODEL, null);
                memory.delete(id);
                metrics.recordSummary();
                forward("summaries", id, summary, record.timestamp());
                return;
            }
            memory.put(id, CanonicalJson.write(Map.of("conversationId", id, "turns", turns)));
            if (event.isUtterance() && replyRoles.contains(event.speaker())) {
                long turn = event.turn() == null ? turns : event.turn() + 1;
                Reply reply = new Reply(id, new InReplyTo(event.turn(), event.eventId()), turn, "assistant",
                        "echo: " + event.text(), 1, MODEL, event.metadata());
                metrics.recordReply();
                metrics.recordBatch(1, 0.5);
                forward("replies", id, reply, record.timestamp());
            }
        }

        private long turns(String id) {
            byte[] stored = memory.get(id);
            if (stored == null) {
                return 0;
            }
            try {
                return CanonicalJson.readTree(stored).get("turns").asLong();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private void forward(String sink, String key, Object value, long timestamp) {
            context.forward(new Record<Object, Object>(key, CanonicalJson.write(value), timestamp), sink);
        }

        @Override
        public void close() {
            metrics.close();
        }
    }

    /** UTF-8 bytes, for keys in assertions. */
    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
