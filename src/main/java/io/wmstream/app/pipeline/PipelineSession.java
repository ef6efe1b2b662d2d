package io.wmstream.app.pipeline;

import io.wmstream.app.broker.EmbeddedKafka;
import io.wmstream.app.broker.TopicCreator;
import io.wmstream.app.config.StreamsSettings;
import io.wmstream.app.http.ConversationLookup;
import io.wmstream.app.http.HttpApi;
import io.wmstream.app.http.HttpTls;
import io.wmstream.app.metrics.AppMetrics;
import io.wmstream.app.security.KafkaAccessFailures;
import io.wmstream.app.security.SecretSettings;
import io.wmstream.topology.config.WmConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running pipeline with everything around it, shared by {@code run} and {@code demo}: the broker (given, or
 * embedded when {@code kafka.bootstrap.servers} is not set), the topics, metrics, the HTTP server and the Kafka
 * Streams instance from a {@link PipelineFactory}. {@link #close()} stops them in reverse order, each within a
 * bound, so a SIGTERM never hangs.
 */
public final class PipelineSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineSession.class);

    private final Options options;
    private final PrintStream log;
    private final CountDownLatch running = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean failed = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final StreamThreadFailureHandler threadFailures = new StreamThreadFailureHandler(
            System::currentTimeMillis);
    private EmbeddedKafka broker;
    private WmConfig config;
    private String bootstrapServers;
    private AppMetrics metrics;
    private HttpApi http;
    private Pipeline pipeline;
    private KafkaStreams streams;

    /**
     * How a session starts.
     *
     * @param serveHttp whether to bind {@code wm.http.bind}:{@code wm.http.port}
     * @param startTimeout how long to wait for the pipeline to reach RUNNING
     * @param closeTimeout how long Kafka Streams may take to commit, flush and close
     */
    public record Options(boolean serveHttp, Duration startTimeout, Duration closeTimeout) {
        public static final Options RUN = new Options(true, Duration.ofMinutes(5), Duration.ofSeconds(30));
    }

    private PipelineSession(Options options, PrintStream log) {
        this.options = options;
        this.log = log;
    }

    /**
     * Starts everything and waits until the pipeline is RUNNING.
     *
     * @param log where progress lines for the user go (e.g. "started an embedded Kafka broker at ...")
     * @throws PipelineStartException when any part cannot start; everything already started is closed again
     */
    public static PipelineSession start(WmConfig config, PipelineFactory factory, Options options, PrintStream log)
            throws PipelineStartException, InterruptedException {
        PipelineSession session = new PipelineSession(options, log);
        boolean started = false;
        try {
            session.startAll(config, factory);
            started = true;
            return session;
        } finally {
            // Whatever went wrong, Errors included: a started broker's threads would keep the JVM alive.
            if (!started) {
                session.close();
            }
        }
    }

    private void startAll(WmConfig given, PipelineFactory factory) throws PipelineStartException,
            InterruptedException {
        // The keystore first: a wrong path or password is refused before anything touches Kafka.
        SSLContext tls = options.serveHttp() ? httpTls(given) : null;
        config = withBroker(given);
        createTopics();
        metrics = new AppMetrics();
        HostInfo self = null;
        if (options.serveHttp()) {
            self = bindHttp(tls);
        }
        Properties streamsProperties = StreamsSettings.forPipeline(config,
                self == null ? null : self.host() + ":" + self.port());
        try {
            pipeline = factory.create(config, streamsProperties);
            streams = pipeline.streams();
        } catch (PipelineUnavailableException e) {
            throw new PipelineStartException(e.getMessage(), e);
        } catch (InterruptedException e) {
            // A stop requested while the factory waited on the broker: not a failure to build.
            throw e;
        } catch (ConfigException e) {
            // Kafka quotes an invalid value in its message; a secret one must not reach the user's screen.
            throw new PipelineStartException(SecretSettings.of(config).scrub("invalid Kafka Streams setting: "
                    + e.getMessage()), e);
        } catch (Exception e) {
            throw new PipelineStartException(KafkaAccessFailures.oneLine(config, e, "cannot build the pipeline: "
                    + e.getMessage()), e);
        }
        streams.setStateListener(this::onStateChange);
        streams.setUncaughtExceptionHandler(threadFailures);
        // Bound before start, so restoration can be watched too; sensors created later appear at the next scrape.
        metrics.bindStreams(streams);
        if (http != null) {
            ConversationLookup lookup = pipeline.lookup(self);
            http.start(streams::state, lookup, metrics::scrape);
        }
        streams.start();
        if (!running.await(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            throw new PipelineStartException("the pipeline did not reach RUNNING within "
                    + options.startTimeout().toSeconds() + " s (state " + streams.state() + ")", null);
        }
        if (failed.get()) {
            throw new PipelineStartException(failureReason().map(reason -> "the pipeline failed while starting: "
                    + reason).orElse("the pipeline failed while starting (state " + streams.state()
                    + "); see the log above"), null);
        }
    }

    private WmConfig withBroker(WmConfig given) throws PipelineStartException {
        Object configured = given.kafkaProperties().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        if (configured != null && !configured.toString().isBlank()) {
            bootstrapServers = configured.toString();
            return given;
        }
        try {
            broker = EmbeddedKafka.start();
        } catch (EmbeddedKafka.BrokerStartException e) {
            throw new PipelineStartException(e.getMessage(), e);
        }
        bootstrapServers = broker.bootstrapServers();
        log.println("started an embedded Kafka broker at " + bootstrapServers);
        Map<Object, Object> settings = new HashMap<>(given.originals());
        settings.put(WmConfig.KAFKA_PREFIX + CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return new WmConfig(settings);
    }

    private void createTopics() throws PipelineStartException, InterruptedException {
        Properties adminProperties = StreamsSettings.forClients(config);
        adminProperties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        adminProperties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        Admin admin;
        try {
            admin = Admin.create(adminProperties);
        } catch (KafkaException e) {
            throw startFailure("cannot set up a Kafka client for " + bootstrapServers + ": " + e.getMessage(), e);
        }
        boolean done = false;
        try {
            List<String> created = new TopicCreator(admin).createMissing(config);
            if (!created.isEmpty()) {
                log.println("created topics " + String.join(", ", created) + " ("
                        + config.getInt(WmConfig.TOPIC_PARTITIONS_CONFIG) + " partitions, replication "
                        + config.getShort(WmConfig.TOPIC_REPLICATION_FACTOR_CONFIG) + ")");
            }
            done = true;
        } catch (ExecutionException e) {
            throw startFailure("cannot create topics on " + bootstrapServers + ": " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new PipelineStartException("cannot reach Kafka at " + bootstrapServers
                    + " (no answer within 60 s)", e);
        } catch (KafkaException e) {
            throw startFailure("cannot talk to Kafka at " + bootstrapServers + ": " + e.getMessage(), e);
        } finally {
            // A plain close waits for calls still pending (up to their timeout): after a failure or a stop
            // request nothing pending is wanted any more.
            admin.close(done ? Duration.ofSeconds(10) : Duration.ZERO);
        }
    }

    /** A security refusal named as such (it is final: no retry helps); secrets never in the line. */
    private PipelineStartException startFailure(String otherwise, Exception cause) {
        return new PipelineStartException(KafkaAccessFailures.oneLine(config, cause, otherwise), cause);
    }

    /**
     * Why the pipeline failed, in one line without secrets, when a stream thread died of an exception; empty when
     * it did not fail or failed otherwise.
     */
    public Optional<String> failureReason() {
        Optional<Throwable> fatal = threadFailures.fatalFailure();
        if (fatal.isEmpty()) {
            return Optional.empty();
        }
        Throwable failure = fatal.get();
        return Optional.of(KafkaAccessFailures.oneLine(config, failure, firstLine(String.valueOf(
                rootCause(failure).getMessage()))));
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private HostInfo bindHttp(SSLContext tls) throws PipelineStartException {
        String bind = config.getString(WmConfig.HTTP_BIND_CONFIG);
        int port = config.getInt(WmConfig.HTTP_PORT_CONFIG);
        try {
            http = HttpApi.bind(bind, port, config.getPassword(WmConfig.HTTP_TOKEN_CONFIG).value(), tls);
        } catch (IOException e) {
            throw new PipelineStartException("cannot serve HTTP on " + bind + ":" + port + ": " + e.getMessage(), e);
        }
        InetSocketAddress address = http.address();
        Object advertised = config.kafkaProperties().get(StreamsConfig.APPLICATION_SERVER_CONFIG);
        if (advertised != null) {
            try {
                return HostInfo.buildFromEndpoint(advertised.toString());
            } catch (ConfigException e) {
                throw new PipelineStartException("invalid kafka.application.server: " + e.getMessage(), e);
            }
        }
        return new HostInfo(advertisedHost(address), address.getPort());
    }

    /** The HTTPS context of {@code wm.http.tls.keystore.*}, or null for plain HTTP. */
    private static SSLContext httpTls(WmConfig config) throws PipelineStartException {
        String location = config.getString(WmConfig.HTTP_TLS_KEYSTORE_LOCATION_CONFIG);
        if (location.isBlank()) {
            return null;
        }
        try {
            return HttpTls.fromKeystore(Path.of(location),
                    config.getPassword(WmConfig.HTTP_TLS_KEYSTORE_PASSWORD_CONFIG).value().toCharArray(),
                    config.getString(WmConfig.HTTP_TLS_KEYSTORE_TYPE_CONFIG));
        } catch (IOException | GeneralSecurityException e) {
            throw new PipelineStartException(SecretSettings.of(config).scrub("cannot read the HTTP keystore "
                    + location + " (" + WmConfig.HTTP_TLS_KEYSTORE_LOCATION_CONFIG + "): " + e.getMessage()), e);
        }
    }

    /** A name other instances can reach: the bind address, or this machine's name when bound to all addresses. */
    private static String advertisedHost(InetSocketAddress address) {
        if (!address.getAddress().isAnyLocalAddress()) {
            return address.getAddress().getHostAddress();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private void onStateChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
        LOG.info("pipeline state {} -> {}", oldState, newState);
        if (newState == KafkaStreams.State.RUNNING) {
            running.countDown();
        }
        if (newState == KafkaStreams.State.ERROR || newState == KafkaStreams.State.PENDING_ERROR) {
            failed.set(true);
            running.countDown();
            stopped.countDown();
        }
    }

    /** The address the pipeline's clients use. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** True when this session started its own broker. */
    public boolean embeddedBroker() {
        return broker != null;
    }

    /** The configuration the pipeline runs with, {@code kafka.bootstrap.servers} included. */
    public WmConfig config() {
        return config;
    }

    /** {@code https} when {@code wm.http.tls.keystore.location} is set, {@code http} otherwise or when HTTP is off. */
    public String httpScheme() {
        return http == null ? "http" : http.scheme();
    }

    /** The HTTP address, or null when HTTP is off. */
    public InetSocketAddress httpAddress() {
        return http == null ? null : http.address();
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** Asks {@link #awaitStop()} to return; safe from any thread, e.g. a shutdown hook. */
    public void requestStop() {
        stopped.countDown();
    }

    /**
     * Blocks until {@link #requestStop()} is called or the pipeline fails.
     *
     * @return true when the pipeline failed
     */
    public boolean awaitStop() throws InterruptedException {
        stopped.await();
        return failed.get();
    }

    /** Stops Streams (commit, flush, within the close timeout), then HTTP, metrics and the broker. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // An interrupted start-up (SIGTERM) must still close in order: waits below would end at once otherwise.
        boolean interrupted = Thread.interrupted();
        if (streams != null && !streams.close(options.closeTimeout())) {
            LOG.warn("Kafka Streams did not close within {}", options.closeTimeout());
        }
        if (pipeline != null) {
            try {
                pipeline.close();
            } catch (RuntimeException e) {
                LOG.warn("the pipeline did not release its resources cleanly: {}", e.toString());
            }
        }
        if (http != null) {
            http.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The pipeline could not be started; the message is one line for the user. */
    public static final class PipelineStartException extends Exception {
        public PipelineStartException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
