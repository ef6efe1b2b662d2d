package io.wmstream.app.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) in this JVM, for {@code demo}, for
 * {@code run} without {@code --bootstrap-servers}, and for integration tests. Its data lives in a temporary
 * directory that is deleted on close.
 *
 * <p>It is Kafka's own server ({@link KafkaRaftServer}, what {@code kafka.Kafka} and {@code ops/kafka-broker} run),
 * formatted with Kafka's own storage tool, with the settings of {@code ops/kafka-broker}; no test kit is involved.
 * Listeners that ask for port 0 get a free port picked here, since the controller's address must be known before
 * it starts; a start that loses a picked port to another process is retried with new ports.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    /** The plain listener clients use; {@link #bootstrapServers()} names it. */
    static final String CLIENT_LISTENER = "EXTERNAL";
    /** The controller's listener, which the broker half of the node reaches the controller half on. */
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String HOST = "localhost";
    private static final int START_ATTEMPTS = 3;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;
    private final Path directory;
    private final Map<String, Integer> ports;

    private EmbeddedKafka(KafkaRaftServer server, Path directory, Map<String, Integer> ports) {
        this.server = server;
        this.directory = directory;
        this.ports = ports;
    }

    /** Formats the storage, starts the node and waits until its broker accepts clients. */
    public static EmbeddedKafka start() throws BrokerStartException {
        return start(Map.of());
    }

    /**
     * As {@link #start()}, with broker settings added or replacing the defaults: extra listeners (TLS, SASL), an
     * authorizer, log-cleaner timings. A {@code listeners} setting must keep the {@code EXTERNAL} (plain, the one
     * {@link #bootstrapServers()} names) and {@code CONTROLLER} listeners; its port-0 listeners get free ports,
     * which {@link #boundPort(String)} reports.
     */
    public static EmbeddedKafka start(Map<String, String> brokerSettings) throws BrokerStartException {
        BindException lastBindFailure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return startOnce(brokerSettings);
            } catch (BindException e) {
                // Another process took a picked port between picking and binding; new ports, new try.
                lastBindFailure = e;
                LOG.info("the embedded Kafka broker lost a picked port ({}); retrying with new ports", e.getMessage());
            }
        }
        throw new BrokerStartException("cannot start the embedded Kafka broker: no free ports after "
                + START_ATTEMPTS + " attempts", lastBindFailure);
    }

    private static EmbeddedKafka startOnce(Map<String, String> brokerSettings)
            throws BrokerStartException, BindException {
        Path directory = null;
        KafkaRaftServer server = null;
        try {
            directory = Files.createTempDirectory("wmstream-kafka");
            Map<String, Integer> ports = listenerPorts(brokerSettings.getOrDefault("listeners",
                    CLIENT_LISTENER + "://" + HOST + ":0," + CONTROLLER_LISTENER + "://" + HOST + ":0"));
            Properties properties = serverProperties(directory, ports, brokerSettings);
            Path config = directory.resolve("server.properties");
            try (Writer writer = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
                properties.store(writer, "written by wmstream's EmbeddedKafka");
            }
            format(config);
            server = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
            server.startup();
            EmbeddedKafka kafka = new EmbeddedKafka(server, directory, ports);
            kafka.awaitReady();
            return kafka;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopQuietly(server, directory);
            throw new BrokerStartException("interrupted while starting the embedded Kafka broker", e);
        } catch (Exception e) {
            stopQuietly(server, directory);
            BindException bind = bindFailure(e);
            if (bind != null) {
                throw bind;
            }
            throw new BrokerStartException("cannot start the embedded Kafka broker: " + e.getMessage(), e);
        }
    }

    /**
     * The settings of {@code ops/kafka-broker}'s server.properties, for a node whose ports are {@code ports}, then
     * the caller's settings on top.
     */
    private static Properties serverProperties(Path directory, Map<String, Integer> ports,
                                               Map<String, String> brokerSettings) {
        List<String> listeners = new ArrayList<>();
        List<String> advertised = new ArrayList<>();
        ports.forEach((name, port) -> {
            listeners.add(name + "://" + HOST + ":" + port);
            if (!name.equals(CONTROLLER_LISTENER)) {
                advertised.add(name + "://" + HOST + ":" + port);
            }
        });
        Properties properties = new Properties();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", "1");
        properties.put("listener.security.protocol.map",
                CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        properties.put("inter.broker.listener.name", CLIENT_LISTENER);
        properties.put("controller.listener.names", CONTROLLER_LISTENER);
        properties.put("log.dirs", directory.resolve("logs").toString());
        properties.put("num.partitions", "3");
        // Topics must come from the topic creator with the configured partitions, never by accident.
        properties.put("auto.create.topics.enable", "false");
        // Internal topics default to three replicas; on one node exactly-once would wait forever for a transaction
        // log that can never be created.
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("offsets.topic.num.partitions", "3");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("transaction.state.log.num.partitions", "3");
        properties.put("share.coordinator.state.topic.replication.factor", "1");
        properties.put("share.coordinator.state.topic.min.isr", "1");
        properties.put("group.initial.rebalance.delay.ms", "0");
        // A crashed member's open transaction is aborted within a second of its timeout, not ten.
        properties.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        properties.putAll(brokerSettings);
        // The resolved addresses replace whatever port-0 form the caller gave.
        properties.put("listeners", String.join(",", listeners));
        properties.put("advertised.listeners", String.join(",", advertised));
        properties.put("controller.quorum.bootstrap.servers", HOST + ":" + ports.get(CONTROLLER_LISTENER));
        return properties;
    }

    /** {@code NAME://host:port,...} to listener names and ports, a free port for each port 0. */
    private static Map<String, Integer> listenerPorts(String listeners) throws IOException {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String listener : listeners.split(",")) {
            String trimmed = listener.trim();
            int scheme = trimmed.indexOf("://");
            int colon = trimmed.lastIndexOf(':');
            if (scheme <= 0 || colon <= scheme) {
                throw new IllegalArgumentException("a listener must read NAME://host:port: " + trimmed);
            }
            String name = trimmed.substring(0, scheme).toUpperCase(Locale.ROOT);
            int port = Integer.parseInt(trimmed.substring(colon + 1));
            ports.put(name, port == 0 ? freePort() : port);
        }
        for (String required : List.of(CLIENT_LISTENER, CONTROLLER_LISTENER)) {
            if (!ports.containsKey(required)) {
                throw new IllegalArgumentException("the listeners must include " + required + ": " + listeners);
            }
        }
        return ports;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    /**
     * Formats the node's storage as {@code ops/kafka-broker} does ({@code kafka-storage format --standalone}).
     * The tool prints its bootstrap records, which would end up in the middle of a command's output: muted.
     */
    private static void format(Path config) {
        PrintStream muted = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        String[] arguments = {"format", "--standalone", "--config", config.toString(), "--cluster-id",
            Uuid.randomUuid().toString()};
        int exit = StorageTool.execute(arguments, muted);
        if (exit != 0) {
            throw new IllegalStateException("formatting the broker's storage failed (exit " + exit + ")");
        }
    }

    /** Waits until the broker is registered and unfenced: the point from which clients are served. */
    private void awaitReady() throws InterruptedException, BrokerStartException {
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin client = Admin.create(admin)) {
            while (System.nanoTime() < deadline) {
                try {
                    // Fenced brokers are left out of the answer, so one node means one broker serving.
                    if (client.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() == 1) {
                        return;
                    }
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    LOG.debug("embedded Kafka broker not ready yet: {}", e.toString());
                }
                Thread.sleep(50);
            }
        }
        throw new BrokerStartException("the embedded Kafka broker did not serve within " + READY_TIMEOUT.toSeconds()
                + " s", null);
    }

    /** The address clients connect to, e.g. {@code localhost:40123}. */
    public String bootstrapServers() {
        return HOST + ":" + ports.get(CLIENT_LISTENER);
    }

    /** The port the broker bound for {@code listener} (a name from the {@code listeners} setting). */
    public int boundPort(String listener) {
        Integer port = ports.get(listener.toUpperCase(Locale.ROOT));
        if (port == null) {
            throw new IllegalArgumentException("no listener " + listener + "; listeners: " + ports.keySet());
        }
        return port;
    }

    /** Stops the node and deletes its data; a failure to stop cleanly is logged, since the data is disposable. */
    @Override
    public void close() {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("the embedded Kafka broker did not stop cleanly: {}", e.toString());
        }
        deleteQuietly(directory);
    }

    private static BindException bindFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException bind) {
                return bind;
            }
        }
        return null;
    }

    private static void stopQuietly(KafkaRaftServer server, Path directory) {
        if (server != null) {
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException ignored) {
                // Already failing to start; the start failure is the error worth reporting.
            }
        }
        deleteQuietly(directory);
    }

    private static void deleteQuietly(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.debug("could not delete the embedded Kafka broker's data {}: {}", directory, e.toString());
        }
    }

    /** The broker could not be started. */
    public static final class BrokerStartException extends Exception {
        public BrokerStartException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
