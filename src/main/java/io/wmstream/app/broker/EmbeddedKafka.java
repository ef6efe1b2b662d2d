package io.wmstream.app.broker;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) in this JVM, for {@code demo}, for
 * {@code run} without {@code --bootstrap-servers}, and for integration tests. Its data lives in a temporary
 * directory that is deleted on close.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final KafkaClusterTestKit cluster;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** Formats the storage, starts the node and waits until its broker accepts clients. */
    public static EmbeddedKafka start() throws BrokerStartException {
        return start(Map.of());
    }

    /**
     * As {@link #start()}, with broker settings added or replacing the defaults: extra listeners (TLS, SASL), an
     * authorizer, log-cleaner timings. The test kit's own listener stays the one {@link #bootstrapServers()} names.
     */
    public static EmbeddedKafka start(Map<String, String> brokerSettings) throws BrokerStartException {
        KafkaClusterTestKit cluster = null;
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes)
                    // Internal topics default to three replicas; on one node exactly-once would wait forever
                    // for a transaction log that can never be created.
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "3")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("transaction.state.log.num.partitions", "3")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    // A crashed member's open transaction is aborted within a second of its timeout, not ten.
                    .setConfigProp("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000")
                    // Topics must come from the topic creator with the configured partitions, never by accident.
                    .setConfigProp("auto.create.topics.enable", "false");
            brokerSettings.forEach(builder::setConfigProp);
            cluster = builder.build();
            formatQuietly(cluster);
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new EmbeddedKafka(cluster);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(cluster);
            throw new BrokerStartException("interrupted while starting the embedded Kafka broker", e);
        } catch (Exception e) {
            closeQuietly(cluster);
            throw new BrokerStartException("cannot start the embedded Kafka broker: " + e.getMessage(), e);
        }
    }

    /**
     * Formats the node's storage. Kafka's formatter prints its bootstrap records on stdout, which would end up in the
     * middle of a command's output; stdout is muted for the few milliseconds it takes.
     */
    private static void formatQuietly(KafkaClusterTestKit cluster) throws Exception {
        PrintStream stdout = System.out;
        synchronized (EmbeddedKafka.class) {
            System.setOut(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
            try {
                cluster.format();
            } finally {
                System.setOut(stdout);
            }
        }
    }

    /** The address clients connect to, e.g. {@code localhost:40123}. */
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** The port the broker bound for {@code listener} (a name from the {@code listeners} setting). */
    public int boundPort(String listener) {
        return cluster.brokers().values().iterator().next().boundPort(ListenerName.normalised(listener));
    }

    /** Stops the node and deletes its data; a failure to stop cleanly is logged, since the data is disposable. */
    @Override
    public void close() {
        try {
            cluster.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("the embedded Kafka broker did not stop cleanly: {}", e.toString());
        }
    }

    private static void closeQuietly(KafkaClusterTestKit cluster) {
        if (cluster == null) {
            return;
        }
        try {
            cluster.close();
        } catch (Exception ignored) {
            // Already failing to start; the start failure is the error worth reporting.
        }
    }

    /** The broker could not be started. */
    public static final class BrokerStartException extends Exception {
        public BrokerStartException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
