package io.wmstream.app.broker;

import io.wmstream.app.cli.Args;
import io.wmstream.app.cli.Command;
import io.wmstream.app.cli.CommandContext;
import io.wmstream.app.cli.CommandFailedException;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.cli.UsageException;
import io.wmstream.app.config.ConfigHelp;
import io.wmstream.app.config.ConfigLoader;
import io.wmstream.app.config.StreamsSettings;
import io.wmstream.app.security.KafkaAccessFailures;
import io.wmstream.topology.config.WmConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;

/** {@code wmstream create-topics}: creates the four topics when missing (what {@code run} does at start). */
public final class CreateTopicsCommand implements Command {
    @Override
    public String name() {
        return "create-topics";
    }

    @Override
    public String summary() {
        return "create the four wmstream topics when they are missing";
    }

    @Override
    public String help() {
        return """
                Usage: wmstream create-topics --bootstrap-servers HOST:PORT [options]

                Creates the events, replies, summaries and dead-letter topics (names from wm.topic.*, with
                wm.topic.prefix) with wm.topic.partitions partitions and wm.topic.replication.factor replicas, when
                they do not exist. Existing topics are left as they are.

                Options:
                  --bootstrap-servers HOST:PORT  Kafka cluster (or kafka.bootstrap.servers)
                  --config FILE                  properties file
                  --set KEY=VALUE                one setting, repeatable
                  -h, --help                     this text

                """ + ConfigHelp.precedence();
    }

    @Override
    public int run(List<String> argv, CommandContext context) throws UsageException, CommandFailedException,
            InterruptedException {
        Args args = Args.spec().option("--bootstrap-servers").option("--config").repeatable("--set").parse(argv);
        if (args.flag("--help")) {
            context.out().print(help());
            return ExitCode.OK;
        }
        WmConfig config = new ConfigLoader(context.environment()).load(args, Map.of());
        Object servers = config.kafkaProperties().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        if (servers == null || servers.toString().isBlank()) {
            throw new UsageException("which Kafka? give --bootstrap-servers HOST:PORT (or kafka.bootstrap.servers)");
        }
        Properties properties = StreamsSettings.forClients(config);
        properties.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        Admin admin;
        try {
            admin = Admin.create(properties);
        } catch (KafkaException e) {
            throw new CommandFailedException(KafkaAccessFailures.oneLine(config, e, "cannot set up a Kafka client for "
                    + servers + ": " + e.getMessage()), e);
        }
        try {
            List<String> created = new TopicCreator(admin).createMissing(config);
            for (String topic : TopicCreator.topicNames(config)) {
                context.out().println((created.contains(topic) ? "created  " : "exists   ") + topic);
            }
            return ExitCode.OK;
        } catch (ExecutionException e) {
            throw new CommandFailedException(KafkaAccessFailures.oneLine(config, e, "cannot create topics on "
                    + servers + ": " + e.getCause().getMessage()), e);
        } catch (TimeoutException e) {
            throw new CommandFailedException("cannot reach Kafka at " + servers + " (no answer within 60 s)", e);
        } catch (KafkaException e) {
            throw new CommandFailedException(KafkaAccessFailures.oneLine(config, e, "cannot talk to Kafka at "
                    + servers + ": " + e.getMessage()), e);
        } finally {
            // Nothing pending is wanted any more; a plain close would wait for an unanswered call to time out.
            admin.close(Duration.ZERO);
        }
    }
}
