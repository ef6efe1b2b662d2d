package io.wmstream.topology.memory;

import java.util.Properties;

/**
 * A conversation's memory is one record of the working-memory changelog, so it must always fit in one Kafka record:
 * a memory the broker or the producer refused would fail the task's commit, for that conversation and every other
 * of its task. {@link #check} compares the largest memory the configured limits allow
 * ({@link WorkingMemoryCodec#maxBytes}) with the changelog's {@code max.message.bytes} and the producer's
 * {@code max.request.size}, at start, before anything is consumed.
 */
public final class MemoryRecordLimit {
    /**
     * {@code max.message.bytes} of the working-memory changelog, set on it explicitly (Kafka's own default), so that a
     * broker whose {@code message.max.bytes} default is lower does not make the topic refuse memories.
     */
    public static final int CHANGELOG_MAX_MESSAGE_BYTES = 1_048_588;
    /** The producer's {@code max.request.size} when not configured (Kafka's default). */
    static final int DEFAULT_MAX_REQUEST_SIZE = 1_048_576;
    /** The key (a conversationId: at most 200 characters of up to 3 UTF-8 bytes) and the record's framing. */
    static final int RECORD_OVERHEAD_BYTES = 3 * 200 + 512;

    private MemoryRecordLimit() {
    }

    /** The most bytes one memory record can take: value, key and framing. */
    public static long recordBytes(MemoryLimits limits, ModelStamp model) {
        return WorkingMemoryCodec.maxBytes(limits, model.stateSize(), model.name().length() + model.version().length())
                + RECORD_OVERHEAD_BYTES;
    }

    /**
     * Refuses limits whose largest memory would not fit in one record of the changelog, under the producer settings
     * of {@code streamsProperties} (Kafka Streams' properties: {@code producer.max.request.size} or
     * {@code max.request.size}).
     *
     * @throws IllegalArgumentException naming the sizes and the settings that decide them
     */
    public static void check(MemoryLimits limits, ModelStamp model, Properties streamsProperties) {
        long needed = recordBytes(limits, model);
        long requestSize = maxRequestSize(streamsProperties);
        long accepted = Math.min(CHANGELOG_MAX_MESSAGE_BYTES, requestSize);
        if (needed > accepted) {
            throw new IllegalArgumentException("a conversation's memory can take up to " + needed + " bytes under "
                    + "wm.memory.recent.turns=" + limits.recentTurns() + ", wm.memory.salient.turns="
                    + limits.salientTurns() + ", wm.memory.turn.max.chars=" + limits.turnMaxChars()
                    + ", wm.memory.event.ids=" + limits.eventIds() + " and wm.memory.facts=" + limits.facts()
                    + ", more than the " + accepted + " bytes Kafka accepts in one record (the working-memory "
                    + "changelog's max.message.bytes " + CHANGELOG_MAX_MESSAGE_BYTES + ", the producer's "
                    + "max.request.size " + requestSize + "); lower wm.memory.recent.turns, wm.memory.salient.turns "
                    + "or wm.memory.turn.max.chars");
        }
    }

    private static long maxRequestSize(Properties streamsProperties) {
        Object value = streamsProperties.get("producer.max.request.size");
        if (value == null) {
            value = streamsProperties.get("max.request.size");
        }
        if (value == null) {
            return DEFAULT_MAX_REQUEST_SIZE;
        }
        try {
            return Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            // Kafka refuses it itself, with its own message, when the producer is created.
            return DEFAULT_MAX_REQUEST_SIZE;
        }
    }
}
