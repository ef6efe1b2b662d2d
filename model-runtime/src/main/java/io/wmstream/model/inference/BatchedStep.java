package io.wmstream.model.inference;

import java.nio.FloatBuffer;

/**
 * One step-graph call over some rows of a batch: their states gathered into the workspace's [L,B,H] input, the
 * call run, the new states scattered back. Shared by encoding and decoding, which differ in what they feed and read.
 */
final class BatchedStep {
    private final StepGraph graph;
    private final int layers;
    private final int hidden;

    BatchedStep(StepGraph graph) {
        this.graph = graph;
        this.layers = graph.layers();
        this.hidden = graph.hidden();
    }

    /**
     * One call over {@code active[0..count)}: their states in, the new states back into {@code states}, their
     * logits into the workspace when {@code withLogits} and the tagger's scores when {@code withTags}.
     */
    void run(Workspace workspace, float[][] states, int[] active, int count, int time, boolean withLogits,
            boolean withTags) {
        FloatBuffer in = workspace.state();
        for (int l = 0; l < layers; l++) {
            for (int b = 0; b < count; b++) {
                in.put((l * count + b) * hidden, states[active[b]], l * hidden, hidden);
            }
        }
        graph.run(workspace, count, time, withLogits, withTags);
        FloatBuffer out = workspace.stateOut();
        for (int l = 0; l < layers; l++) {
            for (int b = 0; b < count; b++) {
                out.get((l * count + b) * hidden, states[active[b]], l * hidden, hidden);
            }
        }
    }
}
