package io.wmstream.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.wmstream.app.Main;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.demo.OutputWatcher;
import io.wmstream.app.testing.ApplicationAcls;
import io.wmstream.app.testing.Console;
import io.wmstream.app.testing.EchoPipelineFactory;
import io.wmstream.app.testing.LogCapture;
import io.wmstream.app.testing.SecuredKafkaExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.acl.AclBinding;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * wmstream against a broker whose listeners want SCRAM-SHA-512 over TLS or mutual TLS, with ACLs enforced: with the
 * right credentials run, produce, replay --from-topic and HTTP owner redirects work; with wrong or missing ones each
 * command fails within seconds in one line that names the cause, and no secret reaches a log or the console.
 */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class KafkaSecurityIntegrationTest {
    @RegisterExtension
    static final SecuredKafkaExtension KAFKA = new SecuredKafkaExtension();

    /** How long a refused command may take: a refusal is final, nothing should be waited out. */
    private static final Duration FAST = Duration.ofSeconds(10);

    private static final String LOG = """
            {"conversationId":"lamp-7","eventId":"l1","turn":0,"speaker":"user","text":"Is the night ferry on?"}
            {"conversationId":"quay-2","eventId":"q1","turn":0,"speaker":"user","text":"Book the blue kayak."}
            {"conversationId":"lamp-7","eventId":"l2","turn":1,"speaker":"agent","text":"It leaves at 23:40."}
            {"conversationId":"pear-5","eventId":"p1","turn":0,"speaker":"user","text":"Any pears left today?"}
            {"conversationId":"lamp-7","eventId":"l3","turn":2,"speaker":"user","text":"Two seats on deck then."}
            """;

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void givenScramUserWithAcls_whenRunProduceAndReplayOverSaslSsl_thenAllWorkAndNoSecretIsLoggedOrPrinted()
            throws Exception {
        // Given a SCRAM user with the pipeline's and producer's ACLs, topics made by the operator, secret settings
        String password = "scram-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
        String token = "http-token-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
        KAFKA.addScramUser("wmstream", password);
        String prefix = "sasl.";
        String appId = "sasl-app";
        KAFKA.prepare(acls("User:wmstream", prefix, appId), topics(prefix));
        Map<String, String> settings = KAFKA.saslSettings("wmstream", password);
        settings.putAll(Map.of("kafka.bootstrap.servers", KAFKA.saslServers(), "wm.topic.prefix", prefix,
                "wm.topic.partitions", "2", "kafka.application.id", appId, "wm.http.token", token));
        List<String> secrets = List.of(password, token, KAFKA.certificates().password());

        try (LogCapture logs = LogCapture.start(Map.of("org.apache.kafka", Level.INFO, "io.wmstream", Level.DEBUG))) {
            // When two instances run, the log is produced, and a range of the input is replayed
            List<Console> consoles = new ArrayList<>();
            try (SecuredRun first = SecuredRun.start(new EchoPipelineFactory(), dir, "first", settings);
                    SecuredRun second = SecuredRun.start(new EchoPipelineFactory(), dir, "second", settings)) {
                consoles.add(first.console());
                consoles.add(second.console());
                List<URI> instances = List.of(first.awaitRunning(), second.awaitRunning());
                Console produce = command("produce", settings, "--send-invalid", writeLog());
                consoles.add(produce);
                assertThat(produce.out()).contains("sent 5 events");

                // Then each user utterance is answered, read back over the secured listener
                List<OutputWatcher.Output> outputs = awaitOutputs(settings, prefix, 4);
                assertThat(outputs).filteredOn(o -> o instanceof OutputWatcher.ReplyOutput)
                        .extracting(o -> ((OutputWatcher.ReplyOutput) o).reply().inReplyTo().eventId())
                        .containsExactlyInAnyOrder("l1", "q1", "p1", "l3");

                // And each conversation is served by its owner, and by a redirect from the other instance
                awaitServedThroughRedirects(instances, token, List.of("lamp-7", "quay-2", "pear-5"));
            }
            Path replayed = dir.resolve("replayed.jsonl");
            Console replay = command("replay", settings, "--from-topic", prefix + "conversation-events",
                    "--output", replayed.toString());
            consoles.add(replay);
            assertThat(Files.readAllLines(replayed)).filteredOn(line -> line.contains("conversation-replies"))
                    .isNotEmpty();

            // And no secret is in any log line, any console output, or --help
            Console help = new Console();
            new Main(help.context(Map.of(), new EchoPipelineFactory())).execute("run", "--help");
            consoles.add(help);
            assertThat(logs.lines()).as("Kafka dumped its client configuration at INFO")
                    .anyMatch(line -> line.contains("sasl.jaas.config = [hidden]"));
            for (String secret : secrets) {
                assertThat(logs.lines()).noneMatch(line -> line.contains(secret));
                assertThat(consoles).noneMatch(console -> console.out().contains(secret)
                        || console.err().contains(secret));
            }
        }
    }

    @Test
    void givenWrongScramPassword_whenEachCommandStarts_thenItFailsFastInOneLineNamingTheRefusal() throws Exception {
        // Given a user whose password the settings get wrong
        KAFKA.addScramUser("mistyped", "the-right-password");
        String wrong = "a-wrong-password-" + System.nanoTime();
        Map<String, String> settings = KAFKA.saslSettings("mistyped", wrong);
        settings.put("kafka.bootstrap.servers", KAFKA.saslServers());
        settings.put("wm.topic.prefix", "wrong.");

        // When produce, replay --from-topic and run start with them
        List<Console> failures = List.of(
                failingCommand("produce", settings, writeLog()),
                failingCommand("replay", settings, "--from-topic", "wrong.conversation-events", "--output",
                        dir.resolve("none.jsonl").toString()),
                failingRun(settings));

        // Then each says in one line that Kafka refused the SASL credentials, without the password
        for (Console console : failures) {
            assertOneLine(console, "Kafka refused the SASL credentials", "invalid credentials");
            assertThat(console.err()).doesNotContain(wrong);
        }
    }

    @Test
    void givenSaslSslWithoutCredentials_whenEachCommandStarts_thenOneLineAsksForTheJaasConfig() throws Exception {
        // Given SASL_SSL settings with no kafka.sasl.jaas.config
        Map<String, String> settings = KAFKA.saslSettings("nobody", "unused");
        settings.remove("kafka.sasl.jaas.config");
        settings.put("kafka.bootstrap.servers", KAFKA.saslServers());

        // When produce, replay --from-topic and run start with them
        List<Console> failures = List.of(
                failingCommand("produce", settings, writeLog()),
                failingCommand("replay", settings, "--from-topic", "conversation-events", "--output",
                        dir.resolve("none.jsonl").toString()),
                failingRun(settings));

        // Then each says in one line what is missing
        for (Console console : failures) {
            assertOneLine(console, "no SASL credentials", "kafka.sasl.jaas.config");
        }
    }

    @Test
    void givenClientCertificateWithAcls_whenRunProduceAndReplayOverMutualTls_thenEventsAreAnswered()
            throws Exception {
        // Given a client certificate for CN=wmstream-app, whose principal has the pipeline's and producer's ACLs
        String prefix = "mtls.";
        String appId = "mtls-app";
        KAFKA.prepare(acls("User:wmstream-app", prefix, appId), topics(prefix));
        Map<String, String> settings = KAFKA.mtlsSettings(KAFKA.certificates().keystore("app.p12", "wmstream-app"));
        settings.putAll(Map.of("kafka.bootstrap.servers", KAFKA.mtlsServers(), "wm.topic.prefix", prefix,
                "kafka.application.id", appId));
        // And HTTPS with a token for the memory queries
        settings.putAll(Map.of("wm.http.tls.keystore.location", KAFKA.certificates().keystore("http.p12",
                "localhost").toString(), "wm.http.tls.keystore.password", KAFKA.certificates().password(),
                "wm.http.token", "mtls-http-token"));

        // When the pipeline runs and the log is produced
        try (SecuredRun run = SecuredRun.start(new EchoPipelineFactory(), dir, "mtls", settings)) {
            URI base = run.awaitRunning();
            command("produce", settings, "--send-invalid", writeLog());

            // Then every user utterance is answered and the memory is served over HTTPS, with the token only
            assertThat(awaitOutputs(settings, prefix, 4)).filteredOn(o -> o instanceof OutputWatcher.ReplyOutput)
                    .hasSize(4);
            assertThat(base.getScheme()).isEqualTo("https");
            URI memory = URI.create("https://localhost:" + base.getPort() + "/conversations/lamp-7");
            HttpClient https = HttpClient.newBuilder().sslContext(KAFKA.certificates().trustingContext()).build();
            assertThat(https.send(HttpRequest.newBuilder(memory).header("Authorization", "Bearer mtls-http-token")
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThat(https.send(HttpRequest.newBuilder(memory).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(401);
        }
        // And the input can be replayed from the topic
        Path replayed = dir.resolve("replayed.jsonl");
        command("replay", settings, "--from-topic", prefix + "conversation-events", "--output", replayed.toString());
        assertThat(Files.readAllLines(replayed)).filteredOn(line -> line.contains("conversation-replies")).hasSize(4);
    }

    @Test
    void givenNoClientCertificate_whenEachCommandStartsOverMutualTls_thenOneLineNamesTheTlsHandshake()
            throws Exception {
        // Given settings that trust the broker but hold no client certificate, and settings that trust nothing
        Map<String, String> noCertificate = KAFKA.mtlsSettings(Path.of("unused"));
        noCertificate.keySet().removeIf(key -> key.startsWith("kafka.ssl.keystore."));
        noCertificate.put("kafka.bootstrap.servers", KAFKA.mtlsServers());
        Map<String, String> noTrust = new LinkedHashMap<>(noCertificate);
        noTrust.keySet().removeIf(key -> key.startsWith("kafka.ssl.truststore."));

        // When producing with either, replaying or running without a certificate, then each fails in one line
        // naming the TLS handshake
        assertOneLine(failingCommand("produce", noCertificate, writeLog()), "TLS handshake with Kafka failed");
        assertOneLine(failingCommand("replay", noCertificate, "--from-topic", "conversation-events", "--output",
                dir.resolve("none.jsonl").toString()), "TLS handshake with Kafka failed");
        assertOneLine(failingRun(noCertificate), "TLS handshake with Kafka failed");
        assertOneLine(failingCommand("produce", noTrust, writeLog()), "TLS handshake with Kafka failed",
                "certification path");
    }

    @Test
    void givenAuthenticatedUserWithoutAcls_whenProducingOrRunning_thenDeniedInOneLine() throws Exception {
        // Given a SCRAM user that may authenticate but holds no ACL, and topics it may not touch
        KAFKA.addScramUser("stranger", "stranger-password");
        KAFKA.prepare(List.<AclBinding>of(), topics("denied."));
        Map<String, String> settings = KAFKA.saslSettings("stranger", "stranger-password");
        settings.putAll(Map.of("kafka.bootstrap.servers", KAFKA.saslServers(), "wm.topic.prefix", "denied.",
                "kafka.application.id", "denied-app"));

        // When it produces or runs the pipeline, then each is denied in one line that points at the ACLs
        assertOneLine(failingCommand("produce", settings, writeLog()), "Kafka denied access", "ACL");
        assertOneLine(failingRun(settings), "Kafka denied access", "ACL");
    }

    @Test
    void givenAWrongHttpKeystorePassword_whenRunStarts_thenOneLineNamesTheKeystoreWithoutThePassword()
            throws Exception {
        // Given an HTTPS keystore and a password that does not open it
        String wrong = "not-the-keystore-password-" + System.nanoTime();
        Map<String, String> settings = new LinkedHashMap<>(Map.of("kafka.bootstrap.servers", KAFKA.operatorServers(),
                "wm.topic.prefix", "keystore.", "kafka.application.id", "keystore-app",
                "wm.http.tls.keystore.location", KAFKA.certificates().keystore("wrong.p12", "localhost").toString(),
                "wm.http.tls.keystore.password", wrong));

        // When run starts, then it stops in one line that names the keystore setting, not the password
        Console console = failingRun(settings);
        assertOneLine(console, "cannot read the HTTP keystore", "wm.http.tls.keystore.location");
        assertThat(console.err()).doesNotContain(wrong);
    }

    /** The pipeline's ACLs and, since one principal also produces and reads the answers here, those roles'. */
    private static List<AclBinding> acls(String principal, String prefix, String appId) {
        List<AclBinding> acls = new ArrayList<>(ApplicationAcls.pipeline(principal, prefix, appId));
        acls.addAll(ApplicationAcls.producer(principal, prefix));
        acls.addAll(ApplicationAcls.outputReader(principal, prefix));
        return acls;
    }

    private static List<String> topics(String prefix) {
        return List.of(prefix + "conversation-events", prefix + "conversation-replies",
                prefix + "conversation-summaries", prefix + "conversation-dead-letters");
    }

    private String writeLog() throws Exception {
        Path log = dir.resolve("events.jsonl");
        if (!Files.exists(log)) {
            Files.writeString(log, LOG);
        }
        return log.toString();
    }

    /** Runs a command with {@code settings} as its --config file and asserts it succeeded. */
    private Console command(String name, Map<String, String> settings, String... args) throws Exception {
        Ran ran = run(name, settings, args);
        assertThat(ran.exitCode).as(ran.console.err()).isEqualTo(ExitCode.OK);
        return ran.console;
    }

    /** Runs a command that must fail, within {@link #FAST}. */
    private Console failingCommand(String name, Map<String, String> settings, String... args) throws Exception {
        long started = System.nanoTime();
        Ran ran = run(name, settings, args);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as(ran.console.err()).isLessThan(FAST);
        assertThat(ran.exitCode).as(ran.console.err()).isEqualTo(ExitCode.FAILURE);
        return ran.console;
    }

    private Console failingRun(Map<String, String> settings) throws Exception {
        long started = System.nanoTime();
        try (SecuredRun run = SecuredRun.start(new EchoPipelineFactory(), dir, "failing-" + System.nanoTime(),
                settings)) {
            assertThat(run.awaitExit(FAST)).as(run.console().err()).isEqualTo(ExitCode.FAILURE);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FAST);
            return run.console();
        }
    }

    private record Ran(Console console, int exitCode) {
    }

    private Ran run(String name, Map<String, String> settings, String... args) throws Exception {
        Path config = SecuredRun.writeConfig(dir.resolve(name + "-" + System.nanoTime() + ".properties"), settings);
        Console console = new Console();
        List<String> argv = new ArrayList<>(List.of(name, "--config", config.toString()));
        argv.addAll(List.of(args));
        int code = new Main(console.context(Map.of(), new EchoPipelineFactory())).execute(argv.toArray(String[]::new));
        return new Ran(console, code);
    }

    /** The command's stderr is one line (no stack trace) holding every fragment. */
    private static void assertOneLine(Console console, String... fragments) {
        List<String> lines = console.err().lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines).as(console.err()).hasSize(1);
        assertThat(lines.get(0)).contains(fragments);
    }

    private static List<OutputWatcher.Output> awaitOutputs(Map<String, String> settings, String prefix, int replies) {
        Properties client = new Properties();
        settings.forEach((key, value) -> {
            if (key.startsWith("kafka.") && !key.equals("kafka.application.id")) {
                client.put(key.substring("kafka.".length()), value);
            }
        });
        List<OutputWatcher.Output> outputs = new ArrayList<>();
        try (OutputWatcher watcher = new OutputWatcher(client, prefix + "conversation-replies",
                prefix + "conversation-summaries")) {
            boolean complete = watcher.watch(outputs::add, () -> outputs.stream()
                    .filter(o -> o instanceof OutputWatcher.ReplyOutput).count() >= replies, Duration.ofSeconds(60));
            assertThat(complete).as("outputs so far: %s", outputs).isTrue();
        }
        return outputs;
    }

    /**
     * Asks both instances for each conversation until its owner answers 200 and the other redirects there, where
     * the redirect, followed by hand, is refused without the token and answered with it.
     */
    private void awaitServedThroughRedirects(List<URI> instances, String token, List<String> ids) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (String id : ids) {
            // Until the rebalance settles one instance may own every partition; then no redirect is given yet.
            while (!servedThroughRedirect(instances, token, id)) {
                assertThat(System.nanoTime()).as("%s: no owner and redirect within 60 s", id).isLessThan(deadline);
                Thread.sleep(200);
            }
        }
    }

    private boolean servedThroughRedirect(List<URI> instances, String token, String id) throws Exception {
        int direct = 0;
        int redirected = 0;
        for (URI instance : instances) {
            HttpResponse<String> response = get(instance.resolve("conversations/" + id), token);
            if (response.statusCode() == 200 && response.body().contains(id)) {
                direct++;
            } else if (response.statusCode() == 307) {
                URI owner = URI.create(response.headers().firstValue("Location").orElseThrow());
                assertThat(get(owner, null).statusCode()).as("the owner wants the token too").isEqualTo(401);
                HttpResponse<String> followed = get(owner, token);
                if (followed.statusCode() == 200 && followed.body().contains(id)) {
                    redirected++;
                }
            }
        }
        return direct == 1 && redirected == 1;
    }

    private HttpResponse<String> get(URI uri, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
