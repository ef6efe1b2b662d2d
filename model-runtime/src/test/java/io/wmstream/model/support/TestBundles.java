package io.wmstream.model.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.model.ModelRuntimeConfig;
import io.wmstream.model.bundle.BundleManifest;
import io.wmstream.model.bundle.ModelBundle;
import io.wmstream.model.bundle.OnnxGraphPruner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** The default bundle and its golden cases, read once per JVM; copies of it to corrupt, and bundles made from it. */
public final class TestBundles {
    /** The directory of the bundle the jar ships as its default (3.1.0), in the module. */
    public static final Path DEFAULT_DIR = Path.of(System.getProperty("basedir", "."), "models", "wm-gru-dialogue-3");

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestBundles() {
    }

    /** The default bundle, loaded from the classpath once. */
    public static ModelBundle defaultBundle() {
        return Holder.BUNDLE;
    }

    /** The default bundle's golden.json. */
    public static JsonNode golden() {
        return Holder.GOLDEN;
    }

    /**
     * A CPU configuration with one intra-op thread (tests share two cores with the build; results do not depend
     * on the thread count, see BatchInvarianceTest) and the defaults otherwise.
     */
    public static ModelRuntimeConfig.Builder cpu() {
        return ModelRuntimeConfig.builder().device(io.wmstream.model.Device.CPU).intraOpThreads(1);
    }

    /** Copies the default bundle's files into {@code target}, which is returned. */
    public static Path copyDefaultTo(Path target) {
        try {
            Files.createDirectories(target);
            try (Stream<Path> files = Files.list(DEFAULT_DIR)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.copy(file, target.resolve(file.getFileName().toString()));
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes into {@code target} (returned) a format 2 bundle with the fact tagger and without the dialogue-state
     * heads, generated from the default one: its graph pruned to {@code logits}, {@code state_out} and {@code tags},
     * its manifest without the {@code state} section, checksums updated.
     */
    public static Path copyDefaultAsTaggedTo(Path target) {
        return writeDerived(target, true);
    }

    /**
     * Writes into {@code target} (returned) a format 2 bundle without a fact tagger or dialogue-state heads,
     * generated from the default one: its graph pruned to {@code logits} and {@code state_out}, its manifest
     * without the {@code tagger} and {@code state} sections, checksums updated. It stands for every bundle that the
     * runtime must still load without tags (lexicon salience, no tracked facts); it infers what the default bundle
     * infers, so the default's golden logits and states hold for it.
     */
    public static Path writeUntaggedTo(Path target) {
        return writeDerived(target, false);
    }

    private static Path writeDerived(Path target, boolean withTagger) {
        copyDefaultTo(target);
        BundleManifest manifest = defaultBundle().manifest();
        Set<String> keep = new HashSet<>(ModelBundle.OUTPUTS);
        if (withTagger) {
            keep.add(manifest.tagger().orElseThrow().output());
        }
        Path model = target.resolve(manifest.graph().file());
        byte[] bytes;
        try {
            ByteBuffer pruned = OnnxGraphPruner.keepOutputs(Files.readAllBytes(model), keep).orElseThrow();
            bytes = new byte[pruned.remaining()];
            pruned.get(bytes);
            Files.write(model, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String sha256 = sha256(bytes);
        editJson(target, ModelBundle.MANIFEST, m -> {
            ObjectNode json = (ObjectNode) m;
            json.put("formatVersion", BundleManifest.TAGGER_FORMAT_VERSION);
            json.remove("state");
            if (!withTagger) {
                json.remove("tagger");
            }
            ArrayNode outputs = (ArrayNode) json.path("graph").path("outputs");
            for (int i = outputs.size() - 1; i >= 0; i--) {
                if (!keep.contains(outputs.get(i).path("name").asText())) {
                    outputs.remove(i);
                }
            }
            ((ObjectNode) json.path("files").path(model.getFileName().toString())).put("bytes", bytes.length)
                    .put("sha256", sha256);
        });
        return target;
    }

    /** Rewrites a JSON file of a bundle copy, and its size and sha256 in the manifest when it is listed there. */
    public static void editJson(Path dir, String file, Consumer<JsonNode> edit) {
        try {
            JsonNode content = JSON.readTree(dir.resolve(file).toFile());
            edit.accept(content);
            byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(content);
            Files.write(dir.resolve(file), bytes);
            JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile());
            if (manifest.path("files").has(file)) {
                ((ObjectNode) manifest.path("files").path(file)).put("bytes", bytes.length).put("sha256",
                        sha256(bytes));
                JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("manifest.json").toFile(), manifest);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses JSON bytes. */
    public static JsonNode json(byte[] content) {
        try {
            return JSON.readTree(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON mapper the tests share (thread-safe once configured). */
    public static ObjectMapper mapper() {
        return JSON;
    }

    private static final class Holder {
        private static final ModelBundle BUNDLE = ModelBundle.load(DEFAULT_DIR);
        private static final JsonNode GOLDEN = json(BUNDLE.file(BUNDLE.manifest().goldenFile()));
    }
}
