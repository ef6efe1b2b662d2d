package io.wmstream.app.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link StandaloneBroker} (a broker in a process of its own) per test class, with its data in a temporary
 * directory removed afterwards. Register it as a static field with {@code @RegisterExtension}.
 */
final class StandaloneBrokerExtension implements BeforeAllCallback, AfterAllCallback {
    private Path dataDir;
    private StandaloneBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dataDir = Files.createTempDirectory("wm-broker-");
        broker = StandaloneBroker.start(dataDir);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (broker != null) {
                broker.close();
            }
        } finally {
            try (Stream<Path> paths = Files.walk(dataDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    StandaloneBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("the broker runs only while the test class runs");
        }
        return broker;
    }
}
