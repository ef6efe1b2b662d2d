package io.wmstream.app.pipeline;

import io.wmstream.topology.config.WmConfig;
import java.util.Properties;

/**
 * The seam between the application and the topology: {@code run} and {@code demo} own the lifecycle (broker,
 * topics, HTTP, metrics, start, shutdown); an implementation only builds the {@link Pipeline}.
 */
@FunctionalInterface
public interface PipelineFactory {
    /**
     * Builds the pipeline; its Kafka Streams instance is not started yet.
     *
     * @param config the loaded configuration (topics via {@link WmConfig#topic(String)})
     * @param streamsProperties Streams settings prepared by the application: application id, bootstrap servers,
     *     exactly-once, {@code application.server}, and every {@code kafka.*} override, which must keep winning
     *     over any defaults of the implementation's own
     * @throws Exception when it cannot be built (bad model bundle, ...): reported as one line, exit code 1
     */
    Pipeline create(WmConfig config, Properties streamsProperties) throws Exception;
}
