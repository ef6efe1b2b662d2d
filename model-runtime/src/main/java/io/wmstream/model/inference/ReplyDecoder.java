package io.wmstream.model.inference;

import io.wmstream.model.ModelRuntimeConfig;
import io.wmstream.model.decoding.LoopGuard;
import io.wmstream.model.decoding.ReplyRandom;
import io.wmstream.model.decoding.TokenPicker;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;

/**
 * Lockstep greedy or sampled decoding of one reply per state: from the start token ({@code <system>}) until the
 * stop token ({@code <eou>}), {@code maxReplyTokens}, or a degenerate loop (cut back to one copy); rows leave the
 * batch as they finish, so a row's reply never depends on the others.
 */
final class ReplyDecoder {
    private final BatchedStep step;
    private final ModelRuntimeConfig config;
    private final int vocabulary;
    private final int startToken;
    private final int stopToken;
    private final int eouId;

    ReplyDecoder(BatchedStep step, ModelRuntimeConfig config, int vocabulary, int startToken, int stopToken,
            int eouId) {
        this.step = step;
        this.config = config;
        this.vocabulary = vocabulary;
        this.startToken = startToken;
        this.stopToken = stopToken;
        this.eouId = eouId;
    }

    /**
     * Decodes a reply from each state, advancing it in place. On return, {@code closing[r]} holds what the row must
     * still read for the conversation stream to hold its reply as {@code <system> reply <eou>}, and
     * {@code closingFromStart[r]} whether that is to be read from the state before the reply (a reply cut back for
     * a loop) instead of from {@code states[r]}.
     */
    int[][] decode(Workspace workspace, float[][] states, ReplyRandom[] randoms, int[][] closing,
            boolean[] closingFromStart) {
        int rows = states.length;
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
                int token = randoms[r] == null ? picker.greedy(logits, b * vocabulary)
                        : picker.sample(logits, b * vocabulary, config.temperature(), config.topK(), config.topP(),
                                randoms[r]);
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

    /** The reply as the conversation stream holds it: start token, reply tokens, end of utterance. */
    private int[] replyUtterance(int[] reply) {
        int[] out = new int[reply.length + 2];
        out[0] = startToken;
        System.arraycopy(reply, 0, out, 1, reply.length);
        out[out.length - 1] = eouId;
        return out;
    }
}
