package io.wmstream.app.pipeline;

import io.wmstream.app.http.ConversationLookup;
import io.wmstream.app.http.RoutingConversationLookup;
import io.wmstream.model.ConversationModel;
import io.wmstream.topology.WorkingMemoryTopology;
import io.wmstream.topology.config.ModelFactory;
import io.wmstream.topology.config.TopologySettings;
import io.wmstream.topology.config.WmConfig;
import io.wmstream.topology.memory.MemoryRecordLimit;
import io.wmstream.topology.memory.ModelStamp;
import io.wmstream.topology.processor.WorkingMemoryStores;
import io.wmstream.topology.query.MemoryQueries;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

/** The wmstream topology behind {@link PipelineFactory}: what {@code Main} runs. */
public final class TopologyPipelineFactory implements PipelineFactory {
    @Override
    public Pipeline create(WmConfig config, Properties streamsProperties) {
        TopologySettings settings = TopologySettings.from(config);
        ConversationModel model = ModelFactory.open(config);
        try {
            Properties properties = WorkingMemoryTopology.streamsProperties(config);
            // The application's settings, kafka.* overrides included, win over the topology's defaults.
            properties.putAll(streamsProperties);
            try {
                MemoryRecordLimit.check(settings.memoryLimits(), ModelStamp.of(model.info()), properties);
            } catch (IllegalArgumentException e) {
                throw new PipelineUnavailableException(e.getMessage(), e);
            }
            var streams = new KafkaStreams(WorkingMemoryTopology.build(settings, model), properties);
            var queries = new MemoryQueries(streams, settings.summaryComposer());
            return new Pipeline() {
                @Override
                public KafkaStreams streams() {
                    return streams;
                }

                @Override
                public ConversationLookup lookup(HostInfo self) {
                    return new RoutingConversationLookup(streams, WorkingMemoryStores.MEMORY_STORE, self,
                            queries::conversationJson);
                }

                @Override
                public void close() {
                    model.close();
                }
            };
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }
}
