package io.wmstream.app.evaluation;

import java.util.List;

/**
 * ROUGE-L F1 (Lin, 2004) of one hypothesis against one reference: the longest common subsequence of their tokens,
 * precision over the hypothesis, recall over the reference, their harmonic mean (beta 1); 0 when either is empty.
 */
public final class RougeL {
    private RougeL() {
    }

    public static double f1(List<String> hypothesis, List<String> reference) {
        int lcs = longestCommonSubsequence(hypothesis, reference);
        if (lcs == 0) {
            return 0;
        }
        double precision = (double) lcs / hypothesis.size();
        double recall = (double) lcs / reference.size();
        return 2 * precision * recall / (precision + recall);
    }

    static int longestCommonSubsequence(List<String> a, List<String> b) {
        // Two rows of the usual table: replies and turns are short, but a log may hold long ones.
        int[] previous = new int[b.size() + 1];
        int[] current = new int[b.size() + 1];
        for (int i = 1; i <= a.size(); i++) {
            for (int j = 1; j <= b.size(); j++) {
                current[j] = a.get(i - 1).equals(b.get(j - 1)) ? previous[j - 1] + 1
                        : Math.max(previous[j], current[j - 1]);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.size()];
    }
}
