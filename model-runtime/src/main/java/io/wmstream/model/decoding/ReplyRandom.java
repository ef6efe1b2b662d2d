package io.wmstream.model.decoding;

import java.nio.charset.StandardCharsets;

/**
 * The random numbers of one reply: SplitMix64 seeded from (conversationId, turn) only, so a replay, whatever its
 * batches, draws the same numbers. The seed function and generator are fixed here (not {@link java.util.Random})
 * so that they cannot change with the JDK.
 */
public final class ReplyRandom {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private long state;

    private ReplyRandom(long seed) {
        this.state = seed;
    }

    /** The generator of the reply to {@code turn} of {@code conversationId}. */
    public static ReplyRandom forTurn(String conversationId, long turn) {
        return new ReplyRandom(seed(conversationId, turn));
    }

    /** FNV-1a 64 of the id's UTF-8 bytes, mixed with the turn. */
    public static long seed(String conversationId, long turn) {
        long hash = 0xCBF29CE484222325L;
        for (byte b : conversationId.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xFF;
            hash *= 0x100000001B3L;
        }
        return mix(hash ^ mix(turn + GOLDEN_GAMMA));
    }

    /** The next 64 random bits. */
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** A uniform double in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    private static long mix(long value) {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
