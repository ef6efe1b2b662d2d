package io.wmstream.app.security;

import io.wmstream.app.Main;
import io.wmstream.app.pipeline.PipelineFactory;
import io.wmstream.app.testing.Console;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;

/** One {@code wmstream run} in the background, configured by a properties file, stopped as SIGTERM would. */
final class SecuredRun implements AutoCloseable {
    private final Console console;
    private final CompletableFuture<Integer> exit;

    private SecuredRun(Console console, CompletableFuture<Integer> exit) {
        this.console = console;
        this.exit = exit;
    }

    /** Writes {@code settings} to {@code dir/name.properties} and starts {@code run --config} with that file. */
    static SecuredRun start(PipelineFactory pipelines, Path dir, String name, Map<String, String> settings)
            throws IOException {
        Path config = writeConfig(dir.resolve(name + ".properties"), settings);
        Console console = new Console();
        Main main = new Main(console.context(Map.of(), pipelines));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> main.execute("run", "--config",
                config.toString(), "--set", "wm.http.port=0", "--set", "kafka.state.dir="
                        + dir.resolve(name + "-state"), "--set", "kafka.commit.interval.ms=100"));
        return new SecuredRun(console, exit);
    }

    Console console() {
        return console;
    }

    /** The HTTP base address once the pipeline is RUNNING. */
    URI awaitRunning() throws InterruptedException {
        Matcher running = console.awaitOut("HTTP at (https?://[^/]+/)", Duration.ofSeconds(90));
        return URI.create(running.group(1));
    }

    /** The exit code of a run that ends by itself (a failure). */
    int awaitExit(Duration timeout) throws Exception {
        return exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws ExecutionException, TimeoutException {
        console.hooks().forEach(Thread::run);
        try {
            exit.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Path writeConfig(Path file, Map<String, String> settings) throws IOException {
        Properties properties = new Properties();
        properties.putAll(settings);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(out, null);
        }
        return file;
    }
}
