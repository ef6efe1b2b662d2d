package io.wmstream.topology.memory;

/**
 * Bounds of one conversation's memory (DESIGN 5.3): how many recent and salient turns, how much of each turn's
 * text, how many recent eventIds. With the state, they fix an upper size ({@link WorkingMemoryCodec#maxBytes}).
 */
public record MemoryLimits(int recentTurns, int salientTurns, int turnMaxChars, int eventIds) {
    /** Characters of one eventId kept (DESIGN 4.2 caps ids at 200). */
    public static final int EVENT_ID_MAX_CHARS = 200;
    /** Characters of a speaker label kept. */
    public static final int SPEAKER_MAX_CHARS = 64;

    public MemoryLimits {
        if (recentTurns < 1 || salientTurns < 0 || turnMaxChars < 1 || eventIds < 0) {
            throw new IllegalArgumentException("invalid memory limits " + this);
        }
    }
}
