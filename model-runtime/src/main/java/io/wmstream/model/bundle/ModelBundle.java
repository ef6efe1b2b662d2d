package io.wmstream.model.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wmstream.model.ModelInfo;
import io.wmstream.model.tokenizer.TokenizerSpec;
import io.wmstream.model.tokenizer.WordTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A model bundle read into memory and checked against its manifest: every listed file's size and sha256, the
 * ONNX opset, the graph's declared inputs and outputs against the dimensions, and the tokenizer file against the
 * manifest's tokenizer spec. The graph's actual signature is checked again when a session is opened on it.
 * Anything that differs is refused with an {@link InvalidBundleException} that names it.
 */
public final class ModelBundle {
    /** Where the default bundle lives on the classpath. */
    public static final String DEFAULT_RESOURCE_DIR = "/models/wm-gru-dialogue/";
    /** The manifest's file name. */
    public static final String MANIFEST = "manifest.json";

    /** Input names, in order, that the runtime feeds. */
    public static final List<String> INPUTS = List.of("tokens", "lengths", "state");
    /** Output names the runtime reads; more are allowed when the manifest names them. */
    public static final List<String> OUTPUTS = List.of("logits", "state_out");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final BundleManifest manifest;
    private final Map<String, byte[]> files;
    private final TokenizerSpec tokenizerSpec;
    private final WordTokenizer tokenizer;

    private ModelBundle(String source, BundleManifest manifest, Map<String, byte[]> files,
            TokenizerSpec tokenizerSpec) {
        this.source = source;
        this.manifest = manifest;
        this.files = files;
        this.tokenizerSpec = tokenizerSpec;
        this.tokenizer = new WordTokenizer(tokenizerSpec);
    }

    /** Loads and checks the bundle in {@code directory}. */
    public static ModelBundle load(Path directory) {
        Objects.requireNonNull(directory, "directory");
        Path dir = directory.toAbsolutePath().normalize();
        String source = dir.toString();
        if (!Files.isDirectory(dir)) {
            throw new InvalidBundleException(source, "not a directory");
        }
        return load(source, name -> {
            Path file = dir.resolve(name).normalize();
            if (!file.startsWith(dir)) {
                throw new InvalidBundleException(source, "file name '" + name + "' points outside the bundle");
            }
            try {
                return Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                return null;
            } catch (IOException e) {
                throw new InvalidBundleException(source, "cannot read " + name + ": " + e.getMessage(), e);
            }
        });
    }

    /** Loads and checks the default bundle shipped on the classpath. */
    public static ModelBundle loadDefault() {
        String source = "classpath:" + DEFAULT_RESOURCE_DIR;
        return load(source, name -> {
            try (InputStream in = ModelBundle.class.getResourceAsStream(DEFAULT_RESOURCE_DIR + name)) {
                return in == null ? null : in.readAllBytes();
            } catch (IOException e) {
                throw new InvalidBundleException(source, "cannot read " + name + ": " + e.getMessage(), e);
            }
        });
    }

    /** The bundle {@code wm.model.dir} selects: the default one when the setting is null or blank. */
    public static ModelBundle fromSetting(String modelDir) {
        return modelDir == null || modelDir.isBlank() ? loadDefault() : load(Path.of(modelDir.trim()));
    }

    /** Where it was read from. */
    public String source() {
        return source;
    }

    public BundleManifest manifest() {
        return manifest;
    }

    /** Name, version and dimensions. */
    public ModelInfo info() {
        BundleManifest.Dimensions d = manifest.dimensions();
        return new ModelInfo(manifest.name(), manifest.version(), d.layers(), d.hidden(), d.vocab());
    }

    public TokenizerSpec tokenizerSpec() {
        return tokenizerSpec;
    }

    /** The bundle's tokenizer (immutable, shared). */
    public WordTokenizer tokenizer() {
        return tokenizer;
    }

    /** The ONNX step graph's bytes (a copy). */
    public byte[] modelBytes() {
        return file(manifest.graph().file());
    }

    /** The bytes of a file listed in the manifest (a copy), e.g. {@code golden.json}. */
    public byte[] file(String name) {
        byte[] content = files.get(name);
        if (content == null) {
            throw new IllegalArgumentException("File '" + name + "' is not listed in " + MANIFEST + " of " + source
                    + "; listed: " + files.keySet());
        }
        return content.clone();
    }

    /** Reads a file by name, null when it does not exist. */
    @FunctionalInterface
    private interface FileSource {
        byte[] read(String name);
    }

    private static ModelBundle load(String source, FileSource fileSource) {
        byte[] manifestBytes = fileSource.read(MANIFEST);
        if (manifestBytes == null) {
            throw new InvalidBundleException(source, MANIFEST + " is missing");
        }
        BundleManifest manifest = parseManifest(source, manifestBytes);
        Map<String, byte[]> contents = new TreeMap<>();
        for (Map.Entry<String, BundleManifest.FileEntry> entry : new TreeMap<>(manifest.files()).entrySet()) {
            String name = entry.getKey();
            byte[] content = fileSource.read(name);
            if (content == null) {
                throw new InvalidBundleException(source, "file '" + name + "' listed in " + MANIFEST + " is missing");
            }
            checkFile(source, name, content, entry.getValue());
            contents.put(name, content);
        }
        for (String role : List.of(manifest.graph().file(), manifest.tokenizer().file(), manifest.goldenFile())) {
            if (!contents.containsKey(role)) {
                throw new InvalidBundleException(source, MANIFEST + " names '" + role + "' but lists no sha256 for it "
                        + "under 'files'");
            }
        }
        checkGraphDeclaration(source, manifest);
        checkOpset(source, manifest, contents.get(manifest.graph().file()));
        TokenizerSpec tokenizerSpec = parseTokenizer(source, manifest, contents.get(manifest.tokenizer().file()));
        checkDecoding(source, manifest);
        try {
            return new ModelBundle(source, manifest, Map.copyOf(contents), tokenizerSpec);
        } catch (IllegalArgumentException e) {
            throw new InvalidBundleException(source, manifest.tokenizer().file() + ": " + e.getMessage(), e);
        }
    }

    private static void checkFile(String source, String name, byte[] content, BundleManifest.FileEntry expected) {
        if (expected.bytes() >= 0 && content.length != expected.bytes()) {
            throw new InvalidBundleException(source, name + " has " + content.length + " bytes but " + MANIFEST
                    + " says " + expected.bytes());
        }
        String actual = sha256(content);
        if (!actual.equalsIgnoreCase(expected.sha256())) {
            throw new InvalidBundleException(source, name + " has sha256 " + actual + " but " + MANIFEST + " says "
                    + expected.sha256());
        }
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    private static void checkGraphDeclaration(String source, BundleManifest manifest) {
        BundleManifest.Graph graph = manifest.graph();
        BundleManifest.Dimensions d = manifest.dimensions();
        List<String> inputNames = graph.inputs().stream().map(BundleManifest.TensorSpec::name).toList();
        if (!inputNames.equals(INPUTS)) {
            throw new InvalidBundleException(source, MANIFEST + " declares graph inputs " + inputNames
                    + "; the runtime feeds exactly " + INPUTS);
        }
        List<String> outputNames = graph.outputs().stream().map(BundleManifest.TensorSpec::name).toList();
        if (!outputNames.containsAll(OUTPUTS)) {
            throw new InvalidBundleException(source, MANIFEST + " declares graph outputs " + outputNames
                    + "; the runtime needs " + OUTPUTS);
        }
        Map<String, BundleManifest.TensorSpec> byName = new LinkedHashMap<>();
        graph.inputs().forEach(t -> byName.put(t.name(), t));
        graph.outputs().forEach(t -> byName.put(t.name(), t));
        expectTensor(source, byName.get("tokens"), "int64", List.of("batch", "time"));
        expectTensor(source, byName.get("lengths"), "int64", List.of("batch"));
        expectTensor(source, byName.get("state"), "float32", List.of((long) d.layers(), "batch", (long) d.hidden()));
        expectTensor(source, byName.get("logits"), "float32", List.of("batch", (long) d.vocab()));
        expectTensor(source, byName.get("state_out"), "float32",
                List.of((long) d.layers(), "batch", (long) d.hidden()));
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

    private static void checkOpset(String source, BundleManifest manifest, byte[] model) {
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

    private static void checkDecoding(String source, BundleManifest manifest) {
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

    private static TokenizerSpec parseTokenizer(String source, BundleManifest manifest, byte[] content) {
        String file = manifest.tokenizer().file();
        JsonNode root = readJson(source, file, content);
        Fields f = new Fields(source, file, root);
        BundleManifest.TokenizerRef ref = manifest.tokenizer();
        String spec = f.text("spec");
        if (!spec.equals(ref.spec())) {
            throw new InvalidBundleException(source, file + " is spec '" + spec + "' but " + MANIFEST + " says '"
                    + ref.spec() + "'");
        }
        if (!WordTokenizer.SPEC_NAMES.contains(spec)) {
            throw new InvalidBundleException(source, "tokenizer spec '" + spec + "' is not supported; this runtime "
                    + "implements " + WordTokenizer.SPEC_NAMES);
        }
        List<String> vocabulary = new ArrayList<>();
        for (JsonNode token : f.array("vocabulary")) {
            vocabulary.add(token.asText());
        }
        int vocab = manifest.dimensions().vocab();
        if (vocabulary.size() != vocab || ref.vocabSize() != vocab || f.integer("vocabSize") != vocab) {
            throw new InvalidBundleException(source, "vocabulary sizes disagree: " + file + " lists "
                    + vocabulary.size() + " tokens and says vocabSize " + f.integer("vocabSize") + ", " + MANIFEST
                    + " says tokenizer.vocabSize " + ref.vocabSize() + " and dimensions.vocab " + vocab);
        }
        Map<String, Integer> special = new LinkedHashMap<>();
        for (String kind : List.of("pad", "unk", "eou")) {
            int id = f.integer("specialTokens." + kind + ".id");
            String token = f.text("specialTokens." + kind + ".token");
            Integer declared = ref.specialTokens().get(kind);
            if (declared == null || declared != id) {
                throw new InvalidBundleException(source, file + " gives special token '" + kind + "' id " + id
                        + " but " + MANIFEST + " says " + declared);
            }
            checkVocabularyEntry(source, file, vocabulary, id, token);
            special.put(kind, id);
        }
        Map<String, Integer> roles = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> role : f.object("roleTokens").properties()) {
            Fields rf = new Fields(source, file, role.getValue());
            int id = rf.integer("id");
            checkVocabularyEntry(source, file, vocabulary, id, rf.text("token"));
            roles.put(role.getKey(), id);
        }
        if (!roles.equals(ref.roleTokens())) {
            throw new InvalidBundleException(source, file + " has role tokens " + roles + " but " + MANIFEST
                    + " says " + ref.roleTokens());
        }
        Map<String, String> aliases = f.stringMap("speakerAliases");
        if (!aliases.equals(ref.speakerAliases())) {
            throw new InvalidBundleException(source, file + " has speaker aliases " + aliases + " but " + MANIFEST
                    + " says " + ref.speakerAliases());
        }
        String defaultRole = f.text("defaultRole");
        if (!defaultRole.equals(ref.defaultRole())) {
            throw new InvalidBundleException(source, file + " has default role '" + defaultRole + "' but "
                    + MANIFEST + " says '" + ref.defaultRole() + "'");
        }
        List<String> noSpaceBefore = f.stringList("detokenize.noSpaceBefore");
        List<String> noSpaceAfter = f.stringList("detokenize.noSpaceAfter");
        String unkText = f.text("detokenize.unkText");
        return new TokenizerSpec(spec, vocabulary, special.get("pad"), special.get("unk"), special.get("eou"), roles,
                aliases, defaultRole, noSpaceBefore, noSpaceAfter, unkText);
    }

    private static void checkVocabularyEntry(String source, String file, List<String> vocabulary, int id,
            String token) {
        if (id < 0 || id >= vocabulary.size() || !vocabulary.get(id).equals(token)) {
            throw new InvalidBundleException(source, file + " says '" + token + "' has id " + id
                    + " but the vocabulary has " + (id >= 0 && id < vocabulary.size()
                    ? "'" + vocabulary.get(id) + "'" : "no such id"));
        }
    }

    private static BundleManifest parseManifest(String source, byte[] content) {
        JsonNode root = readJson(source, MANIFEST, content);
        Fields f = new Fields(source, MANIFEST, root);
        int format = f.integer("formatVersion");
        if (format != BundleManifest.FORMAT_VERSION) {
            throw new InvalidBundleException(source, MANIFEST + " formatVersion " + format
                    + " is not supported (this runtime reads " + BundleManifest.FORMAT_VERSION + ")");
        }
        BundleManifest.Dimensions dims = new BundleManifest.Dimensions(f.positive("dimensions.vocab"),
                f.positive("dimensions.embedding"), f.positive("dimensions.hidden"), f.positive("dimensions.layers"));
        BundleManifest.Graph graph = new BundleManifest.Graph(f.text("graph.file"), f.positive("graph.opset"),
                tensors(f, "graph.inputs"), tensors(f, "graph.outputs"));
        Map<String, Integer> special = new LinkedHashMap<>();
        f.object("tokenizer.specialTokens").properties()
                .forEach(e -> special.put(e.getKey(), new Fields(source, MANIFEST, e.getValue()).self()));
        Map<String, Integer> roles = new LinkedHashMap<>();
        f.object("tokenizer.roleTokens").properties()
                .forEach(e -> roles.put(e.getKey(), new Fields(source, MANIFEST, e.getValue()).self()));
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
            Fields ef = new Fields(source, MANIFEST + " files." + entry.getKey(), entry.getValue());
            JsonNode bytes = entry.getValue().get("bytes");
            files.put(entry.getKey(), new BundleManifest.FileEntry(ef.text("sha256"),
                    bytes == null ? -1 : bytes.asLong()));
        }
        return new BundleManifest(format, f.text("name"), f.text("version"), dims, graph, tokenizer, decoding,
                f.text("golden.file"), files);
    }

    private static List<BundleManifest.TensorSpec> tensors(Fields f, String path) {
        List<BundleManifest.TensorSpec> out = new ArrayList<>();
        int i = 0;
        for (JsonNode node : f.array(path)) {
            Fields tf = f.at(path + "[" + i++ + "]", node);
            List<Object> shape = new ArrayList<>();
            for (JsonNode dim : tf.array("shape")) {
                shape.add(dim.isIntegralNumber() ? (Object) dim.asLong() : dim.asText());
            }
            out.add(new BundleManifest.TensorSpec(tf.text("name"), tf.text("dtype"), shape));
        }
        return out;
    }

    private static JsonNode readJson(String source, String file, byte[] content) {
        try {
            JsonNode root = JSON.readTree(content);
            if (root == null || !root.isObject()) {
                throw new InvalidBundleException(source, file + " is not a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new InvalidBundleException(source, file + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidBundleException(source, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Typed access to required JSON fields by dotted path, refusing the bundle with the path when one is off. */
    private record Fields(String source, String file, JsonNode root) {
        Fields at(String path, JsonNode node) {
            return new Fields(source, file + " " + path, node);
        }

        JsonNode node(String path) {
            JsonNode node = root;
            for (String part : path.split("\\.")) {
                node = node == null ? null : node.get(part);
            }
            if (node == null || node.isNull()) {
                throw new InvalidBundleException(source, file + " lacks '" + path + "'");
            }
            return node;
        }

        String text(String path) {
            JsonNode node = node(path);
            if (!node.isTextual()) {
                throw new InvalidBundleException(source, file + " '" + path + "' must be a string, got " + node);
            }
            return node.asText();
        }

        int integer(String path) {
            JsonNode node = node(path);
            if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                throw new InvalidBundleException(source, file + " '" + path + "' must be an integer, got " + node);
            }
            return node.asInt();
        }

        int self() {
            if (!root.isIntegralNumber() || !root.canConvertToInt()) {
                throw new InvalidBundleException(source, file + " expected an integer, got " + root);
            }
            return root.asInt();
        }

        int positive(String path) {
            int value = integer(path);
            if (value <= 0) {
                throw new InvalidBundleException(source, file + " '" + path + "' must be positive, got " + value);
            }
            return value;
        }

        JsonNode array(String path) {
            JsonNode node = node(path);
            if (!node.isArray()) {
                throw new InvalidBundleException(source, file + " '" + path + "' must be an array");
            }
            return node;
        }

        JsonNode object(String path) {
            JsonNode node = node(path);
            if (!node.isObject()) {
                throw new InvalidBundleException(source, file + " '" + path + "' must be an object");
            }
            return node;
        }

        List<String> stringList(String path) {
            List<String> out = new ArrayList<>();
            for (JsonNode item : array(path)) {
                out.add(item.asText());
            }
            return out;
        }

        Map<String, String> stringMap(String path) {
            Map<String, String> out = new LinkedHashMap<>();
            object(path).properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
            return out;
        }
    }
}
