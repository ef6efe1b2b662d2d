package io.wmstream.app.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root, found from the test's working directory (the module's base directory, src/). */
public final class RepoRoot {
    private RepoRoot() {
    }

    public static Path path() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null) {
            if (Files.exists(dir.resolve("docker-compose.yml")) && Files.isDirectory(dir.resolve("ops"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no repository root above " + System.getProperty("user.dir"));
    }

    /** The shaded application jar that {@code package} built. */
    public static Path applicationJar() throws IOException {
        try (var jars = Files.list(path().resolve("src/target"))) {
            return jars.filter(p -> p.getFileName().toString().matches("wmstream-app-.*-all\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no shaded jar in src/target; run mvn package"));
        }
    }
}
