package io.wmstream.app.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.app.testing.RepoRoot;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The ops/ scripts as a user runs them, on the jar this build packaged (WMSTREAM_JAR: no nested build). */
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class OpsScriptsIntegrationTest {
    @TempDir
    Path dir;

    private Path dataDir;

    @AfterEach
    void stopBroker() throws Exception {
        if (dataDir != null) {
            script("kafka-broker", "stop", "--data-dir", dataDir.toString());
        }
    }

    @Test
    void shouldStartABrokerCreateTopicsAndStopIt() throws Exception {
        // Given a free port and a data directory
        int port = freePort();
        dataDir = dir.resolve("kafka");

        // When the broker is started
        Result start = script("kafka-broker", "start", "--port", String.valueOf(port), "--controller-port",
                String.valueOf(freePort()), "--data-dir", dataDir.toString());

        // Then it runs, serves clients, and takes the topics
        assertThat(start.code()).as(start.output()).isZero();
        assertThat(start.output()).contains("Kafka broker running at 127.0.0.1:" + port);
        assertThat(script("kafka-broker", "status", "--data-dir", dataDir.toString()).code()).isZero();
        Result topics = script("create-topics", "--bootstrap-servers", "127.0.0.1:" + port,
                "--set", "wm.topic.partitions=2");
        assertThat(topics.code()).as(topics.output()).isZero();
        assertThat(topics.output()).contains("created  conversation-events", "created  conversation-dead-letters");
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", "127.0.0.1:" + port))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).containsAll(Set.of(
                    "conversation-events", "conversation-replies", "conversation-summaries",
                    "conversation-dead-letters"));
        }

        // And when it is stopped, status says so
        assertThat(script("kafka-broker", "stop", "--data-dir", dataDir.toString()).code()).isZero();
        Result status = script("kafka-broker", "status", "--data-dir", dataDir.toString());
        assertThat(status.code()).isEqualTo(3);
        assertThat(status.output()).contains("not running");
        dataDir = null;
    }

    @Test
    void shouldRefuseBadUsageWithExitCodeTwo() throws Exception {
        Result noCommand = script("kafka-broker", "restart", "--data-dir", dir.toString());
        assertThat(noCommand.code()).isEqualTo(2);
        assertThat(noCommand.output()).contains("unknown command 'restart'");

        Result noPort = script("kafka-broker", "start", "--data-dir", dir.toString());
        assertThat(noPort.code()).isEqualTo(2);
        assertThat(noPort.output()).contains("--port is required");
    }

    @Test
    void shouldRunTheApplicationThroughTheLauncher() throws Exception {
        Result help = script("wmstream", "--help");

        assertThat(help.code()).isZero();
        assertThat(help.output()).contains("demo", "run", "produce", "create-topics")
                .doesNotContain("building wmstream");
        Result wrong = script("wmstream", "produce", "--nope");
        assertThat(wrong.code()).isEqualTo(2);
    }

    private record Result(int code, String output) {
    }

    private static Result script(String name, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(RepoRoot.path().resolve("ops").resolve(name).toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("WMSTREAM_JAR", RepoRoot.applicationJar().toString());
        builder.environment().keySet().removeIf(key -> key.startsWith("WM_"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
