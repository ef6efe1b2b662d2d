package io.wmstream.app.reliability;

import io.wmstream.app.testing.RepoRoot;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code wmstream run} with the real topology and the bundled model in a JVM of its own, from the jar this build
 * packaged, so that a test can kill it with SIGKILL and start it again on the same state directory.
 */
final class AppInstance implements AutoCloseable {
    private static final Pattern HTTP = Pattern.compile("HTTP at (http://[^/\\s]+/)");
    private static final HttpClient READY = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final Path workDir;
    private final Path stateDir;
    private final List<String> settings;
    private Process process;
    private Path stdout;
    private int starts;
    private URI http;

    /**
     * @param name the instance's name: its static group member id and the name of its files
     * @param settings {@code key=value} settings given with {@code --set}, after the common ones
     */
    AppInstance(String name, Path workDir, String bootstrapServers, String appId, String prefix, int partitions,
            List<String> settings) throws IOException {
        this.name = name;
        this.workDir = workDir;
        this.stateDir = Files.createDirectories(workDir.resolve(name + "-state"));
        List<String> all = new ArrayList<>(List.of("kafka.bootstrap.servers=" + bootstrapServers,
                "kafka.application.id=" + appId, "wm.topic.prefix=" + prefix,
                "wm.topic.partitions=" + partitions, "wm.http.port=" + freePort(), "wm.model.device=cpu",
                "kafka.state.dir=" + stateDir));
        all.addAll(settings);
        // For trying settings on every instance of a run without a rebuild (-Dwm.test.child.settings="k=v k=v").
        String extra = System.getProperty("wm.test.child.settings", "").strip();
        if (!extra.isEmpty()) {
            all.addAll(List.of(extra.split("\\s+")));
        }
        this.settings = List.copyOf(all);
    }

    /**
     * A port free now, kept for every start of the instance: a deployed instance keeps its address across restarts,
     * and one that comes back on a new port makes Kafka Streams rebalance once more to spread the new endpoint.
     */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    String name() {
        return name;
    }

    Path stateDir() {
        return stateDir;
    }

    /** Starts the JVM; returns at once (see {@link #awaitHttp}). */
    void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        starts++;
        stdout = workDir.resolve(name + "-" + starts + "-stdout.txt");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx1g"));
        // For diagnosing a run (e.g. a logback configuration that shows Kafka's rebalances): not set by default.
        String extra = System.getProperty("wm.test.child.java.options", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-cp", RepoRoot.applicationJar().toString(), "io.wmstream.app.Main", "run"));
        for (String setting : settings) {
            command.add("--set");
            command.add(setting);
        }
        http = null;
        process = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                .redirectError(workDir.resolve(name + "-" + starts + "-stderr.txt").toFile()).start();
    }

    /** Waits until the instance serves HTTP (it prints the address once the pipeline is started). */
    URI awaitHttp(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher matcher = HTTP.matcher(Files.readString(stdout, StandardCharsets.UTF_8));
            if (matcher.find()) {
                http = URI.create(matcher.group(1));
                return http;
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " while starting: "
                        + stderrTail());
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " did not serve HTTP within " + timeout + ": " + stderrTail());
    }

    /** When the current run printed its address (its stdout was last written), in epoch milliseconds. */
    long announcedAtMillis() throws IOException {
        return Files.getLastModifiedTime(stdout).toMillis();
    }

    URI http() {
        return http;
    }

    /** Whether the instance answers {@code GET /ready} with 200 now (Kafka Streams RUNNING: every task restored). */
    boolean ready() throws InterruptedException {
        if (http == null || !alive()) {
            return false;
        }
        try {
            HttpResponse<Void> response = READY.send(HttpRequest.newBuilder(http.resolve("ready"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGKILL: no shutdown hook, no commit, no flush. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " did not die within 30 s of SIGKILL");
        }
    }

    /** SIGTERM: the clean stop a user or an orchestrator asks for. */
    void stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new IllegalStateException(name + " did not stop within 90 s of SIGTERM");
        }
    }

    /** The current JVM's process id. */
    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** The last lines of the current run's stderr, for failure messages. */
    String stderrTail() {
        try {
            List<String> lines = Files.readAllLines(workDir.resolve(name + "-" + starts + "-stderr.txt"),
                    StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no stderr: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            try {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
