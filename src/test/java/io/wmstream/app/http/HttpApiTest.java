package io.wmstream.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wmstream.app.testing.TestCertificates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpApiTest {
    private final AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.REBALANCING);
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private HttpApi api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void shouldBeReadyOnlyWhileRunning() throws Exception {
        // Given a pipeline that is still rebalancing
        start(null, id -> new LookupResult.NotFound());

        // Then it is alive but not ready
        assertThat(get("/health", null).statusCode()).isEqualTo(200);
        HttpResponse<String> notReady = get("/ready", null);
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).contains("REBALANCING");

        // When it reaches RUNNING, it is ready
        state.set(KafkaStreams.State.RUNNING);
        assertThat(get("/ready", null).statusCode()).isEqualTo(200);

        // And when it fails, it is neither
        state.set(KafkaStreams.State.ERROR);
        assertThat(get("/ready", null).statusCode()).isEqualTo(503);
        assertThat(get("/health", null).statusCode()).isEqualTo(503);
    }

    @Test
    void shouldServeMetricsInPrometheusTextFormat() throws Exception {
        start(null, id -> new LookupResult.NotFound());

        HttpResponse<String> metrics = get("/metrics", null);

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValue(
                "text/plain; version=0.0.4; charset=utf-8");
        assertThat(metrics.body()).contains("# TYPE demo_metric counter");
    }

    @Test
    void shouldAnswerAConversationFromTheLookup() throws Exception {
        // Given a lookup that knows conversation "c 1/x"
        start(null, id -> "c 1+x".equals(id)
                ? new LookupResult.Found("{\"turns\":3}".getBytes(StandardCharsets.UTF_8))
                : new LookupResult.NotFound());

        // When it is asked for it, with the id escaped in the path
        HttpResponse<String> found = get("/conversations/c%201+x", null);

        // Then the JSON comes back, and an unknown id is a 404
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(found.body()).isEqualTo("{\"turns\":3}");
        assertThat(found.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(get("/conversations/other", null).statusCode()).isEqualTo(404);
    }

    @Test
    void shouldRedirectToTheOwningInstance() throws Exception {
        start(null, id -> new LookupResult.Elsewhere(URI.create("http://host-b:8080/conversations/" + id)));

        HttpResponse<String> response = get("/conversations/abc", null);

        assertThat(response.statusCode()).isEqualTo(307);
        assertThat(response.headers().firstValue("Location")).hasValue("http://host-b:8080/conversations/abc");
    }

    @Test
    void shouldSay503WhileTheOwnerIsUnknownAnd501WhenQueriesAreNotWired() throws Exception {
        start(null, id -> "busy".equals(id) ? new LookupResult.Unavailable("rebalancing", false)
                : ConversationLookup.NOT_AVAILABLE.lookup(id));

        HttpResponse<String> busy = get("/conversations/busy", null);
        assertThat(busy.statusCode()).isEqualTo(503);
        assertThat(busy.headers().firstValue("Retry-After")).isPresent();
        assertThat(get("/conversations/x", null).statusCode()).isEqualTo(501);
    }

    @Test
    void shouldRequireTheBearerTokenOnEveryRouteButHealth() throws Exception {
        // Given a server with a token
        start("s3cret-token", id -> new LookupResult.NotFound());
        state.set(KafkaStreams.State.RUNNING);

        // Then every route but /health refuses a request without it, with a wrong, a shorter or a longer one
        for (String path : List.of("/ready", "/metrics", "/conversations/a", "/nothing")) {
            for (String wrong : Arrays.asList(null, "wrong", "s3cret", "s3cret-token-", "S3CRET-TOKEN")) {
                HttpResponse<String> refused = get(path, wrong);
                assertThat(refused.statusCode()).as("%s with %s", path, wrong).isEqualTo(401);
                assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"wmstream\"");
                assertThat(refused.body()).doesNotContain("s3cret");
            }
        }
        // And answers it with the token, while /health needs none
        assertThat(get("/ready", "s3cret-token").statusCode()).isEqualTo(200);
        assertThat(get("/metrics", "s3cret-token").statusCode()).isEqualTo(200);
        assertThat(get("/conversations/a", "s3cret-token").statusCode()).isEqualTo(404);
        assertThat(get("/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldRefuseOversizedRequestsBeforeAnyLookup() throws Exception {
        // Given a server whose lookup counts its calls
        AtomicInteger lookups = new AtomicInteger();
        start(null, id -> {
            lookups.incrementAndGet();
            return new LookupResult.NotFound();
        });

        // When a path, the headers or a body are too large, then each is refused with its own status
        assertThat(get("/conversations/" + "a".repeat(HttpApi.MAX_URI_CHARS), null).statusCode()).isEqualTo(414);
        HttpRequest.Builder bigHeaders = HttpRequest.newBuilder(uri("/conversations/a")).GET();
        for (int i = 0; i < 10; i++) {
            bigHeaders.header("X-Filler-" + i, "f".repeat(HttpApi.MAX_HEADER_BYTES / 10));
        }
        assertThat(client.send(bigHeaders.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(431);
        HttpRequest withBody = HttpRequest.newBuilder(uri("/conversations/a"))
                .method("GET", HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build();
        assertThat(client.send(withBody, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(413);

        // And nothing was looked up
        assertThat(lookups).hasValue(0);
    }

    @Test
    void shouldRefuseAConversationIdThatNoEventCouldCarry() throws Exception {
        // Given a server whose lookup records what it is asked
        List<String> asked = new CopyOnWriteArrayList<>();
        start(null, id -> {
            asked.add(id);
            return new LookupResult.NotFound();
        });

        // When ids with a control character or of 201 characters are asked for
        HttpResponse<String> control = get("/conversations/a%07b", null);
        HttpResponse<String> tooLong = get("/conversations/" + "x".repeat(201), null);

        // Then each is a 400 that names the rule, and only the id of 200 characters reaches the lookup
        assertThat(control.statusCode()).isEqualTo(400);
        assertThat(control.body()).contains("control characters");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.body()).contains("limit 200").doesNotContain("xxxx");
        assertThat(get("/conversations/" + "x".repeat(200), null).statusCode()).isEqualTo(404);
        assertThat(asked).containsExactly("x".repeat(200));
    }

    @Test
    void shouldServeHttpsFromAKeystoreAndRedirectToHttps(@TempDir Path dir) throws Exception {
        // Given a server with a keystore made for localhost, and a client that trusts its authority
        TestCertificates certificates = TestCertificates.create(dir);
        SSLContext serverTls = HttpTls.fromKeystore(certificates.keystore("http.p12", "localhost"),
                certificates.password().toCharArray(), "PKCS12");
        api = HttpApi.bind("127.0.0.1", 0, "tls-token", serverTls);
        api.start(state::get, id -> new LookupResult.Elsewhere(URI.create("http://host-b:8080/conversations/" + id)),
                () -> "");
        HttpClient tlsClient = HttpClient.newBuilder().sslContext(certificates.trustingContext())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        URI base = URI.create("https://localhost:" + api.address().getPort());

        // When it is asked over HTTPS, and over plain HTTP
        HttpResponse<String> health = tlsClient.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> redirect = tlsClient.send(HttpRequest.newBuilder(base.resolve("/conversations/c1"))
                .header("Authorization", "Bearer tls-token").build(), HttpResponse.BodyHandlers.ofString());

        // Then HTTPS answers, its redirects stay on HTTPS, and plain HTTP gets nothing
        assertThat(api.scheme()).isEqualTo("https");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(redirect.statusCode()).isEqualTo(307);
        assertThat(redirect.headers().firstValue("Location")).hasValue("https://host-b:8080/conversations/c1");
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                + api.address().getPort() + "/health")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    @Test
    void shouldRefuseOtherMethodsAndUnknownPaths() throws Exception {
        start(null, id -> new LookupResult.NotFound());

        HttpResponse<String> post = client.send(HttpRequest.newBuilder(uri("/conversations/a"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(get("/nothing", null).statusCode()).isEqualTo(404);
        assertThat(get("/healthz", null).statusCode()).isEqualTo(404);
        assertThat(get("/conversations/", null).statusCode()).isEqualTo(404);
        assertThat(get("/conversations/a/b", null).statusCode()).isEqualTo(404);
    }

    private void start(String token, ConversationLookup lookup) throws IOException {
        api = HttpApi.bind("127.0.0.1", 0, token);
        api.start(state::get, lookup, () -> "# TYPE demo_metric counter\ndemo_metric_total 1.0\n");
    }

    private HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + api.address().getPort() + path);
    }
}
