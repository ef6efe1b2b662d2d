package io.wmstream.model.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.wmstream.model.ModelRuntimeConfig;
import io.wmstream.model.bundle.ModelBundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** The default bundle and its golden cases, read once per test JVM, and copies of it to corrupt. */
public final class TestBundles {
    /**
     * The 1.0.0 bundle's directory in the module: the bundle without a tagger that most runtime tests read ("the
     * default bundle" here, as it was the shipped default until 2.0.0 became it).
     */
    public static final Path DEFAULT_DIR = Path.of(System.getProperty("basedir", "."), "models", "wm-gru-dialogue");
    /** The directory of the bundle the jar ships as its default (3.0.0). */
    public static final Path SHIPPED_DIR = Path.of(System.getProperty("basedir", "."), "models", "wm-gru-dialogue-3");

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

    /** The 19 placeholder types of wm-word-v2 (training/wmtok2.py), the tagger's classes after "none". */
    public static final List<String> PLACEHOLDER_TYPES = List.of("name", "title", "person", "place", "address",
            "postcode", "date", "time", "people", "count", "number", "price", "price_range", "phone", "reference",
            "id", "car", "food", "category");

    /**
     * Copies the default bundle into {@code target} and rewrites its manifest and tokenizer file into format 2 with
     * a tagger (spec wm-word-v2, ids 5..23 the placeholders, a declared {@code tags} output), checksums updated.
     * Its graph is still 1.0.0's, without a {@code tags} output: good for manifest checks, refused by a session.
     */
    public static Path copyDefaultAsTaggedTo(Path target) {
        copyDefaultTo(target);
        List<String> placeholders = PLACEHOLDER_TYPES.stream().map(t -> "[" + t + "]").toList();
        editJson(target, "tokenizer.json", t -> {
            ObjectNode tokenizer = (ObjectNode) t;
            tokenizer.put("spec", "wm-word-v2");
            ArrayNode vocabulary = (ArrayNode) tokenizer.path("vocabulary");
            for (int i = 0; i < placeholders.size(); i++) {
                vocabulary.set(5 + i, TextNode.valueOf(placeholders.get(i)));
            }
            ArrayNode list = tokenizer.putArray("placeholders");
            placeholders.forEach(list::add);
        });
        editJson(target, "manifest.json", m -> {
            ObjectNode manifest = (ObjectNode) m;
            manifest.put("formatVersion", 2);
            ((ObjectNode) manifest.path("tokenizer")).put("spec", "wm-word-v2");
            ObjectNode tags = ((ArrayNode) manifest.path("graph").path("outputs")).addObject();
            tags.put("name", "tags").put("dtype", "float32");
            tags.putArray("shape").add("batch").add("time").add(PLACEHOLDER_TYPES.size() + 1);
            ObjectNode tagger = manifest.putObject("tagger");
            tagger.put("output", "tags");
            ArrayNode classes = tagger.putArray("classes").add("none");
            PLACEHOLDER_TYPES.forEach(classes::add);
            tagger.put("lookahead", 2).put("rule", "argmax over classes, ties to the lowest index");
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
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
                JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("manifest.json").toFile(), manifest);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
