package io.wmstream.app.reliability;

import io.wmstream.app.testing.RepoRoot;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A single-node KRaft broker in a process of its own, started and stopped with {@code ops/kafka-broker} on the jar
 * this build packaged, so a test can stop it under a running pipeline and start the same broker (same data) again.
 */
final class StandaloneBroker implements AutoCloseable {
    private final Path dataDir;
    private final int port;
    private final int controllerPort;

    private StandaloneBroker(Path dataDir, int port, int controllerPort) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** Starts a new broker with its data in {@code dataDir}, on free ports. */
    static StandaloneBroker start(Path dataDir) throws IOException, InterruptedException {
        StandaloneBroker broker = new StandaloneBroker(dataDir, freePort(), freePort());
        broker.start();
        return broker;
    }

    /** Starts this broker again on its data directory and ports. */
    void start() throws IOException, InterruptedException {
        script("start", "--port", Integer.toString(port), "--controller-port", Integer.toString(controllerPort),
                "--data-dir", dataDir.toString());
    }

    /** Stops the broker (SIGTERM, a controlled shutdown). */
    void stop() throws IOException, InterruptedException {
        script("stop", "--data-dir", dataDir.toString());
    }

    /** The last {@code count} lines of the broker's log ({@code broker.log} in its data directory). */
    String logTail(int count) {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("broker.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
        } catch (IOException e) {
            return "(no broker log: " + e.getMessage() + ")";
        }
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() throws IOException {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void script(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(RepoRoot.path().resolve("ops/kafka-broker").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("WMSTREAM_JAR", RepoRoot.applicationJar().toString());
        Process process = builder.start();
        // The script returns once the broker's port is open, or fails within a minute; slow machines get double.
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("ops/kafka-broker " + args[0] + " did not finish within 120 s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (output.contains("did not stop")) {
            // Not a failure of the script, but a test that stops the broker must say it was not a clean stop.
            System.out.println("StandaloneBroker: " + output.strip());
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("ops/kafka-broker " + String.join(" ", args) + " failed ("
                    + process.exitValue() + "): " + output);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
