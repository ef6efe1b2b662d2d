package io.wmstream.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.app.demo.OutputWatcher;
import io.wmstream.app.testing.EchoMain;
import io.wmstream.app.testing.EmbeddedKafkaExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code wmstream run} as its own process, stopped by a real SIGTERM. */
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SigtermIntegrationTest {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path dir;

    @Test
    void shouldCloseCleanlyAndFlushStateOnSigterm() throws Exception {
        // Given wmstream run in its own JVM, serving and RUNNING
        Path stateDir = dir.resolve("state");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, EchoMain.class.getName(), "run", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--set", "wm.http.port=0", "--set", "wm.topic.prefix=sigterm.",
                "--set", "kafka.application.id=sigterm-app", "--set", "kafka.state.dir=" + stateDir)
                .redirectError(dir.resolve("stderr.txt").toFile()).start();
        try {
            URI base = awaitRunning(process);
            HttpClient http = HttpClient.newHttpClient();
            assertThat(http.send(HttpRequest.newBuilder(base.resolve("ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

            // And has processed an event into its store
            try (Producer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                    KAFKA.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("sigterm.conversation-events", "c1",
                        "{\"conversationId\":\"c1\",\"speaker\":\"user\",\"text\":\"hello\"}")).get();
            }
            List<OutputWatcher.Output> outputs = new ArrayList<>();
            try (OutputWatcher watcher = new OutputWatcher(clientProperties(), "sigterm.conversation-replies",
                    "sigterm.conversation-summaries")) {
                assertThat(watcher.watch(outputs::add, () -> !outputs.isEmpty(), Duration.ofSeconds(30))).isTrue();
            }

            // When it gets SIGTERM
            process.destroy();

            // Then it exits within the close bound, having said so, and its stores were flushed on close (RocksDB
            // files; Kafka 4 keeps changelog offsets in the store itself or in a .checkpoint file)
            assertThat(process.waitFor(45, TimeUnit.SECONDS)).as("exited within 45 s").isTrue();
            String stderr = Files.readString(dir.resolve("stderr.txt"));
            assertThat(stderr).contains("stopping").contains("stopped").doesNotContain("Exception");
            assertThat(process.exitValue()).isIn(0, 143);
            try (Stream<Path> files = Files.walk(stateDir)) {
                List<Path> all = files.toList();
                assertThat(all).as("stores flushed on a clean close: %s", all).anyMatch(p -> p.toString()
                        .contains("echo-memory") && p.getFileName().toString().endsWith(".sst")
                        || p.getFileName().toString().equals(".checkpoint"));
            }
        } finally {
            process.destroyForcibly();
        }
    }

    private static Properties clientProperties() {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", KAFKA.bootstrapServers());
        return properties;
    }

    private static URI awaitRunning(Process process) throws Exception {
        Pattern running = Pattern.compile("HTTP at (http://[^/]+/)");
        CompletableFuture<URI> uri = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    Matcher matcher = running.matcher(line);
                    if (matcher.find()) {
                        return URI.create(matcher.group(1));
                    }
                }
                throw new IllegalStateException("wmstream run exited before it was running");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        return uri.get(90, TimeUnit.SECONDS);
    }
}
