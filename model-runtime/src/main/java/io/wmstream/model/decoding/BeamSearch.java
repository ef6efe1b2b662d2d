package io.wmstream.model.decoding;

import java.util.Arrays;

/**
 * The bookkeeping of one reply's beam search, apart from the model: the live hypotheses (at most {@code width}),
 * and the best finished one by length-normalised score (the sum of its tokens' log-probabilities, the stop token's
 * included, over its length in tokens, the stop token counted). Each step takes the best candidates of every live
 * hypothesis and keeps the {@code width} best continuations, in the order of score, then parent, then token id; a
 * stop token among the first {@code width} candidates finishes its hypothesis, as do continuations that reach
 * {@code maxTokens}. The search is done when {@code width} hypotheses have finished, none is live, or none live can
 * be expected to beat the best finished one ({@link #done()}). Every choice
 * depends on the scores alone, so a reply is the same whatever else its batch holds.
 */
public final class BeamSearch {
    /** What became of a step's best finished hypothesis, if it beat the one before. */
    public enum Finish {
        /** No hypothesis finished that beats the best so far. */
        NONE,
        /** The new best ended with the stop token: its state is its parent's after this step. */
        STOPPED,
        /** The new best reached the longest reply: its last token still has to be read into its parent's state. */
        FULL
    }

    private final int width;
    private final int maxTokens;
    private final int stopToken;
    private int[][] tokens;
    private int[] lengths;
    private double[] scores;
    /** The unsteered log-probabilities' sums (the model's own scores; the same as {@code scores} unsteered). */
    private double[] rawScores;
    private int live;
    private int finished;
    private int[] bestTokens;
    private double bestScore = Double.NEGATIVE_INFINITY;
    /** The best length-normalised search score of a finished hypothesis, for {@link #done()}. */
    private double bestSearchScore = Double.NEGATIVE_INFINITY;
    private final int[] targets;
    private final double targetBonus;
    private int bestParent = -1;
    private Finish bestFinish = Finish.NONE;
    /** Scratch of one step: the candidates of every live hypothesis, by position in the sorted order. */
    private final int[] order;
    private final int[] candidateParents;
    private final int[] candidateTokens;
    private final double[] candidateScores;
    private final double[] candidateRawScores;
    private final int[] parents;

    /** A search that starts from one empty hypothesis. */
    public BeamSearch(int width, int maxTokens, int stopToken) {
        this(width, maxTokens, stopToken, new int[0], 0.0);
    }

    /**
     * A search steered to {@code targets} (placeholder tokens the reply should hold): the finished hypotheses are
     * ranked by the model's own length-normalised score (the unsteered log-probabilities of {@link #step(int[][],
     * double[][], double[][], int[])}) plus {@code targetBonus} for each target the reply holds, so a steered
     * reply wins only where the model still finds it likely.
     */
    public BeamSearch(int width, int maxTokens, int stopToken, int[] targets, double targetBonus) {
        if (width < 1 || maxTokens < 1) {
            throw new IllegalArgumentException("width and maxTokens must be >= 1, got " + width + " and " + maxTokens);
        }
        this.width = width;
        this.maxTokens = maxTokens;
        this.stopToken = stopToken;
        this.tokens = new int[width][maxTokens];
        this.lengths = new int[width];
        this.scores = new double[width];
        this.rawScores = new double[width];
        this.targets = targets.clone();
        this.targetBonus = targetBonus;
        this.live = 1;
        int most = width * candidatesPerHypothesis();
        this.order = new int[most];
        this.candidateParents = new int[most];
        this.candidateTokens = new int[most];
        this.candidateScores = new double[most];
        this.candidateRawScores = new double[most];
        this.parents = new int[width];
    }

    /** How many candidates each live hypothesis should offer a step: twice the width, as stops may take some. */
    public int candidatesPerHypothesis() {
        return 2 * width;
    }

    /** Live hypotheses. */
    public int live() {
        return live;
    }

    /**
     * Whether the search is over ({@link #best()} is the reply): no hypothesis is live, {@code width} have
     * finished, or the best finished one's score already reaches the best mean log-probability of a live one. The
     * last is the usual heuristic of generation libraries (a hypothesis seldom raises its mean by going on); without
     * it a row would decode to the longest reply whenever its other hypotheses keep going, for the same reply.
     */
    public boolean done() {
        if (live == 0 || finished >= width) {
            return true;
        }
        if (bestTokens == null) {
            return false;
        }
        double bestLive = Double.NEGATIVE_INFINITY;
        for (int h = 0; h < live; h++) {
            bestLive = Math.max(bestLive, scores[h] / lengths[h]);
        }
        return bestSearchScore >= bestLive;
    }

    /** The tokens of live hypothesis {@code h} (the first {@link #length(int)} hold them). */
    public int[] tokens(int h) {
        return tokens[h];
    }

    /** The length of live hypothesis {@code h}. */
    public int length(int h) {
        return lengths[h];
    }

    /** After {@link #step}, the hypothesis of the last step that each live hypothesis continues. */
    public int parent(int h) {
        return parents[h];
    }

    /**
     * One step: {@code ids[h][0..counts[h])} are hypothesis h's candidate next tokens, best first, with their
     * log-probabilities. Returns what became of the best finished hypothesis; its parent is {@link #bestParent()}.
     */
    public Finish step(int[][] ids, double[][] logProbabilities, int[] counts) {
        return step(ids, logProbabilities, logProbabilities, counts);
    }

    /**
     * As {@link #step(int[][], double[][], int[])}, where the candidates were chosen by steered scores
     * ({@code logProbabilities}) and {@code rawLogProbabilities} are the same tokens' log-probabilities unsteered.
     */
    public Finish step(int[][] ids, double[][] logProbabilities, double[][] rawLogProbabilities, int[] counts) {
        int n = 0;
        for (int h = 0; h < live; h++) {
            for (int c = 0; c < counts[h]; c++) {
                candidateParents[n] = h;
                candidateTokens[n] = ids[h][c];
                candidateScores[n] = scores[h] + logProbabilities[h][c];
                candidateRawScores[n] = rawScores[h] + rawLogProbabilities[h][c];
                order[n] = n;
                n++;
            }
        }
        sortCandidates(n);
        Finish result = Finish.NONE;
        int[][] nextTokens = new int[width][];
        int[] nextLengths = new int[width];
        double[] nextScores = new double[width];
        double[] nextRawScores = new double[width];
        int kept = 0;
        for (int rank = 0; rank < n && kept < width; rank++) {
            int c = order[rank];
            int parent = candidateParents[c];
            int token = candidateTokens[c];
            boolean stop = token == stopToken;
            if (stop || lengths[parent] + 1 == maxTokens) {
                if (rank >= width) {
                    // A finish beyond the width's first candidates is not among the best continuations.
                    continue;
                }
                int length = lengths[parent] + 1;
                finished++;
                bestSearchScore = Math.max(bestSearchScore, candidateScores[c] / length);
                double normalised = candidateRawScores[c] / length
                        + targetBonus * held(tokens[parent], lengths[parent], stop ? -1 : token);
                if (normalised > bestScore) {
                    bestScore = normalised;
                    bestParent = parent;
                    bestTokens = Arrays.copyOf(tokens[parent], stop ? lengths[parent] : length);
                    if (!stop) {
                        bestTokens[length - 1] = token;
                    }
                    bestFinish = stop ? Finish.STOPPED : Finish.FULL;
                    result = bestFinish;
                }
                continue;
            }
            int[] continued = Arrays.copyOf(tokens[parent], maxTokens);
            continued[lengths[parent]] = token;
            nextTokens[kept] = continued;
            nextLengths[kept] = lengths[parent] + 1;
            nextScores[kept] = candidateScores[c];
            nextRawScores[kept] = candidateRawScores[c];
            parents[kept] = parent;
            kept++;
        }
        for (int h = kept; h < width; h++) {
            nextTokens[h] = tokens[h];
        }
        tokens = nextTokens;
        lengths = nextLengths;
        scores = nextScores;
        rawScores = nextRawScores;
        live = kept;
        return result;
    }

    /** How many of the targets a reply of the parent's first {@code length} tokens and then {@code last} holds. */
    private int held(int[] parentTokens, int length, int last) {
        int count = 0;
        for (int target : targets) {
            boolean found = target == last;
            for (int i = 0; i < length && !found; i++) {
                found = parentTokens[i] == target;
            }
            count += found ? 1 : 0;
        }
        return count;
    }

    /** Best score first; ties to the earlier hypothesis, then to the lower token id. */
    private void sortCandidates(int n) {
        // Insertion sort: a step has at most 2 x width x width candidates, and it keeps the order exact.
        for (int i = 1; i < n; i++) {
            int c = order[i];
            int j = i - 1;
            while (j >= 0 && before(c, order[j])) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = c;
        }
    }

    private boolean before(int a, int b) {
        int byScore = Double.compare(candidateScores[b], candidateScores[a]);
        if (byScore != 0) {
            return byScore < 0;
        }
        if (candidateParents[a] != candidateParents[b]) {
            return candidateParents[a] < candidateParents[b];
        }
        return candidateTokens[a] < candidateTokens[b];
    }

    /** The best finished hypothesis's tokens, the stop token left out; null while none has finished. */
    public int[] best() {
        return bestTokens == null ? null : bestTokens.clone();
    }

    /** How the best finished hypothesis ended. */
    public Finish bestFinish() {
        return bestFinish;
    }

    /** The hypothesis of the step that finished the best one, whose state holds what it read. */
    public int bestParent() {
        return bestParent;
    }

    /** The best finished hypothesis's length-normalised score (unsteered, with the bonus of its targets). */
    public double bestScore() {
        return bestScore;
    }
}
