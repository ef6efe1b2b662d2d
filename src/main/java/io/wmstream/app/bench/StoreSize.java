package io.wmstream.app.bench;

import io.wmstream.topology.processor.WorkingMemoryStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * How big the working memory of a running pipeline is: conversations held, the bytes of their encoded memories,
 * and what the working-memory stores take on disk (RocksDB files, memtables not yet flushed excluded).
 */
record StoreSize(long entries, long valueBytes, long diskBytes) {

    static StoreSize of(KafkaStreams streams, Path stateDir) {
        ReadOnlyKeyValueStore<String, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(
                WorkingMemoryStores.MEMORY_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore()));
        long entries = 0;
        long bytes = 0;
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                entries++;
                bytes += entry.value.length;
            }
        }
        return new StoreSize(entries, bytes, diskBytes(stateDir));
    }

    private static long diskBytes(Path stateDir) {
        if (!Files.isDirectory(stateDir)) {
            return 0;
        }
        try (Stream<Path> paths = Files.walk(stateDir)) {
            return paths.filter(Files::isRegularFile)
                    .filter(p -> p.toString().contains(WorkingMemoryStores.MEMORY_STORE))
                    .mapToLong(StoreSize::sizeOf).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            // A RocksDB file deleted by a compaction while walking: it no longer counts.
            return 0;
        }
    }
}
