package io.wmstream.app.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.model.bundle.ModelBundle;
import io.wmstream.model.bundle.OnnxGraphPruner;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A model bundle without a fact tagger or dialogue-state heads, generated from the shipped one: its graph pruned to
 * {@code logits} and {@code state_out}, its manifest format 2 without the {@code tagger} and {@code state} sections.
 * It stands for every bundle that the application must still run without tags (lexicon salience, no tracked facts).
 */
public final class UntaggedBundle {
    private static final ObjectMapper JSON = new ObjectMapper();

    private UntaggedBundle() {
    }

    /** Writes the bundle into {@code target}, which is returned. */
    public static Path writeTo(Path target) throws IOException {
        Path shipped = RepoRoot.path().resolve("model-runtime/models/wm-gru-dialogue-3");
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(shipped)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, target.resolve(file.getFileName().toString()));
            }
        }
        Path manifestFile = target.resolve(ModelBundle.MANIFEST);
        ObjectNode manifest = (ObjectNode) JSON.readTree(manifestFile.toFile());
        String graphFile = manifest.path("graph").path("file").asText();
        Set<String> keep = Set.copyOf(ModelBundle.OUTPUTS);
        ByteBuffer pruned = OnnxGraphPruner.keepOutputs(Files.readAllBytes(target.resolve(graphFile)), keep)
                .orElseThrow();
        byte[] graph = new byte[pruned.remaining()];
        pruned.get(graph);
        Files.write(target.resolve(graphFile), graph);

        manifest.put("formatVersion", 2);
        manifest.remove("tagger");
        manifest.remove("state");
        ArrayNode outputs = (ArrayNode) manifest.path("graph").path("outputs");
        for (int i = outputs.size() - 1; i >= 0; i--) {
            if (!keep.contains(outputs.get(i).path("name").asText())) {
                outputs.remove(i);
            }
        }
        ((ObjectNode) manifest.path("files").path(graphFile)).put("bytes", graph.length).put("sha256", sha256(graph));
        JSON.writerWithDefaultPrettyPrinter().writeValue(manifestFile.toFile(), manifest);
        return target;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
