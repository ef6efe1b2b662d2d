package io.wmstream.app.pipeline;

import io.wmstream.topology.config.WmConfig;
import java.util.Properties;

/**
 * The wmstream topology behind {@link PipelineFactory}: what {@code Main} runs.
 *
 * <p>TODO(topology): wire the topology here, e.g.
 * <pre>{@code
 * ConversationModel model = ModelFactory.open(config);
 * Properties properties = WorkingMemoryTopology.streamsProperties(config);
 * properties.putAll(streamsProperties);   // the application's settings and kafka.* overrides win
 * KafkaStreams streams = new KafkaStreams(WorkingMemoryTopology.build(TopologySettings.from(config), model),
 *         properties);
 * return new Pipeline() {
 *     public KafkaStreams streams() { return streams; }
 *     public ConversationLookup lookup(HostInfo self) {
 *         return new RoutingConversationLookup(streams, WorkingMemoryStores.MEMORY_STORE, self, id -> ...);
 *     }
 *     public void close() { model.close(); }   // or: return Pipeline.of(streams, model::close)
 * };
 * }</pre>
 */
public final class TopologyPipelineFactory implements PipelineFactory {
    @Override
    public Pipeline create(WmConfig config, Properties streamsProperties) {
        throw new PipelineUnavailableException("the wmstream topology is not wired into the application yet");
    }
}
