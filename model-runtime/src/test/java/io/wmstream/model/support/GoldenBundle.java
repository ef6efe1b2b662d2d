package io.wmstream.model.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.model.bundle.ModelBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The committed bundles whose files and golden cases the tests check: the shipped 3.0 bundle
 * ({@code models/wm-gru-dialogue-3}, or the directory {@code -Dwm.test.bundle2} names, a smoke run's, say). Tests of
 * an absent bundle are skipped by assumption, with the reason, rather than passing on nothing.
 */
public enum GoldenBundle {
    /** The shipped 3.0 bundle: format 3, wm-word-v2, a fact tagger and dialogue-state heads. */
    SHIPPED;

    /** The system property naming another bundle directory to check instead (a smoke run's, say). */
    public static final String BUNDLE2_PROPERTY = "wm.test.bundle2";

    /** Where the bundle's files are. */
    public Path dir() {
        String override = System.getProperty(BUNDLE2_PROPERTY, "");
        return override.isBlank() ? TestBundles.DEFAULT_DIR : Path.of(override.trim());
    }

    /** Skips the calling test, saying why, when the bundle is not there. */
    public GoldenBundle assumePresent() {
        Path dir = dir();
        Assumptions.assumeTrue(Files.isDirectory(dir), () -> "no " + this + " bundle at " + dir.toAbsolutePath()
                + " (add it, or point -D" + BUNDLE2_PROPERTY + "=DIR at one)");
        return this;
    }

    /** The loaded bundle (once per test JVM); skips the test when it is not there. */
    public ModelBundle bundle() {
        assumePresent();
        return Holder.BUNDLE;
    }

    /** Its golden.json; skips the test when it is not there. */
    public JsonNode golden() {
        assumePresent();
        return Holder.GOLDEN;
    }

    /** Whether the bundle has a fact tagger; skips the test when it is not there. */
    public boolean hasTagger() {
        return bundle().tagger().isPresent();
    }

    @Override
    public String toString() {
        return "3.0";
    }

    private static final class Holder {
        private static final ModelBundle BUNDLE = ModelBundle.load(SHIPPED.dir());
        private static final JsonNode GOLDEN = TestBundles.json(BUNDLE.file(BUNDLE.manifest().goldenFile()));
    }
}
