package io.wmstream.topology;

import io.wmstream.model.ConversationModel;
import io.wmstream.schemas.serde.WmSerdes;
import io.wmstream.topology.config.TopologySettings;
import io.wmstream.topology.config.WmConfig;
import io.wmstream.topology.errors.DeadLetteringDeserializationExceptionHandler;
import io.wmstream.topology.errors.DeadLetteringProcessingExceptionHandler;
import io.wmstream.topology.ingest.EventParser;
import io.wmstream.topology.ingest.EventTimeExtractor;
import io.wmstream.topology.ingest.ParsedEvent;
import io.wmstream.topology.processor.Output;
import io.wmstream.topology.processor.WorkingMemoryProcessorSupplier;
import io.wmstream.topology.store.BoundedRocksDbConfig;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * Builds the wmstream topology (DESIGN 2), for the application, replay and tests alike:
 *
 * <pre>
 * events --parse--+-- rejected -------------------------------------------------------------> dead letters
 *                 +-- keyed by conversationId ----------------+
 *                 +-- other key --(re-key)--> rekeyed-events --+--> working memory --+--> replies
 *                                                                                     +--> summaries
 *                                                                                     +--> dead letters
 * </pre>
 */
public final class WorkingMemoryTopology {
    /** Name of the repartition topic used when input records are not keyed by conversationId. */
    public static final String REKEY_TOPIC = "rekeyed-events";

    private WorkingMemoryTopology() {
    }

    public static Topology build(TopologySettings settings, ConversationModel model) {
        return build(settings, model, StoreLogging.CHANGELOGGED);
    }

    /**
     * The topology with its stores changelogged or not. Only an offline replay, which has no broker to restore
     * from and discards what the stores would log, builds it {@link StoreLogging#NOT_LOGGED}; outputs are the same.
     */
    public static Topology build(TopologySettings settings, ConversationModel model, StoreLogging logging) {
        return build(settings, model, logging, StoreSuppliers.ROCKSDB);
    }

    /** The topology with its stores built on {@code stores} (RocksDB but in tests that inject store failures). */
    public static Topology build(TopologySettings settings, ConversationModel model, StoreLogging logging,
            StoreSuppliers stores) {
        var topics = settings.topics();
        var builder = new StreamsBuilder();
        KStream<byte[], ParsedEvent> parsed = builder
                .stream(topics.events(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withTimestampExtractor(new EventTimeExtractor(settings.eventLimits(),
                                settings.eventTimeMaxSkewMs())).withName("events-source"))
                .processValues(() -> new EventParser(settings.eventLimits(), settings.eventTimeMaxSkewMs()),
                        Named.as("parse-events"));

        Map<String, KStream<byte[], ParsedEvent>> routes = parsed.split(Named.as("route-"))
                .branch((key, event) -> !event.accepted(), Branched.as("rejected"))
                .branch((key, event) -> isKeyedByConversation(key, event), Branched.as("keyed"))
                .defaultBranch(Branched.as("unkeyed"));

        routes.get("route-rejected")
                .mapValues(ParsedEvent::rawValue, Named.as("rejected-bytes"))
                .to(topics.deadLetters(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName("rejected-sink"));

        KStream<byte[], byte[]> keyed = routes.get("route-keyed")
                .mapValues(ParsedEvent::rawValue, Named.as("keyed-bytes"));
        KStream<byte[], byte[]> rekeyed = routes.get("route-unkeyed")
                .map((key, event) -> KeyValue.pair(conversationKey(event), event.rawValue()), Named.as("rekey"))
                .repartition(Repartitioned.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(REKEY_TOPIC));

        KStream<String, Output> outputs = keyed.merge(rekeyed, Named.as("merge-events"))
                .process(new WorkingMemoryProcessorSupplier(settings, model, logging, stores),
                        Named.as("working-memory"));

        Map<String, KStream<String, Output>> byKind = outputs.split(Named.as("output-"))
                .branch((key, out) -> out instanceof Output.ReplyOut, Branched.as("replies"))
                .branch((key, out) -> out instanceof Output.SummaryOut, Branched.as("summaries"))
                .defaultBranch(Branched.as("dead-letters"));
        byKind.get("output-replies")
                .mapValues(out -> ((Output.ReplyOut) out).reply(), Named.as("reply-values"))
                .to(topics.replies(), Produced.with(Serdes.String(), WmSerdes.replies()).withName("replies-sink"));
        byKind.get("output-summaries")
                .mapValues(out -> ((Output.SummaryOut) out).summary(), Named.as("summary-values"))
                .to(topics.summaries(), Produced.with(Serdes.String(), WmSerdes.summaries())
                        .withName("summaries-sink"));
        byKind.get("output-dead-letters")
                .map((key, out) -> KeyValue.pair(((Output.DeadLetterOut) out).key(),
                        ((Output.DeadLetterOut) out).value()), Named.as("dead-letter-bytes"))
                .to(topics.deadLetters(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName("dead-letters-sink"));
        return builder.build();
    }

    /**
     * Kafka Streams settings for this topology: exactly-once v2, the dead-lettering handlers, bounded RocksDB,
     * then every {@code kafka.*} setting of the configuration, which wins.
     */
    public static Properties streamsProperties(WmConfig config) {
        var properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "wmstream");
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
                config.topic(WmConfig.TOPIC_DEAD_LETTERS_CONFIG));
        properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetteringProcessingExceptionHandler.class.getName());
        properties.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetteringDeserializationExceptionHandler.class.getName());
        properties.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbConfig.class.getName());
        // A short poll keeps wall-clock batching punctuations close to wm.batch.max.wait.ms when input is idle.
        properties.put(StreamsConfig.POLL_MS_CONFIG, 10);
        properties.putAll(config.kafkaProperties());
        return properties;
    }

    private static boolean isKeyedByConversation(byte[] key, ParsedEvent event) {
        return key != null && Arrays.equals(key, conversationKey(event));
    }

    private static byte[] conversationKey(ParsedEvent event) {
        return event.event().conversationId().getBytes(StandardCharsets.UTF_8);
    }
}
