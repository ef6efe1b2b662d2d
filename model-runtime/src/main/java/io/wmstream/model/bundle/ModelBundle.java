package io.wmstream.model.bundle;

import io.wmstream.model.ModelInfo;
import io.wmstream.model.tokenizer.TokenizerSpec;
import io.wmstream.model.tokenizer.WordTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A model bundle (format 1, 2 or 3) read into memory and checked against its manifest: every listed file's size and
 * sha256 ({@link FileChecksums}), the ONNX opset, the graph's declared inputs and outputs against the dimensions and
 * the tagger ({@link ManifestChecks}), and the tokenizer file against the manifest's tokenizer spec
 * ({@link TokenizerFileReader}). The graph's actual signature is checked again when a session is opened on it.
 * Anything that differs is refused with an {@link InvalidBundleException} that names it.
 */
public final class ModelBundle {
    /** Where the default bundle lives on the classpath. */
    public static final String DEFAULT_RESOURCE_DIR = "/models/wm-gru-dialogue-3/";
    /** The manifest's file name. */
    public static final String MANIFEST = "manifest.json";

    /** Input names, in order, that the runtime feeds. */
    public static final List<String> INPUTS = List.of("tokens", "lengths", "state");
    /** Output names the runtime reads; more are allowed when the manifest names them. */
    public static final List<String> OUTPUTS = List.of("logits", "state_out");

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

    /** The fact tagger the graph carries, empty for bundles without one (all of format 1). */
    public Optional<BundleManifest.Tagger> tagger() {
        return manifest.tagger();
    }

    /** The dialogue-state heads the graph carries, empty for bundles without them (all of formats 1 and 2). */
    public Optional<BundleManifest.StateHeads> stateHeads() {
        return manifest.state();
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
        BundleManifest manifest = ManifestReader.read(source, manifestBytes);
        Map<String, byte[]> contents = new TreeMap<>();
        for (Map.Entry<String, BundleManifest.FileEntry> entry : new TreeMap<>(manifest.files()).entrySet()) {
            String name = entry.getKey();
            byte[] content = fileSource.read(name);
            if (content == null) {
                throw new InvalidBundleException(source, "file '" + name + "' listed in " + MANIFEST + " is missing");
            }
            FileChecksums.verify(source, name, content, entry.getValue());
            contents.put(name, content);
        }
        for (String role : List.of(manifest.graph().file(), manifest.tokenizer().file(), manifest.goldenFile())) {
            if (!contents.containsKey(role)) {
                throw new InvalidBundleException(source, MANIFEST + " names '" + role + "' but lists no sha256 for it "
                        + "under 'files'");
            }
        }
        ManifestChecks.checkGraphDeclaration(source, manifest);
        ManifestChecks.checkTagger(source, manifest);
        ManifestChecks.checkStateHeads(source, manifest);
        ManifestChecks.checkOpset(source, manifest, contents.get(manifest.graph().file()));
        TokenizerSpec tokenizerSpec = TokenizerFileReader.read(source, manifest,
                contents.get(manifest.tokenizer().file()));
        ManifestChecks.checkDecoding(source, manifest);
        ModelBundle bundle;
        try {
            bundle = new ModelBundle(source, manifest, Map.copyOf(contents), tokenizerSpec);
        } catch (IllegalArgumentException e) {
            throw new InvalidBundleException(source, manifest.tokenizer().file() + ": " + e.getMessage(), e);
        }
        for (String placeholder : tokenizerSpec.placeholders()) {
            // A placeholder the tokenizer would split (upper case, a space) could never be read or generated whole.
            if (!bundle.tokenizer().split(placeholder).equals(List.of(placeholder))) {
                throw new InvalidBundleException(source, manifest.tokenizer().file() + " placeholder '" + placeholder
                        + "' is not one token of its own spec: " + bundle.tokenizer().split(placeholder));
            }
        }
        return bundle;
    }
}
