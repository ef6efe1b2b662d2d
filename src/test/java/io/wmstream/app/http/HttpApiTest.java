package io.wmstream.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
    void shouldRequireTheBearerTokenExceptOnProbes() throws Exception {
        // Given a server with a token
        start("s3cret", id -> new LookupResult.NotFound());
        state.set(KafkaStreams.State.RUNNING);

        // Then metrics and conversations want it, the probes do not
        assertThat(get("/metrics", null).statusCode()).isEqualTo(401);
        assertThat(get("/metrics", "wrong").statusCode()).isEqualTo(401);
        assertThat(get("/metrics", "s3cret").statusCode()).isEqualTo(200);
        assertThat(get("/conversations/a", null).statusCode()).isEqualTo(401);
        assertThat(get("/conversations/a", "s3cret").statusCode()).isEqualTo(404);
        assertThat(get("/ready", null).statusCode()).isEqualTo(200);
        assertThat(get("/health", null).statusCode()).isEqualTo(200);
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
