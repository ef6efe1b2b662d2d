package io.wmstream.app.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The metrics {@code /metrics} serves: JVM and process metrics, and every metric of the bound Kafka Streams instance
 * (its threads, tasks, stores, embedded clients, and the sensors the topology registers), in Prometheus format.
 */
public final class AppMetrics implements AutoCloseable {
    /** Content type of {@link #scrape()}. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AutoCloseable> binders = new ArrayList<>();
    private KafkaStreams streams;
    private KafkaStreamsMetrics streamsBinder;
    private Set<MetricName> boundNames = Set.of();

    public AppMetrics() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        binders.add(gc);
    }

    /** Exports every metric of {@code streams}, from now on. */
    public synchronized void bindStreams(KafkaStreams streams) {
        this.streams = streams;
        refreshStreamsMetrics();
    }

    /** The current metrics in the Prometheus text format. */
    public synchronized String scrape() {
        refreshStreamsMetrics();
        return registry.scrape();
    }

    /**
     * Micrometer looks for new Kafka metrics only once a minute, and the topology creates some sensors lazily (a
     * dead-letter reason's counter on its first dead letter, a task's sensors when it is assigned). Rebinding when
     * the set of metric names changed makes them appear at the next scrape instead; values are read from Kafka's
     * registry, so nothing is lost by rebinding.
     */
    private void refreshStreamsMetrics() {
        if (streams == null) {
            return;
        }
        Set<MetricName> names = Set.copyOf(streams.metrics().keySet());
        if (names.equals(boundNames)) {
            return;
        }
        if (streamsBinder != null) {
            streamsBinder.close();
        }
        streamsBinder = new KafkaStreamsMetrics(streams);
        streamsBinder.bindTo(registry);
        boundNames = names;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable binder : binders) {
            try {
                binder.close();
            } catch (Exception ignored) {
                // Closing metrics must never stop a shutdown.
            }
        }
        binders.clear();
        if (streamsBinder != null) {
            streamsBinder.close();
            streamsBinder = null;
        }
        streams = null;
        registry.close();
    }
}
