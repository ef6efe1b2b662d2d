package io.wmstream.app.evaluation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Corpus BLEU-4 (Papineni et al., 2002) of hypotheses against one reference each, computed as NLTK's
 * {@code corpus_bleu} with its default weights and no smoothing (checked against it in tests): clipped n-gram
 * matches and n-gram counts summed over the corpus for n = 1..4 (a hypothesis shorter than n still counts one
 * n-gram in the denominator, as NLTK does), uniform weights, and the brevity penalty of the summed lengths.
 * The score is 0 when no unigram matches, and near 0 when some order has no match.
 */
public final class CorpusBleu {
    /** The largest n-gram order. */
    public static final int ORDER = 4;

    /** Tokens of a hypothesis or reference that count in its n-grams: two of them hold at most 2^16 - 2 ids. */
    static final int MAX_TOKENS = 32_767;

    private final long[] matches = new long[ORDER];
    private final long[] totals = new long[ORDER];
    private long hypothesisLength;
    private long referenceLength;
    private long segments;

    /** Adds one hypothesis and its reference, as tokens. */
    public void add(List<String> hypothesis, List<String> reference) {
        segments++;
        hypothesisLength += hypothesis.size();
        referenceLength += reference.size();
        // Tokens as ids below 2^16, so that an n-gram of up to four is one long key; a segment longer than any
        // turn the event limits allow is cut to keep them there.
        Map<String, Integer> ids = new HashMap<>();
        int[] hyp = ids(hypothesis.subList(0, Math.min(hypothesis.size(), MAX_TOKENS)), ids);
        int[] ref = ids(reference.subList(0, Math.min(reference.size(), MAX_TOKENS)), ids);
        for (int n = 1; n <= ORDER; n++) {
            Map<Long, Integer> referenceCounts = ngrams(ref, n);
            long clipped = 0;
            long count = 0;
            for (Map.Entry<Long, Integer> entry : ngrams(hyp, n).entrySet()) {
                count += entry.getValue();
                clipped += Math.min(entry.getValue(), referenceCounts.getOrDefault(entry.getKey(), 0));
            }
            matches[n - 1] += clipped;
            totals[n - 1] += Math.max(1, count);
        }
    }

    /** How many hypotheses were added. */
    public long segments() {
        return segments;
    }

    /** BLEU-4 in [0, 1]; 0 for an empty corpus. */
    public double score() {
        if (segments == 0 || matches[0] == 0) {
            return 0;
        }
        double logSum = 0;
        for (int n = 0; n < ORDER; n++) {
            // NLTK's method0 puts the smallest positive double in place of a zero precision (and warns).
            double precision = matches[n] == 0 ? Double.MIN_NORMAL : (double) matches[n] / totals[n];
            logSum += Math.log(precision) / ORDER;
        }
        return brevityPenalty() * Math.exp(logSum);
    }

    private double brevityPenalty() {
        if (hypothesisLength > referenceLength) {
            return 1;
        }
        if (hypothesisLength == 0) {
            return 0;
        }
        return Math.exp(1 - (double) referenceLength / hypothesisLength);
    }

    private static int[] ids(List<String> tokens, Map<String, Integer> ids) {
        int[] out = new int[tokens.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids.computeIfAbsent(tokens.get(i), token -> ids.size() + 1);
        }
        return out;
    }

    /** Counts of the n-grams of ids, each n-gram packed into a long of 16 bits an id. */
    private static Map<Long, Integer> ngrams(int[] ids, int n) {
        Map<Long, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= ids.length; i++) {
            long key = 0;
            for (int k = 0; k < n; k++) {
                key = (key << 16) | ids[i + k];
            }
            counts.merge(key, 1, Integer::sum);
        }
        return counts;
    }
}
