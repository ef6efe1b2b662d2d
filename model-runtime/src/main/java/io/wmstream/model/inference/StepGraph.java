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
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The ONNX step graph in a session: checked against the manifest when opened, then run on a {@link Workspace}'s
 * buffers. Thread-safe (ONNX Runtime sessions are).
 */
final class StepGraph implements AutoCloseable {
    private final OrtSession session;
    private final OrtSession.SessionOptions options;
    private final int layers;
    private final int hidden;
    private final int vocabulary;

    StepGraph(OrtSession session, OrtSession.SessionOptions options, int layers, int hidden, int vocabulary) {
        this.session = session;
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
     * logits and states into its output buffers.
     */
    void run(Workspace workspace, int rows, int time) {
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
            try (OrtSession.Result ignored = session.run(tensors.inputs(), Set.of(), tensors.outputs())) {
                // The outputs were written into the workspace's pinned buffers.
                assert ignored != null;
            }
        } catch (OrtException e) {
            throw new ModelFailureException("ONNX Runtime failed on a batch of " + rows + " x " + time + " tokens: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new ModelFailureException("Closing the ONNX Runtime session failed", e);
        } finally {
            options.close();
        }
    }
}
