package io.wmstream.app.config;

import io.wmstream.topology.config.WmConfig;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams properties of the pipeline: wmstream's defaults first, then every {@code kafka.*} setting, so
 * a user can override any of them (application id, state directory, security) from the configuration.
 */
public final class StreamsSettings {
    /**
     * Longest a record may wait in a changelog before the log cleaner must compact it (KIP-354), unless
     * {@code kafka.topic.max.compaction.lag.ms} says otherwise. A {@code forget} deletes a conversation's entries
     * and writes tombstones, but the values it replaced stay readable in the changelog until compaction: without
     * this bound they could wait in the active segment for {@code segment.ms} (7 days) or until it fills (1 GiB).
     */
    public static final long ERASURE_MAX_COMPACTION_LAG_MS = 86_400_000L;

    /** Application id when {@code kafka.application.id} is not set. */
    public static final String DEFAULT_APPLICATION_ID = "wmstream";
    /**
     * How long the group waits for a silent member before moving its partitions: 6 s (the broker's default
     * {@code group.min.session.timeout.ms}, the shortest it accepts) instead of Kafka's 45 s, so the partitions of an
     * instance that does not come back move to the others (to their standbys) within seconds (docs/operations.md,
     * Recovery). Heartbeats come from the consumer's own thread, not the one running the model, so a long batch does
     * not miss them while the group is stable. During a rebalance they stop until the stream thread polls again, so
     * a member whose stream thread stays away longer than this (a stalled JVM, a machine starved of CPU) is evicted
     * and rebalanced once more: what {@link #DEFAULT_MAX_POLL_RECORDS} keeps short.
     */
    public static final int DEFAULT_SESSION_TIMEOUT_MS = 6_000;
    /**
     * A sixth of the session timeout (Kafka advises at most a third): the heartbeat is also how a member hears
     * that the group is rebalancing, so every rebalance after a crash waits up to this long for the survivors.
     */
    public static final int DEFAULT_HEARTBEAT_INTERVAL_MS = 1_000;
    /**
     * Records one poll of the main consumer returns, instead of Streams' 1,000. A stream thread answers the group
     * coordinator (join, sync, a new assignment) only between polls, and Streams processes everything a poll
     * returned before it polls again; at about 200 utterances/s per thread 1,000 records hold a rebalance up for
     * about 5 s on every survivor, 100 for about half a second. Batches are formed as before: a batch runs on
     * {@code wm.batch.max.size} events or {@code wm.batch.max.wait.ms}, not on a poll, and a poll comes back at
     * once from the records already fetched.
     */
    public static final int DEFAULT_MAX_POLL_RECORDS = 100;
    /**
     * How long the broker lets a transaction stay open before it aborts it, instead of the 10 s that Streams sets
     * under exactly-once. A crashed instance's open transaction holds back, for read_committed readers, its output
     * and changelog partitions and the input offsets it was committing, so the survivor that takes its tasks waits
     * for the abort (or for the instance to come back and fence it). A transaction lasts from one commit to the
     * next: Streams commits every 100 ms of processing, and one round of processing is at most one poll's records
     * (about half a second of model calls at 200 utterances/s). One that still runs past 5 s (a stalled JVM) is
     * aborted and its tasks processed again from the last commit, after one more rebalance: nothing lost or doubled.
     * The broker looks for timed-out transactions every {@code transaction.abort.timed.out.transaction.cleanup.
     * interval.ms} (10 s by default), so an abort comes 5 to 15 s after the transaction began.
     */
    public static final int DEFAULT_TRANSACTION_TIMEOUT_MS = 5_000;
    /**
     * How often a stream thread commits, instead of the 100 ms Streams uses under exactly-once. A reply is visible
     * to read_committed readers only once its transaction commits, so it waits half an interval on average and a
     * whole one at worst: at half of saturation on two cores (docs/benchmarks.md) 50 ms took p99 from 213 ms to
     * 140 ms at the same throughput, while 25 ms gained nothing more (the model calls dominate). Each commit costs a
     * round of transaction requests and markers on the broker.
     */
    public static final int DEFAULT_COMMIT_INTERVAL_MS = 50;
    /**
     * Bytes the transactional state stores of one instance may hold uncommitted before Streams commits early,
     * instead of Kafka's 64 MiB. With {@code enable.transactional.statestores} (Kafka 4.4, KIP-892) a store's writes
     * wait in a RocksDB write batch, off the heap and outside the block cache that {@code BoundedRocksDbConfig}
     * bounds, until the changelog transaction commits. A commit comes every {@link #DEFAULT_COMMIT_INTERVAL_MS} ms,
     * in which one thread writes far less than this (a memory is a few KiB; a poll is at most
     * {@link #DEFAULT_MAX_POLL_RECORDS} events); the bound matters only for a long round (a restore's catch-up, an
     * idle scan expiring many conversations), where an early commit is cheaper than the memory.
     */
    public static final long DEFAULT_STATESTORE_UNCOMMITTED_MAX_BYTES = 16L * 1024 * 1024;

    /**
     * Longest the broker holds the main consumer's fetch for {@link #DEFAULT_FETCH_MIN_BYTES} to arrive, instead of
     * Kafka's 500 ms with a minimum of one byte, which answers a fetch as soon as one record is there. Turns that
     * come one by one (an open loop of users) then reached the stream thread one per fetch and one per round of
     * processing, each round with its own poll and its own look for what can run: at 480 turns/s on two cores
     * (docs/benchmarks.md) the stream thread spent 0.79-0.82 ms of CPU per reply and answered 0.82-0.84 of the
     * offered turns; fetching at most every 10 ms it spent 0.50-0.53 ms and answered them all. A record waits at
     * most this long more for its fetch, against the commit interval's 50 ms that it waits anyway.
     */
    public static final int DEFAULT_FETCH_MAX_WAIT_MS = 10;
    /** Bytes a main consumer's fetch waits for, up to {@link #DEFAULT_FETCH_MAX_WAIT_MS}: a full poll of events. */
    public static final int DEFAULT_FETCH_MIN_BYTES = 64 * 1024;

    private static final List<String> MAX_POLL_RECORDS_KEYS = consumerForms(ConsumerConfig.MAX_POLL_RECORDS_CONFIG);

    private static final List<String> FETCH_MAX_WAIT_MS_KEYS = consumerForms(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG);
    private static final List<String> FETCH_MIN_BYTES_KEYS = consumerForms(ConsumerConfig.FETCH_MIN_BYTES_CONFIG);

    // Streams-only keys would make plain clients log "unknown config" warnings; they are harmless to omit.
    private static final Set<String> STREAMS_ONLY = Set.of(
            StreamsConfig.APPLICATION_ID_CONFIG, StreamsConfig.APPLICATION_SERVER_CONFIG,
            StreamsConfig.STATE_DIR_CONFIG, StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
            StreamsConfig.NUM_STREAM_THREADS_CONFIG, StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG,
            StreamsConfig.REPLICATION_FACTOR_CONFIG, StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
            StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG,
            StreamsConfig.STATESTORE_UNCOMMITTED_MAX_BYTES_CONFIG,
            StreamsConfig.DEFAULT_INTERACTIVE_QUERY_ISOLATION_LEVEL_CONFIG);

    private StreamsSettings() {
    }

    /**
     * Streams properties for the pipeline.
     *
     * @param config the loaded configuration; {@code kafka.bootstrap.servers} must be set
     * @param applicationServer {@code host:port} of this instance's HTTP server, for interactive-query routing;
     *     null when no HTTP server runs
     */
    public static Properties forPipeline(WmConfig config, String applicationServer) {
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
        // Exactly once is an invariant (DESIGN 5.1), not an option, but it stays overridable for experiments.
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        properties.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // Unprefixed, so that kafka.session.timeout.ms still overrides them (a prefixed default would win over it).
        properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, DEFAULT_SESSION_TIMEOUT_MS);
        properties.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, DEFAULT_HEARTBEAT_INTERVAL_MS);
        // Only for the producers (Streams passes a producer setting to producers alone), overridable in both forms.
        properties.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, DEFAULT_TRANSACTION_TIMEOUT_MS);
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, DEFAULT_COMMIT_INTERVAL_MS);
        // Under exactly-once a store without transactions is wiped and rebuilt from its changelog after every
        // crash (kill -9, OOM), so recovery grew with the state (9.4 s at 100,000 conversations). A transactional
        // store records its changelog offset with its data, so it is kept and replays only what was written after
        // its last flush to disk (recovery-bench, 1,000,000 conversations: 35,000-74,000 records, not 3,000,000).
        // kafka.enable.transactional.statestores=false gives Kafka 4.3's behaviour back (README, Operations:
        // recovery).
        properties.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
        properties.put(StreamsConfig.STATESTORE_UNCOMMITTED_MAX_BYTES_CONFIG, DEFAULT_STATESTORE_UNCOMMITTED_MAX_BYTES);
        // GET /conversations/{id} shows only committed memories: never one that a crash then rolls back, the same
        // view a read_committed reader of the replies has. A memory becomes visible there once its transaction
        // commits (at most commit.interval.ms later), as its reply does.
        properties.put(StreamsConfig.DEFAULT_INTERACTIVE_QUERY_ISOLATION_LEVEL_CONFIG, "READ_COMMITTED");
        // Only the main consumer's: restoration keeps Streams' larger polls and prompt fetches.
        putMainConsumerDefault(properties, config, MAX_POLL_RECORDS_KEYS, DEFAULT_MAX_POLL_RECORDS);
        putMainConsumerDefault(properties, config, FETCH_MAX_WAIT_MS_KEYS, DEFAULT_FETCH_MAX_WAIT_MS);
        putMainConsumerDefault(properties, config, FETCH_MIN_BYTES_KEYS, DEFAULT_FETCH_MIN_BYTES);
        // The behaviour Kafka 5 makes the default; set now, Streams stops warning about it at every start. By name:
        // the constant is already deprecated, as the switch will go once the behaviour is the only one.
        properties.put("processing.exception.handler.global.enabled", true);
        // The main consumer's partition assignor builds a StreamsConfig of its own from the consumer's settings, which
        // would warn again at every start unless they carry the switch too.
        properties.put(StreamsConfig.mainConsumerPrefix("processing.exception.handler.global.enabled"), true);
        // Applies to the internal topics Streams creates; the changelogs are compacted, so erased values go in time.
        properties.put(StreamsConfig.topicPrefix(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG),
                Long.toString(ERASURE_MAX_COMPACTION_LAG_MS));
        if (applicationServer != null) {
            properties.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        }
        for (Map.Entry<String, Object> setting : config.kafkaProperties().entrySet()) {
            properties.put(setting.getKey(), setting.getValue());
        }
        return properties;
    }

    /**
     * Sets the main consumer's {@code value} for the last of {@code forms} (the setting's main-consumer form), unless
     * the configuration names any of them: a prefixed default would win over the user's unprefixed setting.
     */
    private static void putMainConsumerDefault(Properties properties, WmConfig config, List<String> forms,
            Object value) {
        if (forms.stream().noneMatch(config.kafkaProperties()::containsKey)) {
            properties.put(forms.get(forms.size() - 1), value);
        }
    }

    /** A consumer setting's three forms in Streams: unprefixed, for every consumer, for the main consumer. */
    private static List<String> consumerForms(String key) {
        return List.of(key, StreamsConfig.consumerPrefix(key), StreamsConfig.mainConsumerPrefix(key));
    }

    /** Client properties (admin, producer, consumer) carrying the {@code kafka.*} pass-through settings. */
    public static Properties forClients(WmConfig config) {
        Properties properties = new Properties();
        for (Map.Entry<String, Object> setting : config.kafkaProperties().entrySet()) {
            if (!STREAMS_ONLY.contains(setting.getKey())) {
                properties.put(setting.getKey(), setting.getValue());
            }
        }
        return properties;
    }
}
