package io.wmstream.topology;

import io.wmstream.model.ConversationModel;
import io.wmstream.schemas.serde.WmSerdes;
import io.wmstream.topology.config.TopologySettings;
import io.wmstream.topology.config.WmConfig;
import io.wmstream.topology.errors.DeadLetteringDeserializationExceptionHandler;
import io.wmstream.topology.errors.DeadLetteringProcessingExceptionHandler;
import io.wmstream.topology.ingest.ConversationKeying;
import io.wmstream.topology.ingest.EventParser;
import io.wmstream.topology.ingest.EventTimeExtractor;
import io.wmstream.topology.ingest.OriginalRecord;
import io.wmstream.topology.ingest.ParsedEvent;
import io.wmstream.topology.ingest.ParsedEvents;
import io.wmstream.topology.processor.Output;
import io.wmstream.topology.processor.WorkingMemoryProcessorSupplier;
import io.wmstream.topology.store.BoundedRocksDbConfig;
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
 * events --parse--+-- rejected ---------------------------------------------------------> dead letters
 *                 +-- accepted --(key by conversationId)--> rekeyed-events --> working memory --+--> replies
 *                                                                                                +--> summaries
 *                                                                                                +--> dead letters
 * </pre>
 *
 * <p>Every accepted event goes through the repartition topic, the ones already keyed by their conversation too: the
 * processor then reads one source, in which the events of one conversation from one input partition keep their input
 * order. With two sources (the input topic for keyed events, the repartition topic for the others) a keyed event
 * overtook a re-keyed one of its conversation, which was then skipped as a duplicate, and idle expiry depended on
 * the repartition's lag. The cost is one more hop for keyed events; the record they came from travels in
 * {@link OriginalRecord} headers, so that what the processor writes names it.
 */
public final class WorkingMemoryTopology {
    /**
     * Name of the repartition topic through which every accepted event, keyed by its conversationId, reaches the
     * working-memory processor (the topic is {@code <application.id>-rekeyed-events-repartition}; the name is kept
     * from the versions that sent only events keyed otherwise through it).
     */
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
        // One parse per event: the timestamp extractor's, which the parser and the pending queue then take.
        var events = new ParsedEvents(settings.eventLimits());
        KStream<byte[], ParsedEvent> parsed = builder
                .stream(topics.events(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withTimestampExtractor(new EventTimeExtractor(events, settings.eventTimeMaxSkewMs()))
                        .withName("events-source"))
                .processValues(() -> new EventParser(events, settings.eventTimeMaxSkewMs()),
                        Named.as("parse-events"));

        Map<String, KStream<byte[], ParsedEvent>> routes = parsed.split(Named.as("route-"))
                .branch((key, event) -> !event.accepted(), Branched.as("rejected"))
                .defaultBranch(Branched.as("accepted"));

        routes.get("route-rejected")
                .mapValues(ParsedEvent::rawValue, Named.as("rejected-bytes"))
                .to(topics.deadLetters(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName("rejected-sink"));

        KStream<String, Output> outputs = routes.get("route-accepted")
                .process(ConversationKeying::new, Named.as("key-by-conversation"))
                .repartition(Repartitioned.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(REKEY_TOPIC))
                .process(new WorkingMemoryProcessorSupplier(settings, model, logging, stores, events),
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

}
