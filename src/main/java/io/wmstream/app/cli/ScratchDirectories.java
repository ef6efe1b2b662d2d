package io.wmstream.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** State directories for one run of a command (demo, bench, replay), deleted when the run ends. */
public final class ScratchDirectories {
    private ScratchDirectories() {
    }

    /**
     * A new directory named after {@code command}. Kafka Streams warns about state under the OS temp directory
     * (which the OS may clean mid-run), so the user's cache directory comes first.
     */
    public static Path create(String command) throws CommandFailedException {
        try {
            Path cache = Files.createDirectories(Path.of(System.getProperty("user.home"), ".cache", "wmstream"));
            return Files.createTempDirectory(cache, command + "-");
        } catch (IOException | RuntimeException notWritable) {
            try {
                return Files.createTempDirectory("wmstream-" + command + "-");
            } catch (IOException e) {
                throw new CommandFailedException("cannot create a state directory: " + e.getMessage(), e);
            }
        }
    }

    /** Deletes {@code dir} and everything in it; nothing when it is null. */
    public static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // A leftover scratch directory is not worth failing a finished run for.
        }
    }
}
