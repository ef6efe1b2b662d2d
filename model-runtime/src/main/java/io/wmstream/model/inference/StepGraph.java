package io.wmstream.model.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.wmstream.model.ModelFailureException;
import io.wmstream.model.bundle.BundleManifest;
import io.wmstream.model.bundle.InvalidBundleException;
import io.wmstream.model.bundle.ModelBundle;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The ONNX step graph in a session: checked against the manifest when opened, then run on a {@link Workspace}'s
 * buffers. ONNX Runtime runs every node of a graph whatever outputs a call asks for, so calls run, where there is
 * one, a session of the graph pruned to what they read ({@link io.wmstream.model.bundle.OnnxGraphPruner}):
 * encoding to {@code state_out} (and the tagger's output when it tags), decoding of a tagged graph to the logits
 * and the state, without the tagger. Thread-safe (ONNX Runtime sessions are).
 */
final class StepGraph implements AutoCloseable {
    private final OrtSession session;
    /** The graph without its logits (nor tags); null when it could not be pruned or disagreed with the full one. */
    private volatile OrtSession stateSession;
    /** The graph pruned to state and tags; null without a tagger, or as {@link #stateSession}. */
    private volatile OrtSession tagSession;
    /** The graph pruned to logits and state (no tagger); null without a tagger or when it could not be pruned. */
    private volatile OrtSession decodeSession;
    private final OrtSession.SessionOptions options;
    private final int layers;
    private final int hidden;
    private final int vocabulary;

    /** A graph with its pruned copies, any of which may be null. */
    StepGraph(OrtSession session, OrtSession stateSession, OrtSession tagSession, OrtSession decodeSession,
            OrtSession.SessionOptions options, int layers, int hidden, int vocabulary) {
        this.session = session;
        this.stateSession = stateSession;
        this.tagSession = tagSession;
        this.decodeSession = decodeSession;
        this.options = options;
        this.layers = layers;
        this.hidden = hidden;
        this.vocabulary = vocabulary;
    }

    /** Refuses the bundle when the graph in the session is not the one its manifest describes. */
    static void checkSignature(OrtSession session, ModelBundle bundle) throws OrtException {
        BundleManifest manifest = bundle.manifest();
        String file = manifest.graph().file();
        BundleManifest.Dimensions d = manifest.dimensions();
        Map<String, NodeInfo> inputs = session.getInputInfo();
        if (!inputs.keySet().equals(Set.copyOf(ModelBundle.INPUTS))) {
            throw new InvalidBundleException(bundle.source(), file + " has inputs " + inputs.keySet()
                    + " but the manifest and the runtime expect " + ModelBundle.INPUTS);
        }
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        Set<String> declared = manifest.graph().outputs().stream().map(BundleManifest.TensorSpec::name)
                .collect(Collectors.toSet());
        if (!outputs.keySet().containsAll(ModelBundle.OUTPUTS) || !declared.containsAll(outputs.keySet())) {
            throw new InvalidBundleException(bundle.source(), file + " has outputs " + outputs.keySet()
                    + " but the manifest declares " + declared + " and the runtime needs " + ModelBundle.OUTPUTS);
        }
        expect(bundle, inputs.get("tokens"), OnnxJavaType.INT64, -1, -1);
        expect(bundle, inputs.get("lengths"), OnnxJavaType.INT64, -1);
        expect(bundle, inputs.get("state"), OnnxJavaType.FLOAT, d.layers(), -1, d.hidden());
        expect(bundle, outputs.get("logits"), OnnxJavaType.FLOAT, -1, d.vocab());
        expect(bundle, outputs.get("state_out"), OnnxJavaType.FLOAT, d.layers(), -1, d.hidden());
        Optional<BundleManifest.Tagger> tagger = bundle.tagger();
        if (tagger.isPresent()) {
            NodeInfo tags = outputs.get(tagger.get().output());
            if (tags == null) {
                throw new InvalidBundleException(bundle.source(), file + " has outputs " + outputs.keySet()
                        + " but the manifest's tagger reads '" + tagger.get().output() + "'");
            }
            expect(bundle, tags, OnnxJavaType.FLOAT, -1, -1, tagger.get().classes().size());
        }
        Optional<BundleManifest.StateHeads> heads = bundle.stateHeads();
        if (heads.isPresent()) {
            NodeInfo slots = outputs.get(heads.get().slotsOutput());
            NodeInfo updates = outputs.get(heads.get().updatesOutput());
            if (slots == null || updates == null) {
                throw new InvalidBundleException(bundle.source(), file + " has outputs " + outputs.keySet()
                        + " but the manifest's state heads read '" + heads.get().slotsOutput() + "' and '"
                        + heads.get().updatesOutput() + "'");
            }
            expect(bundle, slots, OnnxJavaType.FLOAT, -1, -1, heads.get().slotScores());
            expect(bundle, updates, OnnxJavaType.FLOAT, -1, heads.get().updateScores());
        }
    }

    /**
     * The outputs a tagging encoding call computes: the state, the tagger's output when there is a tagger, and the
     * state heads' outputs when there are state heads.
     */
    static Set<String> encodingOutputs(ModelBundle bundle) {
        if (bundle.tagger().isEmpty()) {
            return Set.of("state_out");
        }
        String tags = bundle.tagger().get().output();
        return bundle.stateHeads().map(h -> Set.of("state_out", tags, h.slotsOutput(), h.updatesOutput()))
                .orElse(Set.of("state_out", tags));
    }

    /** Refuses a pruned graph that does not take the step graph's inputs or give exactly {@code keep}. */
    static void checkPrunedSignature(OrtSession session, ModelBundle bundle, Set<String> keep) throws OrtException {
        BundleManifest.Dimensions d = bundle.manifest().dimensions();
        Map<String, NodeInfo> inputs = session.getInputInfo();
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        if (!inputs.keySet().equals(Set.copyOf(ModelBundle.INPUTS)) || !outputs.keySet().equals(keep)) {
            throw new InvalidBundleException(bundle.source(), "the graph pruned to " + keep + " has inputs "
                    + inputs.keySet() + " and outputs " + outputs.keySet() + "; expected " + ModelBundle.INPUTS);
        }
        expect(bundle, outputs.get("state_out"), OnnxJavaType.FLOAT, d.layers(), -1, d.hidden());
    }

    /** -1 in {@code shape} stands for a dynamic dimension (batch or time) and must be dynamic in the graph. */
    private static void expect(ModelBundle bundle, NodeInfo node, OnnxJavaType type, long... shape) {
        String file = bundle.manifest().graph().file();
        if (!(node.getInfo() instanceof TensorInfo info)) {
            throw new InvalidBundleException(bundle.source(), file + " '" + node.getName() + "' is not a tensor");
        }
        if (info.type != type) {
            throw new InvalidBundleException(bundle.source(), file + " '" + node.getName() + "' is " + info.type
                    + "; expected " + type);
        }
        long[] actual = info.getShape();
        if (!Arrays.equals(actual, shape)) {
            throw new InvalidBundleException(bundle.source(), file + " '" + node.getName() + "' has shape "
                    + describe(actual) + " but the manifest's dimensions imply " + describe(shape));
        }
    }

    private static String describe(long[] shape) {
        return Arrays.stream(shape).mapToObj(v -> v < 0 ? "dynamic" : Long.toString(v)).toList().toString();
    }

    /** Whether encoding runs a pruned graph: the state-only one, and the tagging one where there is a tagger. */
    boolean hasStateGraph() {
        return stateSession != null && (tagSession != null || decodeSession == null);
    }

    /**
     * Stops using the pruned encoding graphs; later encoding calls run the decoding graph (without tags) or the
     * full graph. For the warm-up (when a pruned graph disagrees) and tests: no call may be running.
     */
    void dropStateGraph() {
        OrtSession pruned = stateSession;
        OrtSession tagging = tagSession;
        stateSession = null;
        tagSession = null;
        if (pruned != null) {
            closeSession(pruned);
        }
        if (tagging != null) {
            closeSession(tagging);
        }
    }

    /** Whether decoding runs a graph without the tagger. */
    boolean hasDecodeGraph() {
        return decodeSession != null;
    }

    /**
     * Stops using the decoding graph without the tagger; later decoding calls run the full graph. For the warm-up
     * (when it disagrees with the full graph): no call may be running.
     */
    void dropDecodeGraph() {
        OrtSession pruned = decodeSession;
        decodeSession = null;
        if (pruned != null) {
            closeSession(pruned);
        }
    }

    int layers() {
        return layers;
    }

    int hidden() {
        return hidden;
    }

    int vocabulary() {
        return vocabulary;
    }

    /**
     * Runs the graph on the first {@code rows} x {@code time} tokens, lengths and states of the workspace, writing
     * states, logits when {@code withLogits} and the tagger's scores when {@code withTags} into its output buffers
     * (the buffers of outputs not asked for are left as they were).
     */
    void run(Workspace workspace, int rows, int time, boolean withLogits, boolean withTags) {
        LongBuffer lengths = workspace.lengths();
        for (int r = 0; r < rows; r++) {
            long length = lengths.get(r);
            if (length < 1 || length > time) {
                throw new ModelFailureException("Row " + r + " has length " + length + "; a call of time " + time
                        + " needs lengths in 1.." + time);
            }
        }
        try {
            Workspace.Tensors tensors = workspace.tensors(rows, time);
            OrtSession chosen = choose(withLogits, withTags);
            try (OrtSession.Result ignored = chosen.run(tensors.inputs(), Set.of(),
                    tensors.outputs(withLogits, withTags))) {
                // The outputs were written into the workspace's pinned buffers.
                assert ignored != null;
            }
        } catch (OrtException e) {
            throw new ModelFailureException("ONNX Runtime failed on a batch of " + rows + " x " + time + " tokens: "
                    + e.getMessage(), e);
        }
    }

    /** The smallest session that computes what the call reads. */
    private OrtSession choose(boolean withLogits, boolean withTags) {
        if (withTags) {
            OrtSession tagging = tagSession;
            return withLogits || tagging == null ? session : tagging;
        }
        OrtSession state = withLogits ? null : stateSession;
        if (state != null) {
            return state;
        }
        OrtSession decoding = decodeSession;
        return decoding != null ? decoding : session;
    }

    @Override
    public void close() {
        try {
            dropStateGraph();
            dropDecodeGraph();
            closeSession(session);
        } finally {
            options.close();
        }
    }

    private static void closeSession(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            throw new ModelFailureException("Closing the ONNX Runtime session failed", e);
        }
    }
}
