package io.wmstream.app.produce;

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
import io.wmstream.schemas.event.ConversationEventReader;
import io.wmstream.schemas.event.EventLimits;
import io.wmstream.topology.config.WmConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** {@code wmstream produce}: sends a JSONL event log (plain or gzip) to the input topic, keyed by conversation. */
public final class ProduceCommand implements Command {
    private static final int TIMEOUT_MS = 15_000;

    @Override
    public String name() {
        return "produce";
    }

    @Override
    public String summary() {
        return "send a JSONL event log (plain or .gz) to the input topic";
    }

    @Override
    public String help() {
        return """
                Usage: wmstream produce [options] FILE

                Sends every line of FILE (JSONL, one ConversationEvent per line; gzip is detected; '-' reads stdin)
                to the input topic, keyed by conversationId, with an idempotent producer. Each line is validated
                first: lines that are not valid events are reported with their line number and reason and are
                not sent (--send-invalid sends them anyway, so the pipeline dead-letters them).

                Options:
                  --bootstrap-servers HOST:PORT  Kafka to send to (or kafka.bootstrap.servers)
                  --topic NAME                   topic to send to (default: the configured input topic)
                  --send-invalid                 send lines that are not valid events as well
                  --config FILE                  properties file
                  --set KEY=VALUE                one setting, repeatable
                  -h, --help                     this text

                Exit codes: 0 every line sent; 1 some line not sent (invalid or refused by Kafka) or Kafka
                unreachable; 2 usage error.

                """ + ConfigHelp.precedence();
    }

    @Override
    public int run(List<String> argv, CommandContext context) throws UsageException, CommandFailedException {
        Args args = Args.spec().option("--bootstrap-servers").option("--topic").flag("--send-invalid")
                .option("--config").repeatable("--set").positionals(1, "FILE").parse(argv);
        if (args.flag("--help")) {
            context.out().print(help());
            return ExitCode.OK;
        }
        if (args.positionals().isEmpty()) {
            throw new UsageException("which event log? give a FILE (or '-' for stdin)");
        }
        WmConfig config = new ConfigLoader(context.environment()).load(args, Map.of());
        Object servers = config.kafkaProperties().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        if (servers == null || servers.toString().isBlank()) {
            throw new UsageException("no Kafka to send to: give --bootstrap-servers HOST:PORT "
                    + "(or kafka.bootstrap.servers)");
        }
        String topic = args.value("--topic").orElse(config.topic(WmConfig.TOPIC_EVENTS_CONFIG));
        String file = args.positionals().get(0);
        try (InputStream in = open(file); EventLogReader lines = new EventLogReader(in)) {
            requireTopic(config, topic, servers.toString());
            SendReport report = send(config, topic, lines, args.flag("--send-invalid"), context);
            return reportOutcome(report, topic, args.flag("--send-invalid"), context);
        } catch (IOException | UncheckedIOException e) {
            throw new CommandFailedException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static InputStream open(String file) throws UsageException, IOException {
        if ("-".equals(file)) {
            return System.in;
        }
        try {
            return Files.newInputStream(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new UsageException("no such file: " + file);
        }
    }

    private static void requireTopic(WmConfig config, String topic, String servers) throws CommandFailedException {
        Properties properties = StreamsSettings.forClients(config);
        properties.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        properties.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        // kafka.default.api.timeout.ms bounds how long an unreachable cluster is waited for.
        long timeoutMs = Long.parseLong(properties.get(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG).toString());
        Admin admin;
        try {
            admin = Admin.create(properties);
        } catch (KafkaException e) {
            throw failure(config, "cannot set up a Kafka client for " + servers + ": " + e.getMessage(), e);
        }
        try {
            Set<String> names = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
            if (!names.contains(topic)) {
                // A listing leaves out the topics this principal may not describe; asking by name says which.
                admin.describeTopics(List.of(topic)).allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS);
            }
        } catch (TimeoutException e) {
            throw new CommandFailedException("cannot reach Kafka at " + servers + " (no answer within "
                    + timeoutMs + " ms)", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new CommandFailedException("topic " + topic + " does not exist on " + servers
                        + "; create it with ops/create-topics or by starting 'wmstream run' once", e);
            }
            throw failure(config, "cannot reach Kafka at " + servers + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailedException("interrupted", e);
        } catch (KafkaException e) {
            throw failure(config, "cannot talk to Kafka at " + servers + ": " + e.getMessage(), e);
        } finally {
            // Nothing pending is wanted any more; a plain close would wait for an unanswered call to time out.
            admin.close(Duration.ZERO);
        }
    }

    private static SendReport send(WmConfig config, String topic, EventLogReader lines, boolean sendInvalid,
            CommandContext context) throws CommandFailedException {
        EventLimits limits = EventLimits.DEFAULTS.withMaxTextBytes(
                config.getInt(WmConfig.EVENT_MAX_TEXT_BYTES_CONFIG));
        PrintStream err = context.err();
        try (Producer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(config),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            EventLogSender sender = new EventLogSender(producer, topic, new ConversationEventReader(limits),
                    sendInvalid);
            SendReport report = sender.send(lines, progress -> {
                if (context.interactive()) {
                    err.print("\rsent " + progress.sent() + " events (" + progress.invalid() + " invalid, "
                            + progress.failed() + " failed) ...");
                    err.flush();
                }
            });
            if (context.interactive()) {
                err.print("\r\033[K");
            }
            return report;
        } catch (KafkaException e) {
            throw failure(config, "cannot send to Kafka: " + e.getMessage(), e);
        }
    }

    /** A security refusal is named as such; any message is shown without the configuration's secrets. */
    private static CommandFailedException failure(WmConfig config, String otherwise, Exception cause) {
        return new CommandFailedException(KafkaAccessFailures.oneLine(config, cause, otherwise), cause);
    }

    static Properties producerProperties(WmConfig config) {
        Properties properties = StreamsSettings.forClients(config);
        // Idempotent and fully acknowledged: a retried send never duplicates or reorders a conversation's events.
        properties.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        properties.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        properties.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, TIMEOUT_MS);
        properties.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "wmstream-produce");
        return properties;
    }

    private static int reportOutcome(SendReport report, String topic, boolean sendInvalid, CommandContext context) {
        for (String problem : report.problems()) {
            context.err().println(problem);
        }
        long problems = report.invalid() + report.failed();
        if (problems > report.problems().size()) {
            context.err().println("... and " + (problems - report.problems().size()) + " more");
        }
        context.out().printf(Locale.ROOT, "sent %d events to %s in %.1f s; %d invalid%s, %d failed%n",
                report.sent(), topic, report.elapsedMillis() / 1000.0, report.invalid(),
                sendInvalid ? " (sent anyway)" : " (not sent)", report.failed());
        boolean complete = report.failed() == 0 && (sendInvalid || report.invalid() == 0);
        return complete ? ExitCode.OK : ExitCode.FAILURE;
    }
}
