package io.wmstream.app.pipeline;

import io.wmstream.topology.config.WmConfig;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The wmstream topology behind {@link PipelineFactory}: what {@code Main} runs.
 *
 * <p>TODO(topology): build the topology here, e.g. {@code new KafkaStreams(WmTopology.build(config), props)}, and
 * override {@code lookup} with a {@link io.wmstream.app.http.RoutingConversationLookup} over the memory store.
 */
public final class TopologyPipelineFactory implements PipelineFactory {
    @Override
    public KafkaStreams create(WmConfig config, Properties streamsProperties) {
        throw new PipelineUnavailableException("the wmstream topology is not wired into the application yet");
    }
}
