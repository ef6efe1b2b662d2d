package io.wmstream.app.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.wmstream.app.metrics.AppMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * wmstream's HTTP interface on the JDK's server: {@code /health}, {@code /ready}, {@code /metrics} and
 * {@code GET /conversations/{id}}. With a token set, every route but the two probes wants
 * {@code Authorization: Bearer <token>}; the probes stay open because orchestrators call them without credentials
 * and they reveal nothing but a state name.
 *
 * <p>The socket is bound by {@link #bind}, before the pipeline exists, so that a port of 0 is resolved in time to be
 * advertised as {@code application.server}; routes answer once {@link #start} is called.
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final String CONVERSATIONS = "/conversations/";
    private static final String JSON = "application/json; charset=utf-8";

    private final HttpServer server;
    private final byte[] token;
    private final ExecutorService executor;

    private HttpApi(HttpServer server, String token) {
        this.server = server;
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
        // A few threads so that a slow conversation lookup never delays a liveness probe.
        this.executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "wmstream-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
    }

    /** Binds {@code host:port} (port 0 = any free port); nothing is served until {@link #start}. */
    public static HttpApi bind(String host, int port, String token) throws IOException {
        return new HttpApi(HttpServer.create(new InetSocketAddress(host, port), 64), token);
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
        server.createContext("/", exchange -> handle(exchange, false, () -> notFound(exchange)));
        server.createContext("/health", exchange -> handle(exchange, false,
                exactly(exchange, "/health", () -> health(exchange, state.get()))));
        server.createContext("/ready", exchange -> handle(exchange, false,
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

    private boolean authorized(HttpExchange exchange) {
        if (token == null) {
            return true;
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        // Constant time, so the token cannot be guessed byte by byte from response times.
        return MessageDigest.isEqual(given, token);
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
        // '+' is a literal in a path, not a space as in a query string.
        String id = URLDecoder.decode(raw.substring(CONVERSATIONS.length()).replace("+", "%2B"),
                StandardCharsets.UTF_8);
        LookupResult result = lookup.lookup(id);
        if (result instanceof LookupResult.Found found) {
            send(exchange, 200, JSON, found.json());
        } else if (result instanceof LookupResult.NotFound) {
            sendText(exchange, 404, "no conversation " + id);
        } else if (result instanceof LookupResult.Elsewhere elsewhere) {
            exchange.getResponseHeaders().set("Location", elsewhere.location().toString());
            sendText(exchange, 307, "conversation " + id + " is held by " + elsewhere.location());
        } else if (result instanceof LookupResult.Unavailable unavailable) {
            if (!unavailable.permanent()) {
                exchange.getResponseHeaders().set("Retry-After", "1");
            }
            sendText(exchange, unavailable.permanent() ? 501 : 503, unavailable.reason());
        } else {
            throw new IllegalStateException("unexpected lookup result " + result);
        }
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
