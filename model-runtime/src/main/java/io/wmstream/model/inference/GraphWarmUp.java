package io.wmstream.model.inference;

import io.wmstream.model.ModelFailureException;
import java.util.Arrays;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first calls on a freshly opened graph, on its device (a short utterance and a decoding step): NaN logits
 * fail it. When the graph has a pruned
 * encoding copy, that copy must give bit for bit the full graph's states (and tagger scores) on the same rows (two
 * rows of different lengths), or it is dropped and encoding runs the full graph.
 */
final class GraphWarmUp implements SessionFactory.WarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(GraphWarmUp.class);

    private final String model;
    private final Supplier<Workspace> workspaces;
    private final int startToken;
    private final int eouId;
    private final int padId;

    GraphWarmUp(String model, Supplier<Workspace> workspaces, int startToken, int eouId, int padId) {
        this.model = model;
        this.workspaces = workspaces;
        this.startToken = startToken;
        this.eouId = eouId;
        this.padId = padId;
    }

    @Override
    public void run(StepGraph opened) {
        try (Workspace workspace = workspaces.get()) {
            int rows = 2;
            int time = 3;
            int layers = opened.layers();
            int hidden = opened.hidden();
            boolean tags = workspace.hasTags();
            workspace.ensure(rows, time);
            long[] tokens = {startToken, eouId, startToken, startToken, eouId, padId};
            workspace.tokens().put(0, tokens);
            workspace.lengths().put(0, time).put(1, time - 1);
            for (int i = 0; i < layers * rows * hidden; i++) {
                workspace.state().put(i, (i % 7 - 3) / 8f);
            }
            opened.run(workspace, rows, time, true, tags);
            float value = workspace.logits().get(0);
            if (Float.isNaN(value)) {
                throw new ModelFailureException("The warm-up call returned NaN logits");
            }
            if (opened.hasDecodeGraph()) {
                // Decoding runs the graph without the tagger: it must give the full graph's logits and states.
                float[] fullLogits = new float[rows * opened.vocabulary()];
                float[] fullStates = new float[layers * rows * hidden];
                workspace.logits().get(0, fullLogits);
                workspace.stateOut().get(0, fullStates);
                opened.run(workspace, rows, time, true, false);
                float[] logits = new float[fullLogits.length];
                float[] states = new float[fullStates.length];
                workspace.logits().get(0, logits);
                workspace.stateOut().get(0, states);
                if (!Arrays.equals(fullLogits, logits) || !Arrays.equals(fullStates, states)) {
                    LOG.warn("Model {}: the graph pruned for decoding disagrees with the full graph; decoding runs "
                            + "the full graph", model);
                    opened.dropDecodeGraph();
                }
            }
            // A decoding step (one token) runs another graph than the call above where there is a tagger.
            workspace.ensure(1, 1);
            workspace.tokens().put(0, startToken);
            workspace.lengths().put(0, 1);
            opened.run(workspace, 1, 1, true, false);
            if (Float.isNaN(workspace.logits().get(0))) {
                throw new ModelFailureException("The warm-up decoding step returned NaN logits");
            }
            workspace.ensure(rows, time);
            workspace.tokens().put(0, tokens);
            workspace.lengths().put(0, time).put(1, time - 1);
            for (int i = 0; i < layers * rows * hidden; i++) {
                workspace.state().put(i, (i % 7 - 3) / 8f);
            }
            if (opened.hasStateGraph()) {
                opened.run(workspace, rows, time, true, tags);
                float[] full = new float[layers * rows * hidden];
                workspace.stateOut().get(0, full);
                float[] fullTags = tags ? scores(workspace, rows * time) : new float[0];
                opened.run(workspace, rows, time, false, tags);
                float[] pruned = new float[full.length];
                workspace.stateOut().get(0, pruned);
                float[] prunedTags = tags ? scores(workspace, rows * time) : new float[0];
                float[] stateOnly = pruned;
                if (tags) {
                    opened.run(workspace, rows, time, false, false);
                    stateOnly = new float[full.length];
                    workspace.stateOut().get(0, stateOnly);
                }
                if (!Arrays.equals(full, pruned) || !Arrays.equals(full, stateOnly)
                        || !sameScores(fullTags, prunedTags, rows, time, time - 1)) {
                    LOG.warn("Model {}: the graph pruned for encoding disagrees with the full graph; encoding runs "
                            + "the full graph", model);
                    opened.dropStateGraph();
                }
            }
        }
    }

    private static float[] scores(Workspace workspace, int tokens) {
        float[] out = new float[tokens * workspace.tagClasses()];
        workspace.tags().get(0, out);
        return out;
    }

    /** Positions after a row's length are meaningless (training's rule): only the first row is compared whole. */
    private static boolean sameScores(float[] a, float[] b, int rows, int time, int secondLength) {
        if (a.length == 0) {
            return true;
        }
        int classes = a.length / (rows * time);
        return Arrays.equals(a, 0, time * classes, b, 0, time * classes)
                && Arrays.equals(a, time * classes, (time + secondLength) * classes, b, time * classes,
                (time + secondLength) * classes);
    }
}
