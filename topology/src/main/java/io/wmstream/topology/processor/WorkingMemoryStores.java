package io.wmstream.topology.processor;

import io.wmstream.topology.StoreLogging;
import io.wmstream.topology.StoreSuppliers;
import io.wmstream.topology.memory.MemoryRecordLimit;
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

    /**
     * The working-memory changelog: compacted, one record per conversation, each within the checked size. Every
     * utterance writes its conversation's memory again, and the log cleaner never compacts the active segment: with
     * Kafka's 1 GiB or 7-day segments a restore (a lost disk, or exactly-once's wipe of a store after a crash) would
     * read every write of up to a week, 100 per conversation of 100 turns. Segments of 64 MiB rolled every 10
     * minutes leave the cleaner all but the last minutes' writes, so a restore reads about one record per
     * conversation (twice that at most, with the default {@code min.cleanable.dirty.ratio} of 0.5) and the tail.
     */
    public static final Map<String, String> MEMORY_CHANGELOG_CONFIG = Map.of("cleanup.policy", "compact",
            "max.message.bytes", Integer.toString(MemoryRecordLimit.CHANGELOG_MAX_MESSAGE_BYTES),
            "segment.ms", "600000", "segment.bytes", Integer.toString(64 * 1024 * 1024));
    /**
     * The pending-events changelog: every accepted event is a put and, milliseconds later, a delete, so what a restore
     * reads is what compaction has not yet removed. Kafka's defaults (1 GiB or 7-day segments; tombstones kept a day)
     * would have it replay a day of events, put and delete each. Small segments rolled every 10 minutes, cleaned
     * once a tenth of the log is dirty (almost all of this one is: each put is followed by its delete), keep the puts
     * to about the last 10-20 minutes (the active segment is never compacted), and tombstones kept an hour keep those
     * to the last hour. A restore that took longer than that hour could miss a tombstone whose put it read and run
     * that event again. {@code max.compaction.lag.ms} is left to the application's {@code topic.*} default (the
     * erasure bound of docs/security.md).
     */
    public static final Map<String, String> PENDING_CHANGELOG_CONFIG = Map.of("cleanup.policy", "compact",
            "segment.ms", "600000", "segment.bytes", Integer.toString(16 * 1024 * 1024),
            "delete.retention.ms", "3600000", "min.cleanable.dirty.ratio", "0.1");

    private WorkingMemoryStores() {
    }

    static Set<StoreBuilder<?>> builders(StoreLogging logging, StoreSuppliers suppliers) {
        StoreBuilder<KeyValueStore<String, byte[]>> memory = logged(Stores.keyValueStoreBuilder(
                suppliers.keyValue(MEMORY_STORE), Serdes.String(), Serdes.ByteArray()), logging,
                MEMORY_CHANGELOG_CONFIG).withCachingDisabled();
        StoreBuilder<KeyValueStore<Long, byte[]>> pending = logged(Stores.keyValueStoreBuilder(
                suppliers.keyValue(PENDING_STORE), Serdes.Long(), Serdes.ByteArray()), logging,
                PENDING_CHANGELOG_CONFIG).withCachingDisabled();
        return Set.of(memory, pending);
    }

    private static <T extends StoreBuilder<?>> T logged(T builder, StoreLogging logging,
            Map<String, String> changelogConfig) {
        if (logging == StoreLogging.CHANGELOGGED) {
            builder.withLoggingEnabled(changelogConfig);
        } else {
            builder.withLoggingDisabled();
        }
        return builder;
    }
}
