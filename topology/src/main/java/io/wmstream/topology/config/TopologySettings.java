package io.wmstream.topology.config;

import io.wmstream.schemas.event.EventLimits;
import io.wmstream.topology.memory.MemoryLimits;
import io.wmstream.topology.summary.SalienceLexicon;
import io.wmstream.topology.summary.SalienceScorer;
import io.wmstream.topology.summary.SummaryComposer;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigException;

/**
 * The typed settings the topology runs with, read once from {@link WmConfig}.
 *
 * @param idleExpiryMs 0 disables idle expiry
 * @param idleOnWallClock expire on the wall clock instead of stream time (not reproducible on replay)
 * @param failOnModelMismatch refuse (stop) instead of resetting memory written under another model
 * @param salienceLexicon the word weights summaries rank turns by
 * @param batchOverlap run model calls on a model thread per stream thread, overlapping the stream thread's work
 * @param eventTimeMaxSkewMs how far an event's own time may be ahead of the stream's before it is dead-lettered
 * @param idleScanMaxMemories most memories one idle scan reads
 * @param modelRetryBackoffMs wait before the first retry of a failed model call or batch, doubled for each further
 * @param modelThreads model threads per stream thread with {@code batchOverlap}, each computing calls of its own
 */
public record TopologySettings(Topics topics, int batchMaxSize, long batchMaxWaitMs, List<String> replyRoles,
        String replySpeaker, int summaryEveryTurns, int summaryBudgetWords, long idleExpiryMs,
        boolean idleOnWallClock, MemoryLimits memoryLimits, boolean failOnModelMismatch, int modelRetries,
        EventLimits eventLimits, SalienceLexicon salienceLexicon, boolean batchOverlap, long eventTimeMaxSkewMs,
        int idleScanMaxMemories, long modelRetryBackoffMs, int modelThreads) {

    public TopologySettings {
        Objects.requireNonNull(topics, "topics");
        replyRoles = List.copyOf(replyRoles);
        Objects.requireNonNull(salienceLexicon, "salienceLexicon");
    }

    public static TopologySettings from(WmConfig config) {
        var topics = new Topics(config.topic(WmConfig.TOPIC_EVENTS_CONFIG),
                config.topic(WmConfig.TOPIC_REPLIES_CONFIG), config.topic(WmConfig.TOPIC_SUMMARIES_CONFIG),
                config.topic(WmConfig.TOPIC_DEAD_LETTERS_CONFIG));
        var memory = new MemoryLimits(config.getInt(WmConfig.MEMORY_RECENT_TURNS_CONFIG),
                config.getInt(WmConfig.MEMORY_SALIENT_TURNS_CONFIG),
                config.getInt(WmConfig.MEMORY_TURN_MAX_CHARS_CONFIG),
                config.getInt(WmConfig.MEMORY_EVENT_IDS_CONFIG), config.getInt(WmConfig.MEMORY_FACTS_CONFIG));
        return new TopologySettings(topics, config.getInt(WmConfig.BATCH_MAX_SIZE_CONFIG),
                config.getLong(WmConfig.BATCH_MAX_WAIT_MS_CONFIG), config.replyRoles(),
                config.getString(WmConfig.REPLY_SPEAKER_CONFIG), config.getInt(WmConfig.SUMMARY_EVERY_TURNS_CONFIG),
                config.getInt(WmConfig.SUMMARY_BUDGET_TOKENS_CONFIG), config.getLong(WmConfig.IDLE_EXPIRY_MS_CONFIG),
                "wall".equals(config.getString(WmConfig.IDLE_CLOCK_CONFIG)), memory,
                "fail".equals(config.getString(WmConfig.MEMORY_MODEL_MISMATCH_CONFIG)),
                config.getInt(WmConfig.MODEL_RETRIES_CONFIG),
                EventLimits.DEFAULTS.withMaxTextBytes(config.getInt(WmConfig.EVENT_MAX_TEXT_BYTES_CONFIG)),
                lexicon(config.getString(WmConfig.SUMMARY_SALIENCE_LEXICON_CONFIG)),
                config.getBoolean(WmConfig.BATCH_OVERLAP_CONFIG),
                config.getLong(WmConfig.EVENT_TIME_MAX_SKEW_MS_CONFIG),
                config.getInt(WmConfig.IDLE_SCAN_MAX_MEMORIES_CONFIG),
                config.getLong(WmConfig.MODEL_RETRY_BACKOFF_MS_CONFIG), config.modelThreads());
    }

    /**
     * These settings with model calls on the processing thread: for a test driver (replay), which runs each
     * punctuation to its end on the caller's thread and has no model thread to wait for.
     */
    public TopologySettings onCallerThread() {
        return new TopologySettings(topics, batchMaxSize, batchMaxWaitMs, replyRoles, replySpeaker, summaryEveryTurns,
                summaryBudgetWords, idleExpiryMs, idleOnWallClock, memoryLimits, failOnModelMismatch, modelRetries,
                eventLimits, salienceLexicon, false, eventTimeMaxSkewMs, idleScanMaxMemories,
                modelRetryBackoffMs, 1);
    }

    private static SalienceLexicon lexicon(String file) {
        if (file == null || file.isBlank()) {
            return SalienceLexicon.defaultLexicon();
        }
        try {
            return SalienceLexicon.load(Path.of(file.trim()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(WmConfig.SUMMARY_SALIENCE_LEXICON_CONFIG, file,
                    e.getMessage());
        }
    }

    /** How summaries are composed under these settings. */
    public SummaryComposer summaryComposer() {
        return new SummaryComposer(summaryBudgetWords, new SalienceScorer(salienceLexicon));
    }

    /** The wait before retry {@code retry} (1 for the first): the backoff doubled each time, at most 30 s. */
    public long retryBackoffMs(int retry) {
        return Math.min(30_000L, modelRetryBackoffMs << Math.min(20, Math.max(0, retry - 1)));
    }

    /** The four topic names, prefix applied. */
    public record Topics(String events, String replies, String summaries, String deadLetters) {
    }
}
