package io.wmstream.topology.query;

import io.wmstream.schemas.json.CanonicalJson;
import io.wmstream.topology.memory.WorkingMemoryCodec;
import io.wmstream.topology.processor.WorkingMemoryStores;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Interactive queries of the working-memory store held by this instance. */
public final class MemoryQueries {
    private final KafkaStreams streams;
    private final int summaryBudgetWords;

    public MemoryQueries(KafkaStreams streams, int summaryBudgetWords) {
        this.streams = streams;
        this.summaryBudgetWords = summaryBudgetWords;
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
        var view = ConversationView.of(conversationId, WorkingMemoryCodec.decode(bytes), summaryBudgetWords);
        return Optional.of(CanonicalJson.write(view));
    }
}
