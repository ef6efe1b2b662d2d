package io.wmstream.topology.memory;

/**
 * Bounds of one conversation's memory (DESIGN 5.3): how many recent and salient turns, how much of each turn's
 * text, how many recent eventIds and how many tracked facts. With the state, they fix an upper size
 * ({@link WorkingMemoryCodec#maxBytes}).
 */
public record MemoryLimits(int recentTurns, int salientTurns, int turnMaxChars, int eventIds, int facts) {
    /** Characters of one eventId kept (DESIGN 4.2 caps ids at 200). */
    public static final int EVENT_ID_MAX_CHARS = 200;
    /** Characters of a speaker label kept. */
    public static final int SPEAKER_MAX_CHARS = 64;
    /** Characters of a fact's value kept; longer runs are tagging noise more often than values. */
    public static final int FACT_VALUE_MAX_CHARS = 120;
    /** Characters of a fact's type kept (the bundle's placeholder names are short). */
    public static final int FACT_TYPE_MAX_CHARS = 32;
    /** Words of one turn whose fact weight is kept (a turn's text is bounded, its words too). */
    public static final int FACT_WEIGHTS_PER_TURN = 64;
    /** Slots of the dialogue state kept (a model's slot inventory is smaller; this bounds what a memory holds). */
    public static final int STATE_SLOTS = 128;
    /** Values the system offered kept until the user's next turn. */
    public static final int STATE_OFFERS = 32;
    /** Open requests kept (there are as many request types as placeholder types). */
    public static final int STATE_REQUESTS = 32;
    /** Facts kept per conversation by default. */
    public static final int DEFAULT_FACTS = 32;

    public MemoryLimits {
        if (recentTurns < 1 || salientTurns < 0 || turnMaxChars < 1 || eventIds < 0 || facts < 0) {
            throw new IllegalArgumentException("invalid memory limits " + this);
        }
    }

    /** Limits with the default number of facts. */
    public MemoryLimits(int recentTurns, int salientTurns, int turnMaxChars, int eventIds) {
        this(recentTurns, salientTurns, turnMaxChars, eventIds, DEFAULT_FACTS);
    }
}
