package io.wmstream.model.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wmstream.model.ModelRuntimeConfig;
import io.wmstream.model.bundle.ModelBundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The default bundle and its golden cases, read once per test JVM, and copies of it to corrupt. */
public final class TestBundles {
    /** The default bundle's source directory in the module. */
    public static final Path DEFAULT_DIR = Path.of(System.getProperty("basedir", "."), "models", "wm-gru-dialogue");

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
        private static final ModelBundle BUNDLE = ModelBundle.loadDefault();
        private static final JsonNode GOLDEN = json(BUNDLE.file(BUNDLE.manifest().goldenFile()));
    }
}
