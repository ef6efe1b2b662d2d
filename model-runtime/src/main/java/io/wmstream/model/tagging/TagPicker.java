package io.wmstream.model.tagging;

import java.nio.FloatBuffer;

/**
 * Turns the tagger's scores into tag ids: the tag of a token is the argmax over classes of its scores, ties to the
 * lowest index (the manifest's tagger rule), so that Java and training pick the same class on equal scores.
 */
public final class TagPicker {
    private TagPicker() {
    }

    /** The tags of {@code count} tokens whose {@code classes} scores each start at {@code offset}, consecutive. */
    public static int[] pick(FloatBuffer scores, int offset, int count, int classes) {
        int[] out = new int[count];
        for (int t = 0; t < count; t++) {
            out[t] = argmax(scores, offset + t * classes, classes);
        }
        return out;
    }

    /** As {@link #pick(FloatBuffer, int, int, int)} over an array. */
    public static int[] pick(float[] scores, int offset, int count, int classes) {
        return pick(FloatBuffer.wrap(scores), offset, count, classes);
    }

    /**
     * For {@code count} tokens as in {@link #pick(FloatBuffer, int, int, int)}, the softmax probability of not being
     * class 0 ("none"): how sure the tagger is that a token is part of a fact, whatever its type.
     */
    public static void factProbabilities(FloatBuffer scores, int offset, int count, int classes, float[] out,
            int outOffset) {
        for (int t = 0; t < count; t++) {
            int base = offset + t * classes;
            float max = scores.get(base);
            for (int k = 1; k < classes; k++) {
                max = Math.max(max, scores.get(base + k));
            }
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                sum += Math.exp(scores.get(base + k) - max);
            }
            out[outOffset + t] = (float) (1.0 - Math.exp(scores.get(base) - max) / sum);
        }
    }

    private static int argmax(FloatBuffer scores, int offset, int classes) {
        int best = 0;
        float bestScore = scores.get(offset);
        for (int k = 1; k < classes; k++) {
            float score = scores.get(offset + k);
            // Strictly greater: a tie keeps the lower class; NaN never wins.
            if (score > bestScore) {
                best = k;
                bestScore = score;
            }
        }
        return best;
    }
}
