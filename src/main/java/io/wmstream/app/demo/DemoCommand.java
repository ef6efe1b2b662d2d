package io.wmstream.app.demo;

import io.wmstream.app.cli.Args;
import io.wmstream.app.cli.Command;
import io.wmstream.app.cli.CommandContext;
import io.wmstream.app.cli.CommandFailedException;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.cli.GracefulStop;
import io.wmstream.app.cli.ScratchDirectories;
import io.wmstream.app.cli.UsageException;
import io.wmstream.app.config.ConfigHelp;
import io.wmstream.app.config.ConfigLoader;
import io.wmstream.app.config.StreamsSettings;
import io.wmstream.app.pipeline.PipelineSession;
import io.wmstream.app.produce.EventLogSender;
import io.wmstream.app.produce.SendReport;
import io.wmstream.schemas.event.ConversationEventReader;
import io.wmstream.schemas.event.EventLimits;
import io.wmstream.schemas.output.SummaryKind;
import io.wmstream.topology.config.WmConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * {@code wmstream demo}: a real broker in this process, the pipeline, the built-in sample log, and every reply and
 * summary printed as it is committed; exits 0 once each user utterance has its reply and each ended conversation its
 * final summary.
 */
public final class DemoCommand implements Command {
    private static final int DEFAULT_TIMEOUT_SECONDS = 120;

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "run the pipeline on a built-in conversation log with an in-process Kafka broker";
    }

    @Override
    public String help() {
        return """
                Usage: wmstream demo [options]

                Starts a single-node Kafka broker (KRaft) in this process, creates the topics, runs the pipeline,
                sends a built-in log of a few interleaved conversations, and prints every reply and summary as it
                is committed. Exits 0 when each user utterance has its reply and each conversation its final
                summary.

                Options:
                  --bootstrap-servers HOST:PORT  use this Kafka instead of starting one
                  --timeout SECONDS              give up after this long (default %d); exit 1
                  --config FILE                  properties file
                  --set KEY=VALUE                one setting, repeatable (e.g. --set wm.summary.every.turns=2)
                  -h, --help                     this text

                """.formatted(DEFAULT_TIMEOUT_SECONDS) + ConfigHelp.precedence();
    }

    @Override
    public int run(List<String> argv, CommandContext context) throws UsageException, CommandFailedException,
            InterruptedException {
        Args args = Args.spec().option("--bootstrap-servers").option("--timeout").option("--config")
                .repeatable("--set").parse(argv);
        if (args.flag("--help")) {
            context.out().print(help());
            return ExitCode.OK;
        }
        int timeoutSeconds = args.intValue("--timeout", 1, 86_400).orElse(DEFAULT_TIMEOUT_SECONDS);
        Path stateDir = ScratchDirectories.create("demo");
        try {
            WmConfig config = loadConfig(args, context, stateDir);
            return runDemo(config, Duration.ofSeconds(timeoutSeconds), context);
        } finally {
            ScratchDirectories.deleteQuietly(stateDir);
        }
    }

    private static WmConfig loadConfig(Args args, CommandContext context, Path stateDir) throws UsageException {
        ConfigLoader loader = new ConfigLoader(context.environment());
        Path file = args.value("--config").map(Path::of).orElse(null);
        Map<String, String> merged = loader.merge(file, args.values("--set"), Map.of());
        Map<String, String> overrides = new HashMap<>();
        // A fresh application id and state directory: a demo never resumes an earlier run's offsets or stores.
        putIfUnset(merged, overrides, StreamsConfig.APPLICATION_ID_CONFIG,
                "wmstream-demo-" + UUID.randomUUID().toString().substring(0, 8));
        putIfUnset(merged, overrides, StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        args.value("--bootstrap-servers").ifPresent(servers -> overrides.put(
                WmConfig.KAFKA_PREFIX + CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers));
        return loader.load(file, args.values("--set"), overrides);
    }

    private static void putIfUnset(Map<String, String> merged, Map<String, String> overrides, String kafkaKey,
            String value) {
        String key = WmConfig.KAFKA_PREFIX + kafkaKey;
        if (!merged.containsKey(key)) {
            overrides.put(key, value);
        }
    }

    private static int runDemo(WmConfig given, Duration timeout, CommandContext context)
            throws CommandFailedException, InterruptedException {
        PrintStream out = context.out();
        PrintStream err = context.err();
        SampleLog log = SampleLog.load();
        long started = System.nanoTime();
        PipelineSession.Options options = new PipelineSession.Options(false, timeout, Duration.ofSeconds(20));
        // Ctrl-C stops the demo in order: the embedded broker and the temporary directories are removed.
        try (GracefulStop stop = GracefulStop.register(context, Duration.ofSeconds(30));
                PipelineSession session = PipelineSession.start(given, context.pipelines(), options, err)) {
            stop.onStop(() -> { });
            WmConfig config = session.config();
            err.println("pipeline running; sending " + log.events().size() + " events of "
                    + log.endedConversations().size() + " conversations");
            SendReport sent = send(config, log);
            if (sent.failed() > 0 || sent.invalid() > 0) {
                throw new CommandFailedException("could not send the sample log: " + String.join("; ",
                        sent.problems()));
            }
            OutputPrinter printer = new OutputPrinter(out);
            log.events().forEach(printer::rememberInput);
            long expectedReplies = log.expectedReplies(config.replyRoles());
            Set<String> expectedFinals = log.endedConversations();
            AtomicLong replies = new AtomicLong();
            AtomicLong summaries = new AtomicLong();
            Set<String> finals = new HashSet<>();
            boolean complete;
            try (OutputWatcher watcher = new OutputWatcher(StreamsSettings.forClients(config),
                    config.topic(WmConfig.TOPIC_REPLIES_CONFIG), config.topic(WmConfig.TOPIC_SUMMARIES_CONFIG))) {
                Duration left = timeout.minusNanos(System.nanoTime() - started);
                complete = watcher.watch(output -> {
                    printer.accept(output);
                    if (output instanceof OutputWatcher.ReplyOutput) {
                        replies.incrementAndGet();
                    } else if (output instanceof OutputWatcher.SummaryOutput summary) {
                        summaries.incrementAndGet();
                        if (summary.summary().kind() == SummaryKind.FINAL) {
                            finals.add(summary.conversationId());
                        }
                    }
                }, () -> stop.requested() || replies.get() >= expectedReplies && finals.containsAll(expectedFinals),
                        left.isNegative() ? Duration.ZERO : left);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            if (stop.requested()) {
                err.println("demo stopped");
                return ExitCode.FAILURE;
            }
            if (!complete) {
                throw new CommandFailedException(String.format(Locale.ROOT,
                        "demo timed out after %.0f s: %d of %d replies, %d of %d final summaries", seconds,
                        replies.get(), expectedReplies, finals.size(), expectedFinals.size()));
            }
            out.printf(Locale.ROOT, "demo done in %.1f s: %d replies and %d summaries for %d conversations%n",
                    seconds, replies.get(), summaries.get(), expectedFinals.size());
            return ExitCode.OK;
        } catch (PipelineSession.PipelineStartException e) {
            throw new CommandFailedException(e.getMessage(), e);
        }
    }

    private static SendReport send(WmConfig config, SampleLog log) throws CommandFailedException {
        var properties = StreamsSettings.forClients(config);
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "wmstream-demo-producer");
        EventLimits limits = EventLimits.DEFAULTS.withMaxTextBytes(
                config.getInt(WmConfig.EVENT_MAX_TEXT_BYTES_CONFIG));
        try (Producer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            return new EventLogSender(producer, config.topic(WmConfig.TOPIC_EVENTS_CONFIG),
                    new ConversationEventReader(limits), false).send(log.lines(), progress -> { });
        } catch (KafkaException e) {
            throw new CommandFailedException("cannot send the sample log: " + e.getMessage(), e);
        }
    }
}
