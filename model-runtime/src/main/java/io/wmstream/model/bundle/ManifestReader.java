package io.wmstream.model.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads {@code manifest.json} of format 1, 2 or 3 into a {@link BundleManifest}, refusing what it cannot read. */
final class ManifestReader {
    private ManifestReader() {
    }

    static BundleManifest read(String source, byte[] content) {
        JsonFields f = JsonFields.read(source, ModelBundle.MANIFEST, content);
        int format = f.integer("formatVersion");
        if (!BundleManifest.FORMAT_VERSIONS.contains(format)) {
            throw new InvalidBundleException(source, ModelBundle.MANIFEST + " formatVersion " + format
                    + " is not supported (this runtime reads " + BundleManifest.FORMAT_VERSIONS + ")");
        }
        BundleManifest.Dimensions dims = new BundleManifest.Dimensions(f.positive("dimensions.vocab"),
                f.positive("dimensions.embedding"), f.positive("dimensions.hidden"), f.positive("dimensions.layers"));
        BundleManifest.Graph graph = new BundleManifest.Graph(f.text("graph.file"), f.positive("graph.opset"),
                tensors(f, "graph.inputs"), tensors(f, "graph.outputs"));
        Map<String, Integer> special = new LinkedHashMap<>();
        f.object("tokenizer.specialTokens").properties()
                .forEach(e -> special.put(e.getKey(), f.at("tokenizer.specialTokens", e.getValue()).self()));
        Map<String, Integer> roles = new LinkedHashMap<>();
        f.object("tokenizer.roleTokens").properties()
                .forEach(e -> roles.put(e.getKey(), f.at("tokenizer.roleTokens", e.getValue()).self()));
        BundleManifest.TokenizerRef tokenizer = new BundleManifest.TokenizerRef(f.text("tokenizer.file"),
                f.text("tokenizer.spec"), f.positive("tokenizer.vocabSize"), special, roles,
                f.stringMap("tokenizer.speakerAliases"), f.text("tokenizer.defaultRole"));
        List<Integer> suppress = new ArrayList<>();
        for (JsonNode id : f.array("decoding.suppressTokens")) {
            suppress.add(id.asInt());
        }
        BundleManifest.Decoding decoding = new BundleManifest.Decoding(f.text("decoding.strategy"),
                f.positive("decoding.maxTokens"), f.integer("decoding.startToken"), f.integer("decoding.stopToken"),
                suppress);
        Map<String, BundleManifest.FileEntry> files = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : f.object("files").properties()) {
            JsonFields ef = f.at("files." + entry.getKey(), entry.getValue());
            JsonNode bytes = entry.getValue().get("bytes");
            files.put(entry.getKey(), new BundleManifest.FileEntry(ef.text("sha256"),
                    bytes == null ? -1 : bytes.asLong()));
        }
        return new BundleManifest(format, f.text("name"), f.text("version"), dims, graph, tokenizer, decoding,
                f.text("golden.file"), files, tagger(f, format), state(f, format));
    }

    /** The tagger section: format 2 only, and optional there (a bundle without a tagger still loads). */
    private static Optional<BundleManifest.Tagger> tagger(JsonFields f, int format) {
        if (!f.has("tagger")) {
            return Optional.empty();
        }
        if (format < BundleManifest.TAGGER_FORMAT_VERSION) {
            throw new InvalidBundleException(f.source(), ModelBundle.MANIFEST + " has a 'tagger' section, which "
                    + "needs formatVersion " + BundleManifest.TAGGER_FORMAT_VERSION + "; it says " + format);
        }
        f.object("tagger");
        List<String> classes = f.stringList("tagger.classes");
        if (classes.size() < 2 || !classes.get(0).equals(BundleManifest.Tagger.NONE)) {
            throw new InvalidBundleException(f.source(), ModelBundle.MANIFEST + " tagger.classes must start with '"
                    + BundleManifest.Tagger.NONE + "' followed by at least one fact type; got " + classes);
        }
        if (new HashSet<>(classes).size() != classes.size()) {
            throw new InvalidBundleException(f.source(), ModelBundle.MANIFEST + " tagger.classes lists a class "
                    + "twice: " + classes);
        }
        int lookahead = f.integer("tagger.lookahead");
        if (lookahead < 0) {
            throw new InvalidBundleException(f.source(), ModelBundle.MANIFEST + " tagger.lookahead must not be "
                    + "negative, got " + lookahead);
        }
        String rule = f.has("tagger.rule") ? f.text("tagger.rule") : "";
        return Optional.of(new BundleManifest.Tagger(f.text("tagger.output"), classes, lookahead, rule));
    }

    /** The dialogue-state section: format 3 only, and optional there. */
    private static Optional<BundleManifest.StateHeads> state(JsonFields f, int format) {
        if (!f.has("state")) {
            return Optional.empty();
        }
        if (format < BundleManifest.STATE_FORMAT_VERSION) {
            throw new InvalidBundleException(f.source(), ModelBundle.MANIFEST + " has a 'state' section, which "
                    + "needs formatVersion " + BundleManifest.STATE_FORMAT_VERSION + "; it says " + format);
        }
        if (!f.has("tagger")) {
            throw new InvalidBundleException(f.source(), ModelBundle.MANIFEST + " has a 'state' section but no "
                    + "tagger: the state heads read the tagger's values");
        }
        f.object("state");
        List<String> slots = f.stringList("state.slots");
        if (slots.isEmpty() || new HashSet<>(slots).size() != slots.size()) {
            throw new InvalidBundleException(f.source(), ModelBundle.MANIFEST + " state.slots must list distinct "
                    + "slots; got " + slots);
        }
        for (String slot : slots) {
            if (!slot.matches("[a-z0-9_]+\\.[a-z0-9_]+(\\.[a-z0-9_]+)?")) {
                throw new InvalidBundleException(f.source(), ModelBundle.MANIFEST + " state slot '" + slot
                        + "' is not domain.type or domain.type.role");
            }
        }
        List<String> requests = f.stringList("state.requestTypes");
        String rule = f.has("state.rule") ? f.text("state.rule") : "";
        return Optional.of(new BundleManifest.StateHeads(f.text("state.slotsOutput"), f.text("state.updatesOutput"),
                slots, requests, rule));
    }

    private static List<BundleManifest.TensorSpec> tensors(JsonFields f, String path) {
        List<BundleManifest.TensorSpec> out = new ArrayList<>();
        int i = 0;
        for (JsonNode node : f.array(path)) {
            JsonFields tf = f.at(path + "[" + i++ + "]", node);
            List<Object> shape = new ArrayList<>();
            for (JsonNode dim : tf.array("shape")) {
                shape.add(dim.isIntegralNumber() ? (Object) dim.asLong() : dim.asText());
            }
            out.add(new BundleManifest.TensorSpec(tf.text("name"), tf.text("dtype"), shape));
        }
        return out;
    }
}
