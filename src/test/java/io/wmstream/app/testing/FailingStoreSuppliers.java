package io.wmstream.app.testing;

import io.wmstream.topology.StoreSuppliers;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * RocksDB stores, as in the service, of which one store fails every write of chosen keys, as a failing disk would:
 * for tests that inject a state store failure into the real topology.
 */
public final class FailingStoreSuppliers implements StoreSuppliers {
    private final String failingStore;
    private final Set<Bytes> failingKeys = ConcurrentHashMap.newKeySet();
    private final AtomicInteger failures = new AtomicInteger();

    /** Writes to the store named {@code failingStore} fail for the keys given to {@link #failWritesOf}. */
    public FailingStoreSuppliers(String failingStore) {
        this.failingStore = failingStore;
    }

    /** From now on, every write of {@code key} (a string key, as UTF-8) fails. */
    public void failWritesOf(String key) {
        failingKeys.add(Bytes.wrap(key.getBytes(StandardCharsets.UTF_8)));
    }

    /** How many writes failed so far. */
    public int failures() {
        return failures.get();
    }

    @Override
    public KeyValueBytesStoreSupplier keyValue(String storeName) {
        KeyValueBytesStoreSupplier rocksDb = Stores.persistentKeyValueStore(storeName);
        if (!storeName.equals(failingStore)) {
            return rocksDb;
        }
        return new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return rocksDb.name();
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return new FailingKeyValueStore(rocksDb.get(), this::fails);
            }

            @Override
            public String metricsScope() {
                return rocksDb.metricsScope();
            }

            private boolean fails(Bytes key) {
                if (!failingKeys.contains(key)) {
                    return false;
                }
                failures.incrementAndGet();
                return true;
            }
        };
    }
}
