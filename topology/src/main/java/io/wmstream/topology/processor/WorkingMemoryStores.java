package io.wmstream.topology.processor;

import io.wmstream.topology.StoreLogging;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** The processor's two RocksDB stores, both changelogged so a crash or a move to another instance loses nothing. */
public final class WorkingMemoryStores {
    /** conversationId -> encoded {@link io.wmstream.topology.memory.WorkingMemory}. */
    public static final String MEMORY_STORE = "working-memory";
    /** arrival sequence -> accepted event not yet run. */
    public static final String PENDING_STORE = "pending-events";

    private WorkingMemoryStores() {
    }

    static Set<StoreBuilder<?>> builders(StoreLogging logging) {
        StoreBuilder<KeyValueStore<String, byte[]>> memory = logged(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(MEMORY_STORE), Serdes.String(), Serdes.ByteArray()), logging)
                .withCachingDisabled();
        StoreBuilder<KeyValueStore<Long, byte[]>> pending = logged(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PENDING_STORE), Serdes.Long(), Serdes.ByteArray()), logging)
                .withCachingDisabled();
        return Set.of(memory, pending);
    }

    private static <T extends StoreBuilder<?>> T logged(T builder, StoreLogging logging) {
        if (logging == StoreLogging.CHANGELOGGED) {
            builder.withLoggingEnabled(Map.of("cleanup.policy", "compact"));
        } else {
            builder.withLoggingDisabled();
        }
        return builder;
    }
}
