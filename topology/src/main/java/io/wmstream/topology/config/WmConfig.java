package io.wmstream.topology.config;

import io.wmstream.model.decoding.RepeatBlocker;
import io.wmstream.topology.memory.MemoryLimits;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

/**
 * Every wmstream setting (DESIGN 4.8): one {@link ConfigDef} chain with type, default, validator and doc.
 * Keys under {@value #KAFKA_PREFIX} are not defined here; they pass through, prefix removed, to the Kafka
 * clients and Streams ({@link #kafkaProperties()}).
 */
public final class WmConfig extends AbstractConfig {
    /** Settings under this prefix go to Kafka as they are, e.g. {@code kafka.bootstrap.servers}. */
    public static final String KAFKA_PREFIX = "kafka.";

    public static final String TOPIC_PREFIX_CONFIG = "wm.topic.prefix";
    private static final String TOPIC_PREFIX_DOC = "Prefix put before every topic name, e.g. 'staging.'.";
    public static final String TOPIC_EVENTS_CONFIG = "wm.topic.events";
    private static final String TOPIC_EVENTS_DOC = "Input topic of ConversationEvent records.";
    public static final String TOPIC_REPLIES_CONFIG = "wm.topic.replies";
    private static final String TOPIC_REPLIES_DOC = "Output topic of Reply records.";
    public static final String TOPIC_SUMMARIES_CONFIG = "wm.topic.summaries";
    private static final String TOPIC_SUMMARIES_DOC = "Output topic of Summary records.";
    public static final String TOPIC_DEAD_LETTERS_CONFIG = "wm.topic.dead.letters";
    private static final String TOPIC_DEAD_LETTERS_DOC = "Dead-letter topic: original bytes, headers say why.";
    public static final String TOPIC_PARTITIONS_CONFIG = "wm.topic.partitions";
    private static final String TOPIC_PARTITIONS_DOC = "Partitions of topics wmstream creates when missing.";
    public static final String TOPIC_REPLICATION_FACTOR_CONFIG = "wm.topic.replication.factor";
    private static final String TOPIC_REPLICATION_FACTOR_DOC = "Replication factor of topics wmstream creates.";

    public static final String BATCH_MAX_SIZE_CONFIG = "wm.batch.max.size";
    private static final String BATCH_MAX_SIZE_DOC = "Most events in one model call.";
    public static final String BATCH_MAX_WAIT_MS_CONFIG = "wm.batch.max.wait.ms";
    private static final String BATCH_MAX_WAIT_MS_DOC = "Longest an accepted event waits (wall clock) for a model "
            + "call to start when fewer than wm.batch.max.size wait and the model is idle.";
    public static final String BATCH_OVERLAP_CONFIG = "wm.batch.overlap";
    private static final String BATCH_OVERLAP_DOC = "Run each stream thread's model calls on a model thread of its "
            + "own, so the stream thread takes in records and applies results while the model computes (false: on "
            + "the stream thread; replay always does).";

    public static final String REPLY_ROLES_CONFIG = "wm.reply.roles";
    private static final String REPLY_ROLES_DOC = "Speakers whose utterances get a reply (case-insensitive).";
    public static final String REPLY_SPEAKER_CONFIG = "wm.reply.speaker";
    private static final String REPLY_SPEAKER_DOC = "Speaker written on replies.";
    public static final String REPLY_MAX_TOKENS_CONFIG = "wm.reply.max.tokens";
    private static final String REPLY_MAX_TOKENS_DOC = "Longest reply, in tokens.";
    public static final String REPLY_FEEDBACK_CONFIG = "wm.reply.feedback";
    private static final String REPLY_FEEDBACK_DOC = "Feed each generated reply back into the conversation's memory.";

    public static final String DECODING_STRATEGY_CONFIG = "wm.decoding.strategy";
    private static final String DECODING_STRATEGY_DOC = "greedy, or sample (temperature / top-k / top-p with a seed "
            + "derived from conversationId and turn, so replays reproduce replies).";
    public static final String DECODING_TEMPERATURE_CONFIG = "wm.decoding.temperature";
    private static final String DECODING_TEMPERATURE_DOC = "Sampling temperature.";
    public static final String DECODING_TOP_K_CONFIG = "wm.decoding.top.k";
    private static final String DECODING_TOP_K_DOC = "Sample among the k most likely tokens (0 = all).";
    public static final String DECODING_TOP_P_CONFIG = "wm.decoding.top.p";
    private static final String DECODING_TOP_P_DOC = "Sample within the smallest set of tokens of this total "
            + "probability (1.0 = all).";
    public static final String DECODING_STOP_PENALTY_CONFIG = "wm.decoding.stop.penalty";
    private static final String DECODING_STOP_PENALTY_DOC = "Subtracted from the end-of-reply logit at every reply "
            + "step: above 0 makes replies longer. The default suits the bundled model, whose placeholders make its "
            + "replies stop early (chosen on MultiWOZ val's training slice; docs/evaluation.md).";
    /** Chosen for model 2.0 on the training slice of MultiWOZ {@code val}: 0, 1, 2, 3, 4, 5 gave BLEU-4 7.0 to 10.6. */
    public static final double DEFAULT_STOP_PENALTY = 3.0;
    public static final String DECODING_BEAM_WIDTH_CONFIG = "wm.decoding.beam.width";
    private static final String DECODING_BEAM_WIDTH_DOC = "Hypotheses kept by beam search for the greedy strategy, "
            + "scored by mean token log-probability (length-normalised); 1 = plain greedy decoding. Each hypothesis "
            + "is one more row of every reply step, so the model's reply work grows about in proportion. Ignored "
            + "by the sample strategy.";
    /**
     * Chosen on MultiWOZ val's training slice (docs/evaluation.md): width 2 adds 0.9 BLEU-4 (10.31 to 11.17) but runs
     * the model at about half of greedy's rate; 3 and 4 add more and cost more.
     */
    public static final int DEFAULT_BEAM_WIDTH = 1;
    public static final String DECODING_NO_REPEAT_NGRAM_SIZE_CONFIG = "wm.decoding.no.repeat.ngram.size";
    private static final String DECODING_NO_REPEAT_NGRAM_SIZE_DOC = "While a reply is decoded, a token that would "
            + "repeat an n-gram of words of the reply (placeholders count as words, punctuation does not), or that "
            + "would close a sentence the reply already said, is never chosen; 0 = nothing is banned.";
    public static final String DECODING_REQUEST_BOOST_CONFIG = "wm.decoding.request.boost";
    private static final String DECODING_REQUEST_BOOST_DOC = "With a model that reads the dialogue state, a reply "
            + "to a user's turn is steered to each type the turn asked for: where a sentence may start, the reply "
            + "answers with the type's sentence (\"the phone number is [phone].\") before the model goes on; this "
            + "boost is subtracted from the end of the reply while a type is missing, and added to the word naming a "
            + "missing type elsewhere, then to its placeholder; 0 = replies are not steered. 6 answers 93 % of the "
            + "requests of MultiWOZ val's training slice at the BLEU-4 of unsteered replies "
            + "(docs/evaluation.md, \"Answering the request\").";
    public static final double DEFAULT_REQUEST_BOOST = 6.0;
    public static final String DECODING_REQUEST_THRESHOLD_CONFIG = "wm.decoding.request.threshold";
    private static final String DECODING_REQUEST_THRESHOLD_DOC = "The request score above which a type counts as "
            + "asked for when a reply is steered (the open requests in the memory use 0: a reply is steered to more "
            + "than the memory records, as a missed request costs more than an extra attribute; -1.5 had the best "
            + "BLEU-4 of -1.0 to -2.5 on MultiWOZ val's training slice).";
    public static final double DEFAULT_REQUEST_THRESHOLD = -1.5;

    public static final String SUMMARY_EVERY_TURNS_CONFIG = "wm.summary.every.turns";
    private static final String SUMMARY_EVERY_TURNS_DOC = "Rolling summary period in utterances (0 = off).";
    public static final String SUMMARY_BUDGET_TOKENS_CONFIG = "wm.summary.budget.tokens";
    private static final String SUMMARY_BUDGET_TOKENS_DOC = "Longest summary text, in words.";
    public static final String SUMMARY_SALIENCE_LEXICON_CONFIG = "wm.summary.salience.lexicon";
    private static final String SUMMARY_SALIENCE_LEXICON_DOC = "Salience lexicon file (word<TAB>weight: how likely "
            + "a word belongs to a stated fact) that summaries rank turns by; empty = the bundled one, learned from "
            + "MultiWOZ 2.1 val (make another with 'wmstream train-salience').";

    public static final String IDLE_EXPIRY_MS_CONFIG = "wm.idle.expiry.ms";
    private static final String IDLE_EXPIRY_MS_DOC = "Idle time after which a conversation is closed with a final "
            + "summary (0 = never).";
    public static final String IDLE_CLOCK_CONFIG = "wm.idle.clock";
    private static final String IDLE_CLOCK_DOC = "Clock for idle expiry: stream (event time, reproducible on replay) "
            + "or wall.";

    public static final String IDLE_SCAN_MAX_MEMORIES_CONFIG = "wm.idle.scan.max.memories";
    private static final String IDLE_SCAN_MAX_MEMORIES_DOC = "Most memories one idle scan reads (and so expires); the "
            + "next scan resumes after the last one read, so a punctuation and its transaction stay small whatever "
            + "the store holds.";
    public static final int DEFAULT_IDLE_SCAN_MAX_MEMORIES = 10_000;

    public static final String MEMORY_RECENT_TURNS_CONFIG = "wm.memory.recent.turns";
    private static final String MEMORY_RECENT_TURNS_DOC = "Recent turns kept per conversation (bounded ring).";
    public static final String MEMORY_SALIENT_TURNS_CONFIG = "wm.memory.salient.turns";
    private static final String MEMORY_SALIENT_TURNS_DOC = "Most salient turns kept per conversation for summaries.";
    public static final String MEMORY_TURN_MAX_CHARS_CONFIG = "wm.memory.turn.max.chars";
    private static final String MEMORY_TURN_MAX_CHARS_DOC = "Longest text kept of one recent turn, in characters.";
    public static final String MEMORY_EVENT_IDS_CONFIG = "wm.memory.event.ids";
    private static final String MEMORY_EVENT_IDS_DOC = "Recent eventIds kept per conversation to detect duplicates.";
    public static final String MEMORY_FACTS_CONFIG = "wm.memory.facts";
    private static final String MEMORY_FACTS_DOC = "Facts (tagged values, latest first, one per type and value) kept "
            + "per conversation to fill replies; 0 = none. Used by models with a fact tagger.";
    public static final String MEMORY_MODEL_MISMATCH_CONFIG = "wm.memory.model.mismatch";
    private static final String MEMORY_MODEL_MISMATCH_DOC = "What to do with memory saved under a model of other "
            + "dimensions: reset (counted warning) or fail.";

    public static final String MODEL_DIR_CONFIG = "wm.model.dir";
    private static final String MODEL_DIR_DOC = "Model bundle directory; empty = the bundled default model.";
    public static final String MODEL_DEVICE_CONFIG = "wm.model.device";
    private static final String MODEL_DEVICE_DOC = "auto, cpu, cuda or cuda:N.";
    public static final String MODEL_INTRA_OP_THREADS_CONFIG = "wm.model.intra.op.threads";
    private static final String MODEL_INTRA_OP_THREADS_DOC = "ONNX Runtime threads inside one operator. One by "
            + "default: with spinning off, a second thread must be woken for every parallel section, which on a busy "
            + "machine costs far more than it saves; scale with Kafka Streams threads instead.";
    public static final String MODEL_PARALLEL_CALLS_CONFIG = "wm.model.parallel.calls";
    private static final String MODEL_PARALLEL_CALLS_DOC = "Model calls a batch is dealt into, run at once (each with "
            + "wm.model.intra.op.threads threads; at least 8 rows each). Independent calls need no wake-ups inside "
            + "an operator, so on several free cores this beats more intra-op threads; outputs are the same bytes. "
            + "0 (the default): the cores (Runtime.availableProcessors) divided among the threads that call the "
            + "model at once (kafka.num.stream.threads times wm.model.threads; at least 1), so that every core "
            + "computes and none is asked twice; replay, one caller, deals its calls over every core.";
    /** {@link #MODEL_PARALLEL_CALLS_CONFIG}'s value that stands for the cores left to each calling thread. */
    public static final int PARALLEL_CALLS_PER_CORE = 0;
    public static final String MODEL_THREADS_CONFIG = "wm.model.threads";
    private static final String MODEL_THREADS_DOC = "Model threads per stream thread (with wm.batch.overlap). Each "
            + "computes calls of its own, of conversations of its own, so several calls run at once, whole, without "
            + "waiting for each other; a conversation's next turn waits for the thread its turn is on. 0 (the "
            + "default): the cores divided among the stream threads (kafka.num.stream.threads; at least 1).";
    /** {@link #MODEL_THREADS_CONFIG}'s value that stands for the cores divided among the stream threads. */
    public static final int MODEL_THREADS_PER_CORE = 0;
    public static final String MODEL_INTER_OP_THREADS_CONFIG = "wm.model.inter.op.threads";
    private static final String MODEL_INTER_OP_THREADS_DOC = "ONNX Runtime threads across operators.";
    public static final String MODEL_SPINNING_CONFIG = "wm.model.spinning";
    private static final String MODEL_SPINNING_DOC = "Let ONNX Runtime threads spin while idle (off, so they do not "
            + "starve Kafka's threads).";
    public static final String MODEL_RETRIES_CONFIG = "wm.model.retries";
    private static final String MODEL_RETRIES_DOC = "Retries of a failed model call before its events are "
            + "dead-lettered with reason model-failure.";

    public static final String MODEL_RETRY_BACKOFF_MS_CONFIG = "wm.model.retry.backoff.ms";
    private static final String MODEL_RETRY_BACKOFF_MS_DOC = "Wait before the first retry of a failed model call or "
            + "batch, doubled for each further one (at most 30 s), so a model or store that is failing is not "
            + "hammered.";

    public static final String EVENT_MAX_TEXT_BYTES_CONFIG = "wm.event.max.text.bytes";
    private static final String EVENT_MAX_TEXT_BYTES_DOC = "Largest utterance text, in UTF-8 bytes.";

    public static final String EVENT_TIME_MAX_SKEW_MS_CONFIG = "wm.event.time.max.skew.ms";
    private static final String EVENT_TIME_MAX_SKEW_MS_DOC = "Furthest an event's own timestamp may be ahead of the "
            + "stream's time (its partition's time, or the record's Kafka timestamp when later). An event further "
            + "ahead is dead-lettered with reason future-timestamp and does not move stream time, so it cannot "
            + "expire other conversations.";
    /** Five minutes: well above producers' clock drift, well below any sensible wm.idle.expiry.ms. */
    public static final long DEFAULT_EVENT_TIME_MAX_SKEW_MS = 300_000L;

    public static final String HTTP_BIND_CONFIG = "wm.http.bind";
    private static final String HTTP_BIND_DOC = "Address the HTTP server binds.";
    public static final String HTTP_PORT_CONFIG = "wm.http.port";
    private static final String HTTP_PORT_DOC = "HTTP port (0 = any free port).";
    public static final String HTTP_TOKEN_CONFIG = "wm.http.token";
    private static final String HTTP_TOKEN_DOC = "Bearer token required on every HTTP route but /health; empty = "
            + "none.";
    public static final String HTTP_TLS_KEYSTORE_LOCATION_CONFIG = "wm.http.tls.keystore.location";
    private static final String HTTP_TLS_KEYSTORE_LOCATION_DOC = "Keystore with the HTTP server's key and "
            + "certificate: HTTPS when set; empty = plain HTTP.";
    public static final String HTTP_TLS_KEYSTORE_PASSWORD_CONFIG = "wm.http.tls.keystore.password";
    private static final String HTTP_TLS_KEYSTORE_PASSWORD_DOC = "Password of that keystore and of its key.";
    public static final String HTTP_TLS_KEYSTORE_TYPE_CONFIG = "wm.http.tls.keystore.type";
    private static final String HTTP_TLS_KEYSTORE_TYPE_DOC = "Type of that keystore: PKCS12 or JKS.";

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(TOPIC_PREFIX_CONFIG, Type.STRING, "", Importance.MEDIUM, TOPIC_PREFIX_DOC)
            .define(TOPIC_EVENTS_CONFIG, Type.STRING, "conversation-events", new ConfigDef.NonEmptyString(),
                    Importance.HIGH, TOPIC_EVENTS_DOC)
            .define(TOPIC_REPLIES_CONFIG, Type.STRING, "conversation-replies", new ConfigDef.NonEmptyString(),
                    Importance.HIGH, TOPIC_REPLIES_DOC)
            .define(TOPIC_SUMMARIES_CONFIG, Type.STRING, "conversation-summaries", new ConfigDef.NonEmptyString(),
                    Importance.HIGH, TOPIC_SUMMARIES_DOC)
            .define(TOPIC_DEAD_LETTERS_CONFIG, Type.STRING, "conversation-dead-letters",
                    new ConfigDef.NonEmptyString(), Importance.HIGH, TOPIC_DEAD_LETTERS_DOC)
            .define(TOPIC_PARTITIONS_CONFIG, Type.INT, 3, Range.atLeast(1), Importance.MEDIUM, TOPIC_PARTITIONS_DOC)
            .define(TOPIC_REPLICATION_FACTOR_CONFIG, Type.SHORT, (short) 1, Range.atLeast(1), Importance.MEDIUM,
                    TOPIC_REPLICATION_FACTOR_DOC)
            .define(BATCH_MAX_SIZE_CONFIG, Type.INT, 64, Range.between(1, 16384), Importance.HIGH, BATCH_MAX_SIZE_DOC)
            .define(BATCH_MAX_WAIT_MS_CONFIG, Type.LONG, 5L, Range.between(1, 60_000), Importance.HIGH,
                    BATCH_MAX_WAIT_MS_DOC)
            .define(BATCH_OVERLAP_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, BATCH_OVERLAP_DOC)
            .define(REPLY_ROLES_CONFIG, Type.LIST, "user", Importance.HIGH, REPLY_ROLES_DOC)
            .define(REPLY_SPEAKER_CONFIG, Type.STRING, "assistant", new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM, REPLY_SPEAKER_DOC)
            .define(REPLY_MAX_TOKENS_CONFIG, Type.INT, 32, Range.between(1, 512), Importance.MEDIUM,
                    REPLY_MAX_TOKENS_DOC)
            .define(REPLY_FEEDBACK_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, REPLY_FEEDBACK_DOC)
            .define(DECODING_STRATEGY_CONFIG, Type.STRING, "greedy", ValidString.in("greedy", "sample"),
                    Importance.MEDIUM, DECODING_STRATEGY_DOC)
            .define(DECODING_TEMPERATURE_CONFIG, Type.DOUBLE, 1.0, Range.between(0.01, 10.0), Importance.LOW,
                    DECODING_TEMPERATURE_DOC)
            .define(DECODING_TOP_K_CONFIG, Type.INT, 0, Range.atLeast(0), Importance.LOW, DECODING_TOP_K_DOC)
            .define(DECODING_STOP_PENALTY_CONFIG, Type.DOUBLE, DEFAULT_STOP_PENALTY, Range.between(-20.0, 20.0),
                    Importance.LOW, DECODING_STOP_PENALTY_DOC)
            .define(DECODING_TOP_P_CONFIG, Type.DOUBLE, 1.0, Range.between(0.01, 1.0), Importance.LOW,
                    DECODING_TOP_P_DOC)
            .define(DECODING_BEAM_WIDTH_CONFIG, Type.INT, DEFAULT_BEAM_WIDTH, Range.between(1, 16),
                    Importance.MEDIUM, DECODING_BEAM_WIDTH_DOC)
            .define(DECODING_NO_REPEAT_NGRAM_SIZE_CONFIG, Type.INT, RepeatBlocker.DEFAULT_NGRAM_SIZE,
                    Range.between(0, 16), Importance.LOW, DECODING_NO_REPEAT_NGRAM_SIZE_DOC)
            .define(DECODING_REQUEST_BOOST_CONFIG, Type.DOUBLE, DEFAULT_REQUEST_BOOST, Range.between(0.0, 20.0),
                    Importance.LOW, DECODING_REQUEST_BOOST_DOC)
            .define(DECODING_REQUEST_THRESHOLD_CONFIG, Type.DOUBLE, DEFAULT_REQUEST_THRESHOLD,
                    Range.between(-20.0, 20.0), Importance.LOW, DECODING_REQUEST_THRESHOLD_DOC)

            .define(SUMMARY_EVERY_TURNS_CONFIG, Type.INT, 8, Range.atLeast(0), Importance.HIGH,
                    SUMMARY_EVERY_TURNS_DOC)
            .define(SUMMARY_BUDGET_TOKENS_CONFIG, Type.INT, 64, Range.between(1, 4096), Importance.HIGH,
                    SUMMARY_BUDGET_TOKENS_DOC)
            .define(SUMMARY_SALIENCE_LEXICON_CONFIG, Type.STRING, "", Importance.MEDIUM,
                    SUMMARY_SALIENCE_LEXICON_DOC)
            .define(IDLE_EXPIRY_MS_CONFIG, Type.LONG, 1_800_000L, Range.atLeast(0), Importance.HIGH,
                    IDLE_EXPIRY_MS_DOC)
            .define(IDLE_CLOCK_CONFIG, Type.STRING, "stream", ValidString.in("stream", "wall"), Importance.MEDIUM,
                    IDLE_CLOCK_DOC)
            .define(IDLE_SCAN_MAX_MEMORIES_CONFIG, Type.INT, DEFAULT_IDLE_SCAN_MAX_MEMORIES, Range.atLeast(1),
                    Importance.LOW, IDLE_SCAN_MAX_MEMORIES_DOC)
            .define(MEMORY_RECENT_TURNS_CONFIG, Type.INT, 16, Range.between(1, 256), Importance.MEDIUM,
                    MEMORY_RECENT_TURNS_DOC)
            .define(MEMORY_SALIENT_TURNS_CONFIG, Type.INT, 16, Range.between(0, 256), Importance.MEDIUM,
                    MEMORY_SALIENT_TURNS_DOC)
            .define(MEMORY_TURN_MAX_CHARS_CONFIG, Type.INT, 512, Range.between(16, 8192), Importance.LOW,
                    MEMORY_TURN_MAX_CHARS_DOC)
            .define(MEMORY_EVENT_IDS_CONFIG, Type.INT, 32, Range.between(0, 1024), Importance.LOW,
                    MEMORY_EVENT_IDS_DOC)
            .define(MEMORY_FACTS_CONFIG, Type.INT, MemoryLimits.DEFAULT_FACTS, Range.between(0, 1024),
                    Importance.LOW, MEMORY_FACTS_DOC)
            .define(MEMORY_MODEL_MISMATCH_CONFIG, Type.STRING, "reset", ValidString.in("reset", "fail"),
                    Importance.MEDIUM, MEMORY_MODEL_MISMATCH_DOC)
            .define(MODEL_DIR_CONFIG, Type.STRING, "", Importance.HIGH, MODEL_DIR_DOC)
            .define(MODEL_DEVICE_CONFIG, Type.STRING, "auto", new DeviceValidator(), Importance.HIGH,
                    MODEL_DEVICE_DOC)
            .define(MODEL_INTRA_OP_THREADS_CONFIG, Type.INT, 1, Range.between(1, 256), Importance.MEDIUM,
                    MODEL_INTRA_OP_THREADS_DOC)
            .define(MODEL_PARALLEL_CALLS_CONFIG, Type.INT, PARALLEL_CALLS_PER_CORE, Range.between(0, 256),
                    Importance.MEDIUM,
                    MODEL_PARALLEL_CALLS_DOC)
            .define(MODEL_THREADS_CONFIG, Type.INT, MODEL_THREADS_PER_CORE, Range.between(0, 256), Importance.MEDIUM,
                    MODEL_THREADS_DOC)
            .define(MODEL_INTER_OP_THREADS_CONFIG, Type.INT, 1, Range.between(1, 256), Importance.LOW,
                    MODEL_INTER_OP_THREADS_DOC)
            .define(MODEL_SPINNING_CONFIG, Type.BOOLEAN, false, Importance.LOW, MODEL_SPINNING_DOC)
            .define(MODEL_RETRIES_CONFIG, Type.INT, 2, Range.between(0, 100), Importance.LOW, MODEL_RETRIES_DOC)
            .define(MODEL_RETRY_BACKOFF_MS_CONFIG, Type.LONG, 100L, Range.between(0, 30_000), Importance.LOW,
                    MODEL_RETRY_BACKOFF_MS_DOC)
            .define(EVENT_MAX_TEXT_BYTES_CONFIG, Type.INT, 8192, Range.between(1, 1 << 20), Importance.MEDIUM,
                    EVENT_MAX_TEXT_BYTES_DOC)
            .define(EVENT_TIME_MAX_SKEW_MS_CONFIG, Type.LONG, DEFAULT_EVENT_TIME_MAX_SKEW_MS, Range.atLeast(0),
                    Importance.MEDIUM, EVENT_TIME_MAX_SKEW_MS_DOC)
            .define(HTTP_BIND_CONFIG, Type.STRING, "127.0.0.1", Importance.MEDIUM, HTTP_BIND_DOC)
            .define(HTTP_PORT_CONFIG, Type.INT, 8080, Range.between(0, 65535), Importance.MEDIUM, HTTP_PORT_DOC)
            .define(HTTP_TOKEN_CONFIG, Type.PASSWORD, "", Importance.MEDIUM, HTTP_TOKEN_DOC)
            .define(HTTP_TLS_KEYSTORE_LOCATION_CONFIG, Type.STRING, "", Importance.MEDIUM,
                    HTTP_TLS_KEYSTORE_LOCATION_DOC)
            .define(HTTP_TLS_KEYSTORE_PASSWORD_CONFIG, Type.PASSWORD, "", Importance.MEDIUM,
                    HTTP_TLS_KEYSTORE_PASSWORD_DOC)
            .define(HTTP_TLS_KEYSTORE_TYPE_CONFIG, Type.STRING, "PKCS12", ValidString.in("PKCS12", "JKS"),
                    Importance.LOW, HTTP_TLS_KEYSTORE_TYPE_DOC);

    public WmConfig(Map<?, ?> settings) {
        super(DEFINITION, rejectUnknown(settings), false);
    }

    public WmConfig(Properties settings) {
        this((Map<?, ?>) settings);
    }

    /** The definition, for documentation and for tools that list the keys. */
    public static ConfigDef definition() {
        return new ConfigDef(DEFINITION);
    }

    /** True when {@code key} is a wmstream key or a {@value #KAFKA_PREFIX} pass-through. */
    public static boolean isKnownKey(String key) {
        return DEFINITION.names().contains(key)
                || (key.startsWith(KAFKA_PREFIX) && key.length() > KAFKA_PREFIX.length());
    }

    /** The full name of a topic, prefix included. */
    public String topic(String topicConfig) {
        return getString(TOPIC_PREFIX_CONFIG) + getString(topicConfig);
    }

    /** The {@value #KAFKA_PREFIX} settings with the prefix removed. */
    public Map<String, Object> kafkaProperties() {
        return originalsWithPrefix(KAFKA_PREFIX, true);
    }

    /** Kafka Streams threads of an instance ({@code kafka.num.stream.threads}, 1 when unset). */
    public int streamThreads() {
        Object threads = kafkaProperties().get("num.stream.threads");
        try {
            return threads == null ? 1 : Math.max(1, Integer.parseInt(threads.toString().trim()));
        } catch (NumberFormatException e) {
            throw new ConfigException(KAFKA_PREFIX + "num.stream.threads", threads, "not a number");
        }
    }

    /** Model threads per stream thread ({@value #MODEL_THREADS_CONFIG}), its default resolved to the cores. */
    public int modelThreads() {
        int threads = getInt(MODEL_THREADS_CONFIG);
        return threads != MODEL_THREADS_PER_CORE ? threads
                : Math.max(1, Runtime.getRuntime().availableProcessors() / streamThreads());
    }

    /** Reply roles, lowercased. */
    public List<String> replyRoles() {
        return getList(REPLY_ROLES_CONFIG).stream().map(r -> r.trim().toLowerCase(Locale.ROOT)).toList();
    }

    private static Map<?, ?> rejectUnknown(Map<?, ?> settings) {
        Map<Object, Object> copy = new HashMap<>(settings);
        for (Object key : copy.keySet()) {
            String name = String.valueOf(key);
            if (name.startsWith("wm.") && !DEFINITION.names().contains(name)) {
                throw new ConfigException("Unknown setting '" + name + "'; wmstream keys are: "
                        + String.join(", ", DEFINITION.names().stream().sorted().toList()));
            }
        }
        return copy;
    }

    /** Accepts auto, cpu, cuda and cuda:N. */
    private static final class DeviceValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String device = String.valueOf(value);
            if (!device.matches("auto|cpu|cuda|cuda:\\d{1,3}")) {
                throw new ConfigException(name, value, "expected auto, cpu, cuda or cuda:N");
            }
        }

        @Override
        public String toString() {
            return "auto, cpu, cuda, cuda:N";
        }
    }
}
