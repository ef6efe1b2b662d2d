package io.wmstream.model.decoding;

/**
 * Finds degenerate loops at the end of a reply: the same block of 1 to {@value #MAX_BLOCK} tokens repeated
 * back to back a number of times ("no no no", "at 5 and at 5 and at 5 and").
 */
public final class LoopGuard {
    /** The longest repeated block looked for. */
    public static final int MAX_BLOCK = 8;

    private LoopGuard() {
    }

    /**
     * When {@code tokens[0..count)} ends with {@code repeats} back-to-back copies of a block, the length that
     * keeps one copy; otherwise -1. The shortest such block wins.
     */
    public static int cutLength(int[] tokens, int count, int repeats) {
        if (repeats < 2) {
            return -1;
        }
        for (int block = 1; block <= MAX_BLOCK && block * repeats <= count; block++) {
            if (endsWithRepeats(tokens, count, block, repeats)) {
                return count - (repeats - 1) * block;
            }
        }
        return -1;
    }

    private static boolean endsWithRepeats(int[] tokens, int count, int block, int repeats) {
        int start = count - block * repeats;
        for (int i = start + block; i < count; i++) {
            if (tokens[i] != tokens[i - block]) {
                return false;
            }
        }
        return true;
    }
}
