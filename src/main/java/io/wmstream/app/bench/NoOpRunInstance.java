package io.wmstream.app.bench;

import io.wmstream.app.Main;
import io.wmstream.app.cli.CommandContext;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.pipeline.Pipeline;
import io.wmstream.app.pipeline.PipelineFactory;
import io.wmstream.model.ConversationModel;
import io.wmstream.model.ModelInfo;
import io.wmstream.topology.WorkingMemoryTopology;
import io.wmstream.topology.config.ModelFactory;
import io.wmstream.topology.config.TopologySettings;
import io.wmstream.topology.config.WmConfig;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;

/**
 * {@code wmstream run} with the {@link NoOpModel} in place of the real one: the child process that
 * {@code recovery-bench} fills, kills and restarts. Everything but the model is the real command (broker
 * connection, topic creation, HTTP, metrics, exactly-once, the stores and their settings), so what it measures is
 * what the state costs, not what the model costs. Not a command a user is offered.
 */
public final class NoOpRunInstance {
    private NoOpRunInstance() {
    }

    /** {@code args} are {@code run}'s, e.g. {@code run --bootstrap-servers localhost:9092 --set ...}. */
    public static void main(String[] args) {
        CommandContext context = new CommandContext(System.out, System.err, System.getenv(), false,
                new NoOpPipelines(), CommandContext.ShutdownHooks.JVM);
        int code;
        try {
            code = new Main(context).execute(args);
        } catch (RuntimeException e) {
            e.printStackTrace();
            code = ExitCode.FAILURE;
        }
        System.exit(code);
    }

    /** The topology of {@code TopologyPipelineFactory}, its model replaced by a no-op stamped as the real one. */
    private static final class NoOpPipelines implements PipelineFactory {
        @Override
        public Pipeline create(WmConfig config, Properties streamsProperties) {
            ModelInfo info;
            // The real bundle only lends its stamp (name, version, state size), so memories have the real sizes.
            try (ConversationModel real = ModelFactory.open(config)) {
                info = real.info();
            }
            Properties properties = WorkingMemoryTopology.streamsProperties(config);
            properties.putAll(streamsProperties);
            var streams = new KafkaStreams(WorkingMemoryTopology.build(TopologySettings.from(config),
                    new NoOpModel(info)), properties);
            return Pipeline.of(streams, () -> { });
        }
    }
}
