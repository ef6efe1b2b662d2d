package io.wmstream.topology;

import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * What the topology's key-value stores are built on, by store name: RocksDB ({@link #ROCKSDB}) everywhere wmstream
 * runs. A test may wrap it, e.g. with a store whose writes fail, to show what a failing disk does to the pipeline.
 */
@FunctionalInterface
public interface StoreSuppliers {
    /** Persistent RocksDB stores, Kafka Streams' default. */
    StoreSuppliers ROCKSDB = Stores::persistentKeyValueStore;

    /** The supplier of the store named {@code storeName}. */
    KeyValueBytesStoreSupplier keyValue(String storeName);
}
