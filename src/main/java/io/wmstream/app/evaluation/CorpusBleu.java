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
        for (int n = 1; n <= ORDER; n++) {
            Map<List<String>, Integer> referenceCounts = ngrams(reference, n);
            Map<List<String>, Integer> hypothesisCounts = ngrams(hypothesis, n);
            long clipped = 0;
            long count = 0;
            for (Map.Entry<List<String>, Integer> entry : hypothesisCounts.entrySet()) {
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

    private static Map<List<String>, Integer> ngrams(List<String> tokens, int n) {
        Map<List<String>, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) {
            counts.merge(tokens.subList(i, i + n), 1, Integer::sum);
        }
        return counts;
    }
}
