package io.wmstream.topology.config;

import io.wmstream.schemas.event.EventLimits;
import io.wmstream.topology.memory.MemoryLimits;
import java.util.List;
import java.util.Objects;

/**
 * The typed settings the topology runs with, read once from {@link WmConfig}.
 *
 * @param idleExpiryMs 0 disables idle expiry
 * @param idleOnWallClock expire on the wall clock instead of stream time (not reproducible on replay)
 * @param failOnModelMismatch refuse (stop) instead of resetting memory written under another model
 */
public record TopologySettings(Topics topics, int batchMaxSize, long batchMaxWaitMs, List<String> replyRoles,
        String replySpeaker, int summaryEveryTurns, int summaryBudgetWords, long idleExpiryMs,
        boolean idleOnWallClock, MemoryLimits memoryLimits, boolean failOnModelMismatch, int modelRetries,
        EventLimits eventLimits) {

    public TopologySettings {
        Objects.requireNonNull(topics, "topics");
        replyRoles = List.copyOf(replyRoles);
    }

    public static TopologySettings from(WmConfig config) {
        var topics = new Topics(config.topic(WmConfig.TOPIC_EVENTS_CONFIG),
                config.topic(WmConfig.TOPIC_REPLIES_CONFIG), config.topic(WmConfig.TOPIC_SUMMARIES_CONFIG),
                config.topic(WmConfig.TOPIC_DEAD_LETTERS_CONFIG));
        var memory = new MemoryLimits(config.getInt(WmConfig.MEMORY_RECENT_TURNS_CONFIG),
                config.getInt(WmConfig.MEMORY_SALIENT_TURNS_CONFIG),
                config.getInt(WmConfig.MEMORY_TURN_MAX_CHARS_CONFIG),
                config.getInt(WmConfig.MEMORY_EVENT_IDS_CONFIG));
        return new TopologySettings(topics, config.getInt(WmConfig.BATCH_MAX_SIZE_CONFIG),
                config.getLong(WmConfig.BATCH_MAX_WAIT_MS_CONFIG), config.replyRoles(),
                config.getString(WmConfig.REPLY_SPEAKER_CONFIG), config.getInt(WmConfig.SUMMARY_EVERY_TURNS_CONFIG),
                config.getInt(WmConfig.SUMMARY_BUDGET_TOKENS_CONFIG), config.getLong(WmConfig.IDLE_EXPIRY_MS_CONFIG),
                "wall".equals(config.getString(WmConfig.IDLE_CLOCK_CONFIG)), memory,
                "fail".equals(config.getString(WmConfig.MEMORY_MODEL_MISMATCH_CONFIG)),
                config.getInt(WmConfig.MODEL_RETRIES_CONFIG),
                EventLimits.DEFAULTS.withMaxTextBytes(config.getInt(WmConfig.EVENT_MAX_TEXT_BYTES_CONFIG)));
    }

    /** The four topic names, prefix applied. */
    public record Topics(String events, String replies, String summaries, String deadLetters) {
    }
}
