package io.wmstream.app.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.wmstream.app.Main;
import io.wmstream.app.broker.EmbeddedKafka;
import io.wmstream.app.pipeline.TopologyPipelineFactory;
import io.wmstream.app.testing.Console;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A client that shares no code with Kafka's Java clients talks to a running wmstream: kcat in, kcat out. */
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KcatIntegrationTest {
    @TempDir
    Path dir;

    @Test
    void shouldAnswerAnUtteranceProducedByKcatWithAReplyKcatReadsCommitted() throws Exception {
        assumeThat(kcatAvailable()).as("kcat is not installed (apt-get install kcat)").isTrue();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            // Given wmstream run with the real pipeline
            Console console = new Console();
            Main main = new Main(console.context(Map.of(), new TopologyPipelineFactory()));
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> main.execute("run",
                    "--bootstrap-servers", kafka.bootstrapServers(), "--set", "wm.http.port=0",
                    "--set", "kafka.state.dir=" + dir.resolve("state"), "--set", "kafka.application.id=kcat-app"));
            try {
                console.awaitOut("wmstream is running", Duration.ofSeconds(90));

                // When kcat produces a user utterance keyed by its conversation
                Process produce = new ProcessBuilder("kcat", "-P", "-b", kafka.bootstrapServers(), "-t",
                        "conversation-events", "-K", "|").redirectErrorStream(true).start();
                try (OutputStream stdin = produce.getOutputStream()) {
                    stdin.write(("kc-1|{\"conversationId\":\"kc-1\",\"eventId\":\"e1\",\"speaker\":\"user\","
                            + "\"text\":\"Is breakfast included?\"}\n").getBytes(StandardCharsets.UTF_8));
                }
                assertThat(produce.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(produce.exitValue()).isZero();

                // Then kcat, reading only committed records, gets the reply keyed by the same conversation
                Process consume = new ProcessBuilder("kcat", "-C", "-b", kafka.bootstrapServers(), "-t",
                        "conversation-replies", "-o", "beginning", "-c", "1", "-f", "%k %s\\n",
                        "-X", "isolation.level=read_committed").start();
                boolean done = consume.waitFor(60, TimeUnit.SECONDS);
                String read = new String(consume.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(done).as("kcat read a reply within 60 s").isTrue();
                assertThat(read).startsWith("kc-1 {\"conversationId\":\"kc-1\",\"inReplyTo\":{\"eventId\":\"e1\"}");
            } finally {
                console.hooks().forEach(Thread::run);
                assertThat(run.get(60, TimeUnit.SECONDS)).isZero();
            }
        }
    }

    private static boolean kcatAvailable() {
        try {
            Process version = new ProcessBuilder("kcat", "-V").redirectErrorStream(true).start();
            version.getInputStream().readAllBytes();
            return version.waitFor(10, TimeUnit.SECONDS) && version.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
