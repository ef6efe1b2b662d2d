package io.wmstream.model.bundle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a manifest must agree with besides the files' checksums: its graph declaration with its dimensions and the
 * runtime's inputs and outputs, the ONNX file's opset, the decoding token ids, and the tagger with its output.
 */
final class ManifestChecks {
    private static final String MANIFEST = ModelBundle.MANIFEST;

    private ManifestChecks() {
    }

    static void checkGraphDeclaration(String source, BundleManifest manifest) {
        BundleManifest.Graph graph = manifest.graph();
        BundleManifest.Dimensions d = manifest.dimensions();
        List<String> inputNames = graph.inputs().stream().map(BundleManifest.TensorSpec::name).toList();
        if (!inputNames.equals(ModelBundle.INPUTS)) {
            throw new InvalidBundleException(source, MANIFEST + " declares graph inputs " + inputNames
                    + "; the runtime feeds exactly " + ModelBundle.INPUTS);
        }
        List<String> outputNames = graph.outputs().stream().map(BundleManifest.TensorSpec::name).toList();
        if (!outputNames.containsAll(ModelBundle.OUTPUTS)) {
            throw new InvalidBundleException(source, MANIFEST + " declares graph outputs " + outputNames
                    + "; the runtime needs " + ModelBundle.OUTPUTS);
        }
        Map<String, BundleManifest.TensorSpec> byName = tensorsByName(graph);
        expectTensor(source, byName.get("tokens"), "int64", List.of("batch", "time"));
        expectTensor(source, byName.get("lengths"), "int64", List.of("batch"));
        expectTensor(source, byName.get("state"), "float32", List.of((long) d.layers(), "batch", (long) d.hidden()));
        expectTensor(source, byName.get("logits"), "float32", List.of("batch", (long) d.vocab()));
        expectTensor(source, byName.get("state_out"), "float32",
                List.of((long) d.layers(), "batch", (long) d.hidden()));
    }

    /** The tagger's output is a declared graph output of shape [batch, time, classes]. */
    static void checkTagger(String source, BundleManifest manifest) {
        BundleManifest.Tagger tagger = manifest.tagger().orElse(null);
        if (tagger == null) {
            return;
        }
        Map<String, BundleManifest.TensorSpec> byName = tensorsByName(manifest.graph());
        BundleManifest.TensorSpec output = byName.get(tagger.output());
        if (output == null || ModelBundle.INPUTS.contains(tagger.output())
                || ModelBundle.OUTPUTS.contains(tagger.output())) {
            throw new InvalidBundleException(source, MANIFEST + " tagger.output '" + tagger.output() + "' is not "
                    + "an extra output of graph.outputs " + manifest.graph().outputs().stream()
                    .map(BundleManifest.TensorSpec::name).toList());
        }
        List<Object> shape = output.shape();
        if (shape.size() == 3 && shape.get(2) instanceof Long classes && classes != tagger.classes().size()) {
            throw new InvalidBundleException(source, MANIFEST + " tagger.classes lists " + tagger.classes().size()
                    + " classes but graph output '" + output.name() + "' has " + classes + " in its last dimension "
                    + shape);
        }
        expectTensor(source, output, "float32", List.of("batch", "time", (long) tagger.classes().size()));
    }

    /**
     * The state heads' outputs are declared graph outputs of shapes [batch, time, K + 1] and [batch, 2K + R], and
     * every slot's type is one of the tagger's classes.
     */
    static void checkStateHeads(String source, BundleManifest manifest) {
        BundleManifest.StateHeads heads = manifest.state().orElse(null);
        if (heads == null) {
            return;
        }
        List<String> classes = manifest.tagger().map(BundleManifest.Tagger::classes).orElse(List.of());
        for (String slot : heads.slots()) {
            String type = BundleManifest.StateHeads.typeOf(slot);
            if (type.equals(BundleManifest.Tagger.NONE) || !classes.contains(type)) {
                throw new InvalidBundleException(source, MANIFEST + " state slot '" + slot + "' has type '" + type
                        + "', which is not a tagger class " + classes);
            }
        }
        for (String type : heads.requestTypes()) {
            if (type.equals(BundleManifest.Tagger.NONE) || !classes.contains(type)) {
                throw new InvalidBundleException(source, MANIFEST + " state request type '" + type
                        + "' is not a tagger class " + classes);
            }
        }
        Map<String, BundleManifest.TensorSpec> byName = tensorsByName(manifest.graph());
        for (String output : List.of(heads.slotsOutput(), heads.updatesOutput())) {
            boolean taken = ModelBundle.INPUTS.contains(output) || ModelBundle.OUTPUTS.contains(output)
                    || output.equals(manifest.tagger().orElseThrow().output());
            if (!byName.containsKey(output) || taken) {
                throw new InvalidBundleException(source, MANIFEST + " state output '" + output + "' is not an extra "
                        + "output of graph.outputs " + byName.keySet());
            }
        }
        expectTensor(source, byName.get(heads.slotsOutput()), "float32",
                List.of("batch", "time", (long) heads.slotScores()));
        expectTensor(source, byName.get(heads.updatesOutput()), "float32",
                List.of("batch", (long) heads.updateScores()));
    }

    /** Symbolic dimensions must be symbolic (any name); fixed ones must equal the manifest's dimensions. */
    private static void expectTensor(String source, BundleManifest.TensorSpec tensor, String dtype,
            List<Object> shape) {
        if (!tensor.dtype().equals(dtype)) {
            throw new InvalidBundleException(source, MANIFEST + " declares '" + tensor.name() + "' as "
                    + tensor.dtype() + "; expected " + dtype);
        }
        boolean same = tensor.shape().size() == shape.size();
        for (int i = 0; same && i < shape.size(); i++) {
            Object want = shape.get(i);
            Object have = tensor.shape().get(i);
            same = want instanceof String ? have instanceof String : want.equals(have);
        }
        if (!same) {
            throw new InvalidBundleException(source, MANIFEST + " declares '" + tensor.name() + "' with shape "
                    + tensor.shape() + " but its dimensions imply " + shape);
        }
    }

    private static Map<String, BundleManifest.TensorSpec> tensorsByName(BundleManifest.Graph graph) {
        Map<String, BundleManifest.TensorSpec> byName = new LinkedHashMap<>();
        graph.inputs().forEach(t -> byName.put(t.name(), t));
        graph.outputs().forEach(t -> byName.put(t.name(), t));
        return byName;
    }

    static void checkOpset(String source, BundleManifest manifest, byte[] model) {
        String file = manifest.graph().file();
        OnnxModelHeader header;
        try {
            header = OnnxModelHeader.parse(model);
        } catch (IllegalArgumentException e) {
            throw new InvalidBundleException(source, file + " is not a readable ONNX model (" + e.getMessage() + ")",
                    e);
        }
        if (header.onnxOpset() != manifest.graph().opset()) {
            throw new InvalidBundleException(source, file + " imports ONNX opset " + header.onnxOpset() + " but "
                    + MANIFEST + " says " + manifest.graph().opset());
        }
    }

    static void checkDecoding(String source, BundleManifest manifest) {
        int vocab = manifest.dimensions().vocab();
        BundleManifest.Decoding decoding = manifest.decoding();
        List<Integer> ids = new ArrayList<>(decoding.suppressTokens());
        ids.add(decoding.startToken());
        ids.add(decoding.stopToken());
        for (int id : ids) {
            if (id < 0 || id >= vocab) {
                throw new InvalidBundleException(source, MANIFEST + " decoding names token id " + id
                        + ", outside the vocabulary [0, " + vocab + ")");
            }
        }
        if (decoding.suppressTokens().contains(decoding.stopToken())) {
            throw new InvalidBundleException(source, MANIFEST + " decoding suppresses its own stop token "
                    + decoding.stopToken());
        }
    }
}
