package io.wmstream.app.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.app.Main;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.demo.OutputWatcher;
import io.wmstream.app.pipeline.PipelineFactory;
import java.io.IOException;
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

/**
 * The end-to-end scenario of {@code wmstream run}, against any broker: run with the echo pipeline, send a log with
 * {@code wmstream produce}, read the outputs with a read_committed consumer, query HTTP, stop through the
 * shutdown hook. Shared by the embedded-broker and the Testcontainers tests.
 */
public final class EndToEnd {
    /**
     * Two user utterances and an agent one in an open conversation, one user utterance in a closed one, and a line
     * that is not a valid event (sent anyway, so the pipeline dead-letters it).
     */
    public static final String LOG = """
            {"conversationId":"open-1","eventId":"o1","turn":0,"speaker":"user","text":"Is the pool open?"}
            {"conversationId":"closed-1","eventId":"c1","turn":0,"speaker":"user","text":"Cancel my table."}
            {"conversationId":"open-1","eventId":"o2","turn":2,"speaker":"agent","text":"Until 10 pm."}
            {"conversationId":"open-1","eventId":"o3","turn":4,"speaker":"user","text":"And the gym?"}
            {"conversationId":"closed-1","type":"end","turn":2}
            {"conversationId":"open-1","turn":"six","speaker":"user","text":"not a valid event"}
            """;

    private final HttpClient http = HttpClient.newHttpClient();
    private final PipelineFactory pipelines;
    private final String openConversationFragment;

    /**
     * @param pipelines the pipeline to run
     * @param openConversationFragment what {@code GET /conversations/open-1} must contain
     */
    public EndToEnd(PipelineFactory pipelines, String openConversationFragment) {
        this.pipelines = pipelines;
        this.openConversationFragment = openConversationFragment;
    }

    /** The scenario with the echo pipeline. */
    public static EndToEnd withEcho() {
        return new EndToEnd(new EchoPipelineFactory(), "\"turns\":3");
    }

    /** What the scenario observed, for the caller's own assertions. */
    public record Outcome(List<OutputWatcher.Output> outputs, String metrics, int runExitCode) {
    }

    /**
     * Runs the scenario with topics under {@code prefix} and returns what came out.
     */
    public Outcome run(String bootstrapServers, String prefix, Path workDir) throws Exception {
        Console runConsole = new Console();
        Path stateDir = Files.createDirectories(workDir.resolve("state"));
        Main main = new Main(runConsole.context(Map.of("WM_TOPIC_PREFIX", prefix), pipelines));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> main.execute("run",
                "--bootstrap-servers", bootstrapServers, "--set", "wm.http.port=0",
                "--set", "kafka.application.id=" + prefix + "app", "--set", "kafka.state.dir=" + stateDir,
                "--set", "kafka.commit.interval.ms=100", "--set", "wm.topic.partitions=2"));
        try {
            Matcher running = runConsole.awaitOut("HTTP at (http://[^/]+/)", Duration.ofSeconds(90));
            URI base = URI.create(running.group(1));
            assertThat(get(base, "ready").statusCode()).isEqualTo(200);

            // Send the log with the produce command, as a user would
            Path log = Files.writeString(workDir.resolve("events.jsonl"), LOG);
            Console produceConsole = new Console();
            int produced = new Main(produceConsole.context(Map.of("WM_TOPIC_PREFIX", prefix),
                    new EchoPipelineFactory())).execute("produce", "--bootstrap-servers", bootstrapServers,
                    "--send-invalid", log.toString());
            assertThat(produced).as(produceConsole.err()).isEqualTo(ExitCode.OK);
            assertThat(produceConsole.out()).contains("sent 6 events").contains("1 invalid (sent anyway)");

            // Read what the pipeline committed
            List<OutputWatcher.Output> outputs = new ArrayList<>();
            Properties client = new Properties();
            client.put("bootstrap.servers", bootstrapServers);
            try (OutputWatcher watcher = new OutputWatcher(client, prefix + "conversation-replies",
                    prefix + "conversation-summaries")) {
                boolean complete = watcher.watch(outputs::add, () -> outputs.size() >= 4, Duration.ofSeconds(60));
                assertThat(complete).as("outputs so far: %s", outputs).isTrue();
                watcher.watch(outputs::add, () -> false, Duration.ofMillis(500));
            }

            // Query the open conversation's memory and one that does not exist
            HttpResponse<String> open = get(base, "conversations/open-1");
            assertThat(open.statusCode()).isEqualTo(200);
            assertThat(open.body()).contains(openConversationFragment);
            assertThat(get(base, "conversations/closed-1").statusCode()).isEqualTo(404);
            assertThat(get(base, "conversations/never-seen").statusCode()).isEqualTo(404);
            String metrics = get(base, "metrics").body();

            // Stop as SIGTERM would
            assertThat(runConsole.hooks()).hasSize(1);
            runConsole.hooks().get(0).run();
            int exit = run.get(60, TimeUnit.SECONDS);
            assertThat(runConsole.err()).contains("stopped");
            return new Outcome(outputs, metrics, exit);
        } finally {
            runConsole.hooks().forEach(Thread::run);
            run.cancel(true);
        }
    }

    private HttpResponse<String> get(URI base, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
