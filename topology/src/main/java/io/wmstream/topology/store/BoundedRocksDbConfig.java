package io.wmstream.topology.store;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;

/**
 * Bounds each RocksDB store's memory: a small block cache that also holds index and filter blocks, and two write
 * buffers of {@value #WRITE_BUFFER_BYTES} bytes. Per store, so nothing is shared or static; what it creates it
 * closes.
 */
public final class BoundedRocksDbConfig implements RocksDBConfigSetter {
    static final long BLOCK_CACHE_BYTES = 8L * 1024 * 1024;
    static final long WRITE_BUFFER_BYTES = 4L * 1024 * 1024;
    static final int MAX_WRITE_BUFFERS = 2;

    private Cache cache;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        cache = new LRUCache(BLOCK_CACHE_BYTES);
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferSize(WRITE_BUFFER_BYTES);
        options.setMaxWriteBufferNumber(MAX_WRITE_BUFFERS);
    }

    @Override
    public void close(String storeName, Options options) {
        if (cache != null) {
            cache.close();
        }
    }
}
