package io.wmstream.app.pipeline;

import io.wmstream.app.config.StreamsSettings;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

/** The wmstream topology behind {@link PipelineFactory}: what {@code Main} runs. */
public final class TopologyPipelineFactory implements PipelineFactory {
    @Override
    public Pipeline create(WmConfig config, Properties streamsProperties) throws ExecutionException,
            InterruptedException {
        TopologySettings settings = TopologySettings.from(config);
        ConversationModel model = ModelFactory.open(config);
        try {
            Properties properties = WorkingMemoryTopology.streamsProperties(config);
            // The application's settings, kafka.* overrides included, win over the topology's defaults.
            properties.putAll(streamsProperties);
            ModelStamp stamp = ModelStamp.of(model.info());
            try {
                MemoryRecordLimit.check(settings.memoryLimits(), stamp, properties);
            } catch (IllegalArgumentException e) {
                throw new PipelineUnavailableException(e.getMessage(), e);
            }
            checkExistingChangelog(config, properties, MemoryRecordLimit.recordBytes(settings.memoryLimits(), stamp));
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
        } catch (RuntimeException | ExecutionException | InterruptedException e) {
            model.close();
            throw e;
        }
    }

    /**
     * The working-memory changelog of an earlier deployment keeps its own {@code max.message.bytes}: checked on the
     * broker before anything is consumed.
     */
    private static void checkExistingChangelog(WmConfig config, Properties streamsProperties, long neededBytes)
            throws ExecutionException, InterruptedException {
        String applicationId = streamsProperties.get(StreamsConfig.APPLICATION_ID_CONFIG).toString();
        String topic = MemoryChangelogCheck.changelogTopic(applicationId, WorkingMemoryStores.MEMORY_STORE);
        Properties adminProperties = StreamsSettings.forClients(config);
        adminProperties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        adminProperties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        try (Admin admin = Admin.create(adminProperties)) {
            new MemoryChangelogCheck(admin, String.valueOf(streamsProperties.get(
                    StreamsConfig.BOOTSTRAP_SERVERS_CONFIG))).check(topic, neededBytes);
        } catch (TimeoutException e) {
            throw new PipelineUnavailableException("cannot check the working-memory changelog " + topic
                    + ": Kafka did not answer within 30 s", e);
        }
    }
}
