package io.wmstream.model.inference;

import io.wmstream.model.ModelRuntimeConfig;
import io.wmstream.model.decoding.BeamSearch;
import io.wmstream.model.decoding.LoopGuard;
import io.wmstream.model.decoding.RepeatBlocker;
import io.wmstream.model.decoding.ReplyRandom;
import io.wmstream.model.decoding.RequestSteering;
import io.wmstream.model.decoding.TokenPicker;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;

/**
 * Lockstep greedy, sampled or beam decoding of one reply per state: from the start token ({@code <system>}) until
 * the stop token ({@code <eou>}), {@code maxReplyTokens}, or a degenerate loop (cut back to one copy); rows leave
 * the batch as they finish, so a row's reply never depends on the others. At every step the tokens that would
 * repeat a word n-gram or a sentence of the reply are banned ({@link RepeatBlocker}). With a beam width above 1,
 * each row's hypotheses are rows of the step call ({@link BeamSearch}); each is computed on its own, so the reply
 * is the same in any batch. A row with steering targets (the placeholders its user asked for,
 * {@link RequestSteering}) has them boosted until its reply holds them.
 */
final class ReplyDecoder {
    private final BatchedStep step;
    private final ModelRuntimeConfig config;
    private final int vocabulary;
    private final int startToken;
    private final int stopToken;
    private final int eouId;
    private final RepeatBlocker blocker;
    private final RequestSteering steering;

    ReplyDecoder(BatchedStep step, ModelRuntimeConfig config, int vocabulary, int startToken, int stopToken,
            int eouId, RepeatBlocker blocker, RequestSteering steering) {
        this.step = step;
        this.config = config;
        this.vocabulary = vocabulary;
        this.startToken = startToken;
        this.stopToken = stopToken;
        this.eouId = eouId;
        this.blocker = blocker;
        this.steering = steering;
    }

    /**
     * Decodes a reply from each state, advancing it in place. On return, {@code closing[r]} holds what the row must
     * still read for the conversation stream to hold its reply as {@code <system> reply <eou>}, and
     * {@code closingFromStart[r]} whether that is to be read from the state before the reply (a reply cut back for
     * a loop) instead of from {@code states[r]}. {@code targets[r]} are the placeholders row r is steered to
     * (none: an empty array).
     */
    int[][] decode(Workspace workspace, float[][] states, ReplyRandom[] randoms, int[][] closing,
            boolean[] closingFromStart, int[][] targets) {
        if (config.beamWidth() > 1) {
            return decodeBeams(workspace, states, closing, targets, config.beamWidth());
        }
        return decodeGreedy(workspace, states, randoms, closing, closingFromStart, targets);
    }

    private int[][] decodeGreedy(Workspace workspace, float[][] states, ReplyRandom[] randoms, int[][] closing,
            boolean[] closingFromStart, int[][] targets) {
        int rows = states.length;
        int[] banned = new int[blocker.maxBanned(config.maxReplyTokens())];
        int max = config.maxReplyTokens();
        int[][] generated = new int[rows][max];
        int[] counts = new int[rows];
        int[] next = new int[rows];
        int[] active = new int[rows];
        boolean[] done = new boolean[rows];
        Arrays.fill(next, startToken);
        TokenPicker picker = workspace.picker();
        while (true) {
            int count = 0;
            for (int r = 0; r < rows; r++) {
                if (!done[r]) {
                    active[count++] = r;
                }
            }
            if (count == 0) {
                break;
            }
            workspace.ensure(count, 1);
            LongBuffer tokens = workspace.tokens();
            LongBuffer lengths = workspace.lengths();
            for (int b = 0; b < count; b++) {
                tokens.put(b, next[active[b]]);
                lengths.put(b, 1);
            }
            step.run(workspace, states, active, count, 1, true, false);
            FloatBuffer logits = workspace.logits();
            double penalty = config.stopPenalty();
            for (int b = 0; b < count; b++) {
                int r = active[b];
                if (penalty != 0.0) {
                    int at = b * vocabulary + stopToken;
                    logits.put(at, (float) (logits.get(at) - penalty));
                }
                if (targets[r].length > 0) {
                    steering.apply(logits, b * vocabulary, targets[r], generated[r], counts[r]);
                }
                int bans = blocker.banned(generated[r], counts[r], banned);
                int token = randoms[r] == null ? picker.greedy(logits, b * vocabulary, banned, bans)
                        : picker.sample(logits, b * vocabulary, config.temperature(), config.topK(), config.topP(),
                                randoms[r], banned, bans);
                if (token == stopToken) {
                    // The state has read <system> and every reply token.
                    done[r] = true;
                    closing[r] = new int[] {eouId};
                    continue;
                }
                generated[r][counts[r]++] = token;
                int cut = config.loopRepeats() == 0 ? -1
                        : LoopGuard.cutLength(generated[r], counts[r], config.loopRepeats());
                if (cut >= 0) {
                    // The state has read repeats the reply no longer has: read the kept reply again.
                    counts[r] = cut;
                    done[r] = true;
                    closing[r] = replyUtterance(Arrays.copyOf(generated[r], cut));
                    closingFromStart[r] = true;
                } else if (counts[r] == max) {
                    done[r] = true;
                    closing[r] = new int[] {token, eouId};
                } else {
                    next[r] = token;
                }
            }
        }
        int[][] out = new int[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = Arrays.copyOf(generated[r], counts[r]);
        }
        return out;
    }

    /**
     * Beam search for every row: each step calls the graph once for the live hypotheses of all unfinished rows. On
     * return, {@code states[r]} has read {@code <system>} and the reply's tokens but those in {@code closing[r]},
     * as after greedy decoding.
     */
    private int[][] decodeBeams(Workspace workspace, float[][] states, int[][] closing, int[][] targets,
            int width) {
        int rows = states.length;
        int max = config.maxReplyTokens();
        BeamSearch[] searches = new BeamSearch[rows];
        // Per row, the state of each live hypothesis: what it read up to its last token but one.
        float[][][] beamStates = new float[rows][][];
        float[][] bestStates = new float[rows][];
        for (int r = 0; r < rows; r++) {
            searches[r] = targets[r].length == 0 ? new BeamSearch(width, max, stopToken)
                    : new BeamSearch(width, max, stopToken, targets[r], steering.targetBonus());
            beamStates[r] = new float[][] {states[r].clone()};
        }
        int perHypothesis = searches.length == 0 ? 0 : searches[0].candidatesPerHypothesis();
        int[][] ids = new int[width][perHypothesis];
        double[][] logProbabilities = new double[width][perHypothesis];
        double[][] rawLogProbabilities = new double[width][perHypothesis];
        int[] counts = new int[width];
        int[] banned = new int[blocker.maxBanned(max)];
        int[] active = new int[rows * width];
        float[][] flat = new float[rows * width][];
        TokenPicker picker = workspace.picker();
        double penalty = config.stopPenalty();
        while (true) {
            int count = 0;
            for (int r = 0; r < rows; r++) {
                if (searches[r].done()) {
                    continue;
                }
                for (int h = 0; h < searches[r].live(); h++) {
                    flat[count] = beamStates[r][h];
                    active[count] = count;
                    count++;
                }
            }
            if (count == 0) {
                break;
            }
            workspace.ensure(count, 1);
            LongBuffer tokens = workspace.tokens();
            LongBuffer lengths = workspace.lengths();
            int b = 0;
            for (int r = 0; r < rows; r++) {
                BeamSearch search = searches[r];
                for (int h = 0; !search.done() && h < search.live(); h++) {
                    int length = search.length(h);
                    tokens.put(b, length == 0 ? startToken : search.tokens(h)[length - 1]);
                    lengths.put(b, 1);
                    b++;
                }
            }
            step.run(workspace, flat, active, count, 1, true, false);
            FloatBuffer logits = workspace.logits();
            b = 0;
            for (int r = 0; r < rows; r++) {
                BeamSearch search = searches[r];
                if (search.done()) {
                    continue;
                }
                int live = search.live();
                for (int h = 0; h < live; h++, b++) {
                    if (penalty != 0.0) {
                        int at = b * vocabulary + stopToken;
                        logits.put(at, (float) (logits.get(at) - penalty));
                    }
                    int bans = blocker.banned(search.tokens(h), search.length(h), banned);
                    int base = b * vocabulary;
                    if (targets[r].length == 0) {
                        counts[h] = picker.best(logits, base, banned, bans, perHypothesis, ids[h],
                                logProbabilities[h]);
                        System.arraycopy(logProbabilities[h], 0, rawLogProbabilities[h], 0, counts[h]);
                        continue;
                    }
                    // Steered: the candidates come from the boosted logits, the finished replies are ranked by
                    // the model's own log-probabilities (BeamSearch's target bonus aside).
                    double rawNormaliser = picker.logNormaliser(logits, base, banned, bans);
                    steering.apply(logits, base, targets[r], search.tokens(h), search.length(h));
                    counts[h] = picker.best(logits, base, banned, bans, perHypothesis, ids[h], logProbabilities[h]);
                    for (int c = 0; c < counts[h]; c++) {
                        int id = ids[h][c];
                        rawLogProbabilities[h][c] = logits.get(base + id) - steering.adjustment(id, targets[r],
                                search.tokens(h), search.length(h)) - rawNormaliser;
                    }
                }
                float[][] stepped = beamStates[r];
                if (search.step(ids, logProbabilities, rawLogProbabilities, counts) != BeamSearch.Finish.NONE) {
                    bestStates[r] = stepped[search.bestParent()].clone();
                }
                float[][] next = new float[search.live()][];
                for (int h = 0; h < next.length; h++) {
                    next[h] = stepped[search.parent(h)].clone();
                }
                beamStates[r] = next;
            }
        }
        int[][] out = new int[rows][];
        for (int r = 0; r < rows; r++) {
            BeamSearch search = searches[r];
            out[r] = search.best();
            System.arraycopy(bestStates[r], 0, states[r], 0, states[r].length);
            closing[r] = search.bestFinish() == BeamSearch.Finish.STOPPED ? new int[] {eouId}
                    : new int[] {out[r][out[r].length - 1], eouId};
        }
        return out;
    }

    /** The reply as the conversation stream holds it: start token, reply tokens, end of utterance. */
    private int[] replyUtterance(int[] reply) {
        int[] out = new int[reply.length + 2];
        out[0] = startToken;
        System.arraycopy(reply, 0, out, 1, reply.length);
        out[out.length - 1] = eouId;
        return out;
    }
}
