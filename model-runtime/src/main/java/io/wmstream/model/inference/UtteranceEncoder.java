package io.wmstream.model.inference;

import io.wmstream.model.tagging.TagPicker;
import java.nio.LongBuffer;
import java.util.Arrays;

/**
 * Reads token sequences into states, batched: rows are grouped by piece length so that a call pads little, and
 * each row's result depends only on its own tokens and state (the grouping changes which rows share a call, not
 * what is computed for a row).
 *
 * <p>Without tags, sequences are read in pieces of at most {@code chunkTokens} tokens, cut at the same offsets
 * whatever the batch. With tags, each sequence is read in one piece: the tag of a token looks at the GRU's outputs
 * of the next {@code lookahead} tokens of the same call, so a cut would change the tags of the tokens before it
 * (the state is the same either way, ChunkedEncodingTest).
 */
final class UtteranceEncoder {
    private final BatchedStep step;
    private final int padId;
    private final int chunkTokens;
    /** Classes of the tagger's output; 0 without a tagger. */
    private final int tagClasses;

    UtteranceEncoder(BatchedStep step, int padId, int chunkTokens, int tagClasses) {
        this.step = step;
        this.padId = padId;
        this.chunkTokens = chunkTokens;
        this.tagClasses = tagClasses;
    }

    /** Reads each row's token sequence into its state, in place, in pieces of at most {@code chunkTokens}. */
    void encode(Workspace workspace, float[][] states, int[][] sequences) {
        encode(workspace, states, sequences, chunkTokens, null);
    }

    /**
     * Reads each row's token sequence into its state, in place, and returns each token's tag id; without a tagger
     * it reads as {@link #encode(Workspace, float[][], int[][])} and returns null.
     */
    Tagged encodeTagged(Workspace workspace, float[][] states, int[][] sequences) {
        if (tagClasses == 0) {
            encode(workspace, states, sequences);
            return null;
        }
        Workspace.StateOutputs heads = workspace.stateOutputs();
        var tagged = new Tagged(new int[sequences.length][], new float[sequences.length][],
                heads == null ? null : new float[sequences.length][],
                heads == null ? null : new float[sequences.length][]);
        int longest = 1;
        for (int r = 0; r < sequences.length; r++) {
            tagged.tags()[r] = new int[sequences[r].length];
            tagged.factProbabilities()[r] = new float[sequences[r].length];
            if (heads != null) {
                tagged.slotScores()[r] = new float[sequences[r].length * heads.slotScores()];
                tagged.updateScores()[r] = new float[heads.updateScores()];
            }
            longest = Math.max(longest, sequences[r].length);
        }
        encode(workspace, states, sequences, longest, tagged);
        return tagged;
    }

    /**
     * Per row, each token's tag id and its probability of being part of a fact; with state heads also each token's
     * slot scores ([length, slotScores] row-major) and the row's update scores (both null without state heads).
     */
    record Tagged(int[][] tags, float[][] factProbabilities, float[][] slotScores, float[][] updateScores) {
    }

    /**
     * In each round the rows still to read are grouped by their next piece's length, longest first; a call takes
     * the rows whose padding stays within {@link #slack(int)} of its longest.
     */
    private void encode(Workspace workspace, float[][] states, int[][] sequences, int chunk, Tagged tags) {
        int rows = states.length;
        int[] offsets = new int[rows];
        long[] order = new long[rows];
        int[] group = new int[rows];
        while (true) {
            int count = 0;
            for (int r = 0; r < rows; r++) {
                int remaining = sequences[r].length - offsets[r];
                if (remaining > 0) {
                    order[count++] = ((long) Math.min(chunk, remaining) << 32) | r;
                }
            }
            if (count == 0) {
                return;
            }
            Arrays.sort(order, 0, count);
            int end = count;
            while (end > 0) {
                int longest = (int) (order[end - 1] >>> 32);
                int start = end - 1;
                while (start > 0 && longest - (int) (order[start - 1] >>> 32) <= slack(longest)) {
                    start--;
                }
                int time = longest;
                int size = end - start;
                workspace.ensure(size, time);
                LongBuffer tokens = workspace.tokens();
                LongBuffer lengths = workspace.lengths();
                for (int b = 0; b < size; b++) {
                    int r = (int) order[start + b];
                    group[b] = r;
                    int length = (int) (order[start + b] >>> 32);
                    for (int t = 0; t < time; t++) {
                        tokens.put(b * time + t, t < length ? sequences[r][offsets[r] + t] : padId);
                    }
                    lengths.put(b, length);
                }
                step.run(workspace, states, group, size, time, false, tags != null);
                for (int b = 0; b < size; b++) {
                    int r = group[b];
                    int length = (int) lengths.get(b);
                    if (tags != null) {
                        int[] picked = TagPicker.pick(workspace.tags(), b * time * tagClasses, length, tagClasses);
                        System.arraycopy(picked, 0, tags.tags()[r], offsets[r], length);
                        TagPicker.factProbabilities(workspace.tags(), b * time * tagClasses, length, tagClasses,
                                tags.factProbabilities()[r], offsets[r]);
                        if (tags.slotScores() != null) {
                            // Tagged rows are read in one piece (offsets[r] is 0), so the row's scores are whole.
                            int width = workspace.stateOutputs().slotScores();
                            workspace.slots().get(b * time * width, tags.slotScores()[r], offsets[r] * width,
                                    length * width);
                            int updates = workspace.stateOutputs().updateScores();
                            workspace.updates().get(b * updates, tags.updateScores()[r], 0, updates);
                        }
                    }
                    offsets[r] += length;
                }
                end = start;
            }
        }
    }

    /**
     * Padding positions a row may have in a call of {@code time}: a quarter of it, and at least 4 (padding a few
     * positions costs less than another call).
     */
    static int slack(int time) {
        return Math.max(4, time / 4);
    }
}
