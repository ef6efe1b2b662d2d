package io.wmstream.topology.query;

import io.wmstream.schemas.json.CanonicalJson;
import io.wmstream.topology.memory.WorkingMemoryCodec;
import io.wmstream.topology.processor.WorkingMemoryStores;
import io.wmstream.topology.summary.SummaryComposer;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Interactive queries of the working-memory store held by this instance. */
public final class MemoryQueries {
    private final KafkaStreams streams;
    private final SummaryComposer composer;

    public MemoryQueries(KafkaStreams streams, SummaryComposer composer) {
        this.streams = streams;
        this.composer = composer;
    }

    /**
     * The conversation as JSON, or empty when this instance does not hold it. Throws Kafka's
     * {@code InvalidStateStoreException} while the store is not queryable (starting, rebalancing).
     */
    public Optional<byte[]> conversationJson(String conversationId) {
        ReadOnlyKeyValueStore<String, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(
                WorkingMemoryStores.MEMORY_STORE, QueryableStoreTypes.keyValueStore()));
        byte[] bytes = store.get(conversationId);
        if (bytes == null) {
            return Optional.empty();
        }
        var view = ConversationView.of(conversationId, WorkingMemoryCodec.decode(bytes), composer);
        return Optional.of(CanonicalJson.write(view));
    }
}
