package io.wmstream.app.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.wmstream.app.metrics.AppMetrics;
import io.wmstream.schemas.event.ConversationEventReader;
import io.wmstream.schemas.event.EventLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * wmstream's HTTP interface on the JDK's server: {@code /health}, {@code /ready}, {@code /metrics} and
 * {@code GET /conversations/{id}}. With a token set, every route but {@code /health} wants
 * {@code Authorization: Bearer <token>}: {@code /health} stays open for liveness probes and reveals nothing but a
 * state name, while readiness probes can send the header. With an {@link SSLContext} it serves HTTPS.
 *
 * <p>Requests are bounded before any work: a path of at most {@value #MAX_URI_CHARS} characters (414), headers of
 * at most {@value #MAX_HEADER_BYTES} bytes (431), no body (413), and a conversation id that obeys the rules of an
 * event's {@code conversationId} (400).
 *
 * <p>The socket is bound by {@link #bind}, before the pipeline exists, so that a port of 0 is resolved in time to be
 * advertised as {@code application.server}; routes answer once {@link #start} is called.
 */
public final class HttpApi implements AutoCloseable {
    /** Longest request target accepted. */
    public static final int MAX_URI_CHARS = 2048;
    /** Most bytes of request headers (names and values) accepted. */
    public static final int MAX_HEADER_BYTES = 8192;

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final String CONVERSATIONS = "/conversations/";
    private static final String JSON = "application/json; charset=utf-8";

    private final HttpServer server;
    private final byte[] tokenDigest;
    private final boolean tls;
    private final ExecutorService executor;

    private HttpApi(HttpServer server, String token, boolean tls) {
        this.server = server;
        this.tokenDigest = token == null || token.isEmpty() ? null : sha256(token);
        this.tls = tls;
        // A few threads so that a slow conversation lookup never delays a liveness probe.
        this.executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "wmstream-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
    }

    /** Binds {@code host:port} (port 0 = any free port) for plain HTTP; nothing is served until {@link #start}. */
    public static HttpApi bind(String host, int port, String token) throws IOException {
        return bind(host, port, token, null);
    }

    /** As {@link #bind(String, int, String)}, serving HTTPS with {@code tls} unless it is null. */
    public static HttpApi bind(String host, int port, String token, SSLContext tls) throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (tls == null) {
            return new HttpApi(HttpServer.create(address, 64), token, false);
        }
        HttpsServer server = HttpsServer.create(address, 64);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new HttpApi(server, token, true);
    }

    /** {@code https} or {@code http}. */
    public String scheme() {
        return tls ? "https" : "http";
    }

    /** The bound address, with the real port when 0 was asked for. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /**
     * Starts serving.
     *
     * @param state the pipeline's current state (for the probes)
     * @param lookup how conversations are found
     * @param metrics the Prometheus text of {@code /metrics}
     */
    public void start(Supplier<KafkaStreams.State> state, ConversationLookup lookup, Supplier<String> metrics) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(lookup, "lookup");
        Objects.requireNonNull(metrics, "metrics");
        // Unknown paths want the token too: without it, a client learns nothing, not even which routes exist.
        server.createContext("/", exchange -> handle(exchange, true, () -> notFound(exchange)));
        server.createContext("/health", exchange -> handle(exchange, false,
                exactly(exchange, "/health", () -> health(exchange, state.get()))));
        server.createContext("/ready", exchange -> handle(exchange, true,
                exactly(exchange, "/ready", () -> ready(exchange, state.get()))));
        server.createContext("/metrics", exchange -> handle(exchange, true, exactly(exchange, "/metrics",
                () -> send(exchange, 200, AppMetrics.CONTENT_TYPE, metrics.get().getBytes(StandardCharsets.UTF_8)))));
        server.createContext(CONVERSATIONS, exchange -> handle(exchange, true, () -> conversation(exchange, lookup)));
        server.start();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private interface Route {
        void answer() throws IOException;
    }

    /** Contexts match by prefix ("/health" would answer "/healthz"); routes here mean one exact path. */
    private static Route exactly(HttpExchange exchange, String path, Route route) {
        return () -> {
            if (path.equals(exchange.getRequestURI().getPath())) {
                route.answer();
            } else {
                notFound(exchange);
            }
        };
    }

    private void handle(HttpExchange exchange, boolean protectedRoute, Route route) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                sendText(exchange, 405, "method not allowed");
                return;
            }
            Refusal tooLarge = tooLarge(exchange);
            if (tooLarge != null) {
                sendText(exchange, tooLarge.status(), tooLarge.reason());
                return;
            }
            if (protectedRoute && !authorized(exchange)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"wmstream\"");
                sendText(exchange, 401, "missing or wrong bearer token");
                return;
            }
            route.answer();
        } catch (IOException e) {
            // The client went away mid-answer; nothing to tell it.
            LOG.debug("HTTP exchange failed", e);
        } catch (RuntimeException e) {
            LOG.warn("HTTP {} failed", exchange.getRequestURI(), e);
            sendText(exchange, 500, "internal error: " + e.getClass().getSimpleName());
        }
    }

    /** A request refused before any work: its status and why. */
    private record Refusal(int status, String reason) {
    }

    /** Why the request is refused for its size, or null; a GET or HEAD carries no body, so none is read. */
    private static Refusal tooLarge(HttpExchange exchange) {
        if (exchange.getRequestURI().toString().length() > MAX_URI_CHARS) {
            return new Refusal(414, "path longer than " + MAX_URI_CHARS + " characters");
        }
        long headerBytes = 0;
        Headers headers = exchange.getRequestHeaders();
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            for (String value : header.getValue()) {
                headerBytes += header.getKey().length() + value.length() + 4;
            }
        }
        if (headerBytes > MAX_HEADER_BYTES) {
            return new Refusal(431, "headers larger than " + MAX_HEADER_BYTES + " bytes");
        }
        String length = headers.getFirst("Content-Length");
        if (headers.containsKey("Transfer-Encoding") || (length != null && !"0".equals(length.trim()))) {
            return new Refusal(413, "request body not accepted");
        }
        return null;
    }

    private boolean authorized(HttpExchange exchange) {
        if (tokenDigest == null) {
            return true;
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        // Digests of equal length compared in constant time: neither the bytes nor the length of the token can be
        // learnt from response times.
        return MessageDigest.isEqual(sha256(header.substring(7).trim()), tokenDigest);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private void health(HttpExchange exchange, KafkaStreams.State state) throws IOException {
        boolean alive = state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR
                && state != KafkaStreams.State.NOT_RUNNING;
        sendJson(exchange, alive ? 200 : 503, alive ? "UP" : "DOWN", state);
    }

    private void ready(HttpExchange exchange, KafkaStreams.State state) throws IOException {
        boolean ready = state == KafkaStreams.State.RUNNING;
        sendJson(exchange, ready ? 200 : 503, ready ? "READY" : "NOT_READY", state);
    }

    private void conversation(HttpExchange exchange, ConversationLookup lookup) throws IOException {
        String raw = exchange.getRequestURI().getRawPath();
        if (!raw.startsWith(CONVERSATIONS) || raw.length() == CONVERSATIONS.length()
                || raw.indexOf('/', CONVERSATIONS.length()) >= 0) {
            notFound(exchange);
            return;
        }
        String id;
        try {
            // '+' is a literal in a path, not a space as in a query string.
            id = URLDecoder.decode(raw.substring(CONVERSATIONS.length()).replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            sendText(exchange, 400, "invalid conversation id: a broken %-escape");
            return;
        }
        String problem = ConversationEventReader.conversationIdProblem(id, EventLimits.DEFAULTS);
        if (problem != null) {
            // Not echoed: an id that breaks the rules (control characters, megabytes) is not something to print back.
            sendText(exchange, 400, "invalid conversation id: it " + problem);
            return;
        }
        LookupResult result = lookup.lookup(id);
        if (result instanceof LookupResult.Found found) {
            send(exchange, 200, JSON, found.json());
        } else if (result instanceof LookupResult.NotFound) {
            sendText(exchange, 404, "no conversation " + id);
        } else if (result instanceof LookupResult.Elsewhere elsewhere) {
            URI location = withScheme(elsewhere.location());
            exchange.getResponseHeaders().set("Location", location.toString());
            sendText(exchange, 307, "conversation " + id + " is held by " + location);
        } else if (result instanceof LookupResult.Unavailable unavailable) {
            if (!unavailable.permanent()) {
                exchange.getResponseHeaders().set("Retry-After", "1");
            }
            sendText(exchange, unavailable.permanent() ? 501 : 503, unavailable.reason());
        } else {
            throw new IllegalStateException("unexpected lookup result " + result);
        }
    }

    /**
     * The owner's address with this server's scheme: every instance of one application is configured alike, so an
     * HTTPS instance redirects to HTTPS, and the token never travels in clear to the owner.
     */
    private URI withScheme(URI location) {
        if (!tls || !"http".equals(location.getScheme())) {
            return location;
        }
        return URI.create("https" + location.toString().substring("http".length()));
    }

    private static void notFound(HttpExchange exchange) throws IOException {
        sendText(exchange, 404, "not found: " + exchange.getRequestURI().getPath());
    }

    private static void sendJson(HttpExchange exchange, int status, String verdict, KafkaStreams.State state)
            throws IOException {
        String body = "{\"status\":\"" + verdict + "\",\"state\":\"" + state + "\"}\n";
        send(exchange, status, JSON, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void sendText(HttpExchange exchange, int status, String text) throws IOException {
        send(exchange, status, "text/plain; charset=utf-8", (text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
