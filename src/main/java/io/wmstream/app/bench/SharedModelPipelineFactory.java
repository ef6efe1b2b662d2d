package io.wmstream.app.bench;

import io.wmstream.app.pipeline.Pipeline;
import io.wmstream.app.pipeline.PipelineFactory;
import io.wmstream.topology.WorkingMemoryTopology;
import io.wmstream.topology.config.TopologySettings;
import io.wmstream.topology.config.WmConfig;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The production topology over a model that the benchmark opened once and closes itself, so every phase runs the
 * same warmed-up model session and none pays for loading it again.
 */
final class SharedModelPipelineFactory implements PipelineFactory {
    private final CountingModel model;

    /** Every call of the pipeline goes through {@code model}, which counts them. */
    SharedModelPipelineFactory(CountingModel model) {
        this.model = model;
    }

    @Override
    public Pipeline create(WmConfig config, Properties streamsProperties) {
        Properties properties = WorkingMemoryTopology.streamsProperties(config);
        properties.putAll(streamsProperties);
        var streams = new KafkaStreams(WorkingMemoryTopology.build(TopologySettings.from(config), model), properties);
        return Pipeline.of(streams, () -> { });
    }
}
