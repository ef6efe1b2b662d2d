package io.wmstream.model.decoding;

import io.wmstream.model.ModelFailureException;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Chooses the next token from one row of logits, greedily or by sampling. Holds scratch arrays sized to the
 * vocabulary, allocated once, so choosing allocates nothing and boxes nothing; not thread-safe (one per thread).
 */
public final class TokenPicker {
    private static final int[] NONE = new int[0];

    private final int vocabularySize;
    private final boolean[] suppressed;
    private final int[] suppressedIds;
    private final float[] row;
    private final long[] keys;
    private final double[] weights;

    /** A picker for a vocabulary of {@code vocabularySize} that never chooses the {@code suppressed} ids. */
    public TokenPicker(int vocabularySize, int[] suppressedIds) {
        this.vocabularySize = vocabularySize;
        this.suppressed = new boolean[vocabularySize];
        for (int id : suppressedIds) {
            suppressed[id] = true;
        }
        this.suppressedIds = suppressedIds.clone();
        this.row = new float[vocabularySize];
        this.keys = new long[vocabularySize];
        this.weights = new double[vocabularySize];
    }

    /** The highest-scoring id that is not suppressed; ties go to the lowest id; NaN never wins. */
    public int greedy(FloatBuffer logits, int offset) {
        return greedy(logits, offset, NONE, 0);
    }

    /** {@link #greedy(FloatBuffer, int)} that never chooses {@code banned[0..bannedCount)} either. */
    public int greedy(FloatBuffer logits, int offset, int[] banned, int bannedCount) {
        // One bulk copy, then a branch-light scan of a plain array: several times faster than per-element reads.
        float[] values = row;
        logits.get(offset, values, 0, vocabularySize);
        for (int id : suppressedIds) {
            values[id] = Float.NEGATIVE_INFINITY;
        }
        for (int i = 0; i < bannedCount; i++) {
            values[banned[i]] = Float.NEGATIVE_INFINITY;
        }
        int best = -1;
        float bestValue = Float.NEGATIVE_INFINITY;
        for (int id = 0; id < values.length; id++) {
            float value = values[id];
            if (value > bestValue) {
                best = id;
                bestValue = value;
            }
        }
        if (best < 0) {
            throw new ModelFailureException("Every logit of a reply step is NaN, -Infinity or suppressed");
        }
        return best;
    }

    /**
     * A draw from softmax(logits / temperature) restricted to the {@code topK} best ids (0 = all), then to the
     * smallest prefix (best first, ties to the lowest id) whose probability reaches {@code topP}.
     */
    public int sample(FloatBuffer logits, int offset, double temperature, int topK, double topP,
            ReplyRandom random) {
        return sample(logits, offset, temperature, topK, topP, random, NONE, 0);
    }

    /** {@link #sample(FloatBuffer, int, double, int, double, ReplyRandom)} that never draws {@code banned} ids. */
    public int sample(FloatBuffer logits, int offset, double temperature, int topK, double topP,
            ReplyRandom random, int[] banned, int bannedCount) {
        // A banned id is dropped as a NaN is: the same candidates, weights and draws as before when none is banned.
        float[] values = row;
        logits.get(offset, values, 0, vocabularySize);
        for (int i = 0; i < bannedCount; i++) {
            values[banned[i]] = Float.NaN;
        }
        int n = candidates(values, topK);
        if (n == 0) {
            throw new ModelFailureException("Every logit of a reply step is NaN or suppressed");
        }
        if (topP < 1.0) {
            // Best first, ties to the lowest id; otherwise the (deterministic) id or heap order is as good.
            Arrays.sort(keys, 0, n);
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, values[idOf(keys[i])]);
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            double w = Math.exp((values[idOf(keys[i])] - (double) max) / temperature);
            weights[i] = w;
            total += w;
        }
        if (topP < 1.0) {
            double limit = topP * total;
            double cumulative = 0;
            int kept = 0;
            while (kept < n && cumulative < limit) {
                cumulative += weights[kept++];
            }
            n = Math.max(1, kept);
            total = cumulative;
        }
        double u = random.nextDouble() * total;
        double cumulative = 0;
        for (int i = 0; i < n; i++) {
            cumulative += weights[i];
            if (u < cumulative) {
                return idOf(keys[i]);
            }
        }
        return idOf(keys[n - 1]);
    }

    /**
     * Fills {@code keys[0..n)} with the candidates: all non-suppressed ids in id order, or, when {@code topK}
     * limits them, the {@code topK} best (in heap order, sorted later).
     */
    private int candidates(float[] values, int topK) {
        int limit = topK > 0 ? topK : Integer.MAX_VALUE;
        int n = 0;
        for (int id = 0; id < vocabularySize; id++) {
            float value = values[id];
            if (suppressed[id] || Float.isNaN(value)) {
                continue;
            }
            long key = key(value, id);
            if (n < limit) {
                keys[n] = key;
                n++;
                if (n == limit) {
                    heapify(n);
                }
            } else if (key < keys[0]) {
                keys[0] = key;
                siftDown(0, n);
            }
        }
        return n;
    }

    /**
     * The {@code k} best ids that are neither suppressed nor banned, best first (ties to the lowest id), into
     * {@code ids}, with their log-probabilities under the softmax of the allowed logits into {@code logProbabilities};
     * returns how many (fewer than {@code k} when fewer are allowed). Sums run in id order, so the same row gives the
     * same bits.
     */
    public int best(FloatBuffer logits, int offset, int[] banned, int bannedCount, int k, int[] ids,
            double[] logProbabilities) {
        float[] values = row;
        logits.get(offset, values, 0, vocabularySize);
        for (int i = 0; i < bannedCount; i++) {
            values[banned[i]] = Float.NaN;
        }
        int n = candidates(values, k);
        if (n == 0) {
            throw new ModelFailureException("Every logit of a reply step is NaN, suppressed or banned");
        }
        Arrays.sort(keys, 0, n);
        double logTotal = logSumExp(values);
        for (int i = 0; i < n; i++) {
            ids[i] = idOf(keys[i]);
            logProbabilities[i] = values[ids[i]] - logTotal;
        }
        return n;
    }

    /**
     * The log of the sum of exp(logit) over the tokens {@link #best} can pick (neither suppressed nor banned): a
     * token's log-probability is its logit less this.
     */
    public double logNormaliser(FloatBuffer logits, int offset, int[] banned, int bannedCount) {
        float[] values = row;
        logits.get(offset, values, 0, vocabularySize);
        for (int i = 0; i < bannedCount; i++) {
            values[banned[i]] = Float.NaN;
        }
        return logSumExp(values);
    }

    /** log(sum of exp(v)) over the values neither suppressed nor banned (NaN), shifted by the largest for range. */
    private double logSumExp(float[] values) {
        float max = Float.NEGATIVE_INFINITY;
        for (int id = 0; id < vocabularySize; id++) {
            if (!suppressed[id] && values[id] > max) {
                max = values[id];
            }
        }
        double total = 0;
        for (int id = 0; id < vocabularySize; id++) {
            float value = values[id];
            if (!suppressed[id] && !Float.isNaN(value)) {
                total += Math.exp(value - (double) max);
            }
        }
        return Math.log(total) + max;
    }

    /** Orders by logit descending, then id ascending, as one signed long: smaller is better. */
    static long key(float logit, int id) {
        int bits = Float.floatToIntBits(-logit);
        bits ^= (bits >> 31) & 0x7FFFFFFF;
        return ((long) bits << 32) | id;
    }

    private static int idOf(long key) {
        return (int) key;
    }

    /** A max-heap on keys (the worst kept candidate on top), so a better key replaces the root. */
    private void heapify(int n) {
        for (int i = n / 2 - 1; i >= 0; i--) {
            siftDown(i, n);
        }
    }

    private void siftDown(int start, int n) {
        int i = start;
        while (true) {
            int left = 2 * i + 1;
            if (left >= n) {
                return;
            }
            int child = left + 1 < n && keys[left + 1] > keys[left] ? left + 1 : left;
            if (keys[child] <= keys[i]) {
                return;
            }
            long tmp = keys[i];
            keys[i] = keys[child];
            keys[child] = tmp;
            i = child;
        }
    }
}
