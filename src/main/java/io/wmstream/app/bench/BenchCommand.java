package io.wmstream.app.bench;

import io.wmstream.app.broker.EmbeddedKafka;
import io.wmstream.app.cli.Args;
import io.wmstream.app.cli.Command;
import io.wmstream.app.cli.CommandContext;
import io.wmstream.app.cli.CommandFailedException;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.cli.ScratchDirectories;
import io.wmstream.app.cli.UsageException;
import io.wmstream.app.config.ConfigHelp;
import io.wmstream.app.config.ConfigLoader;
import io.wmstream.app.pipeline.PipelineSession;
import io.wmstream.model.bundle.ModelBundle;
import io.wmstream.model.inference.OnnxConversationModel;
import io.wmstream.topology.config.ModelFactory;
import io.wmstream.topology.config.WmConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * {@code wmstream bench}: the model alone, then the pipeline on a real broker under exactly-once, every figure
 * measured in one run, printed as a table (or JSON) with the floors and goals.
 */
public final class BenchCommand implements Command {
    /** Where the figures, the table and the plot go without {@code --report}: a build directory, ignored by git. */
    static final String DEFAULT_REPORT_DIR = "target/bench-report";

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "measure the model and the pipeline on a real broker and print the figures";
    }

    @Override
    public String help() {
        return """
                Usage: wmstream bench [options]

                Measures, in one run: (a) the model alone, encode + reply at batch sizes 1 to 128 with one calling
                thread, then on all cores: each setting of calling threads x ONNX Runtime intra-op threads (1, the
                powers of two and the core count, within the cores) at batch 1 and at the best batch; the best is
                the model ceiling, the one-thread setting stays beside it; (b) the pipeline with a no-op model (its
                ceiling); (c) the pipeline end to end with the default model under exactly-once: saturation (closed
                loop, users sending their next turn as soon as the reply is visible to a read_committed consumer),
                users with a think time, the latency-throughput curve (open loop at 10, 30, 50, 70, 80, 90 and 95%
                of saturation: offered and answered rate, p50, p99, max, rows per model call), and saturation with
                wm.batch.max.size=1; (d) 1,000 against 100,000 active conversations. Starts a broker in this process
                unless kafka.bootstrap.servers is set. Before (b), four warm-up windows of load on a pipeline of the
                default model, not measured, let the JIT compiler finish. Prints a table with the pipeline's floors
                and goals (PASS or MISS) and where the CPU went in each phase (with the stream threads'
                CPU per reply), and writes the figures, the table and a plot of the latency curve into the report
                directory; the exit code does not depend on the floors.

                Options:
                  --quick                 shorter windows (a few minutes in all; default: about ten)
                  --json                  print the figures as JSON instead of the table
                  --report DIR            where to write bench.json, bench.md (the table) and latency-curve.png
                                          (default target/bench-report)
                  --seconds S             measured seconds per window (default 20, quick 10)
                  --warm-up S             seconds of load before each window (default 10, quick 5)
                  --users N               closed-loop users at saturation (default 512)
                  --scale SMALL,LARGE     active conversations of (d) (default 1000,100000)
                  --model-batches LIST    batch sizes of (a) (default 1,8,32,64,128)
                  --model-seconds S       seconds per batch size and thread setting of (a) (default 3, quick 1)
                  --config FILE           properties file (applies to every pipeline of the run)
                  --set KEY=VALUE         one setting, repeatable (e.g. --set kafka.num.stream.threads=2)
                  -h, --help              this text

                """ + ConfigHelp.precedence();
    }

    @Override
    public int run(List<String> argv, CommandContext context) throws UsageException, CommandFailedException,
            InterruptedException {
        Args args = Args.spec().flag("--quick").flag("--json").option("--report").option("--seconds")
                .option("--warm-up").option("--users").option("--scale").option("--model-batches")
                .option("--model-seconds").option("--config").repeatable("--set").parse(argv);
        if (args.flag("--help")) {
            context.out().print(help());
            return ExitCode.OK;
        }
        BenchPlan plan = plan(args);
        Path reportDir = Path.of(args.value("--report").orElse(DEFAULT_REPORT_DIR));
        if (Files.exists(reportDir) && !Files.isDirectory(reportDir)) {
            throw new UsageException("--report expects a directory, " + reportDir + " is a file");
        }
        ConfigLoader loader = new ConfigLoader(context.environment());
        Path file = args.value("--config").map(Path::of).orElse(null);
        List<String> sets = args.values("--set");
        WmConfig config = loader.load(file, sets, Map.of());
        Path stateRoot = ScratchDirectories.create("bench");
        try (OnnxConversationModel model = openModel(config)) {
            String servers = (String) config.kafkaProperties().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
            BenchResults results;
            if (servers == null || servers.isBlank()) {
                try (EmbeddedKafka broker = EmbeddedKafka.start()) {
                    context.err().println("bench: started an embedded Kafka broker at " + broker.bootstrapServers());
                    results = run(plan, loader, file, sets, model, stateRoot, context, broker.bootstrapServers());
                } catch (EmbeddedKafka.BrokerStartException e) {
                    throw new CommandFailedException(e.getMessage(), e);
                }
            } else {
                results = run(plan, loader, file, sets, model, stateRoot, context, servers);
            }
            BenchReport report = new BenchReport(results);
            context.out().print(args.flag("--json") ? report.json() : report.table());
            context.out().flush();
            // After the table: a directory that cannot be written costs the files, not the ten minutes' figures.
            try {
                List<Path> files = report.write(reportDir);
                context.err().println("bench: wrote " + files.stream().map(Path::toString)
                        .collect(java.util.stream.Collectors.joining(", ")));
            } catch (IOException e) {
                throw new CommandFailedException("cannot write the report into " + reportDir + ": " + e.getMessage(),
                        e);
            }
            return ExitCode.OK;
        } finally {
            ScratchDirectories.deleteQuietly(stateRoot);
        }
    }

    private static BenchResults run(BenchPlan plan, ConfigLoader loader, Path file, List<String> sets,
            OnnxConversationModel model, Path stateRoot, CommandContext context, String servers)
            throws CommandFailedException, InterruptedException {
        try {
            return new BenchRun(plan, overrides -> {
                try {
                    return loader.load(file, sets, overrides);
                } catch (UsageException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }, model, stateRoot, context.err()).run(servers);
        } catch (PipelineSession.PipelineStartException e) {
            throw new CommandFailedException(e.getMessage(), e);
        }
    }

    static BenchPlan plan(Args args) throws UsageException {
        BenchPlan plan = args.flag("--quick") ? BenchPlan.quick() : BenchPlan.full();
        if (args.value("--seconds").isPresent()) {
            plan = plan.withMeasure(Duration.ofMillis((long) (seconds(args, "--seconds") * 1000)));
        }
        if (args.value("--warm-up").isPresent()) {
            plan = plan.withWarmUp(Duration.ofMillis((long) (seconds(args, "--warm-up") * 1000)));
        }
        if (args.value("--users").isPresent()) {
            plan = plan.withUsers(args.intValue("--users", 1, 100_000).orElseThrow());
        }
        if (args.value("--scale").isPresent()) {
            int[] scale = numbers(args, "--scale");
            if (scale.length != 2 || scale[0] < 1 || scale[1] <= scale[0]) {
                throw new UsageException("--scale expects SMALL,LARGE with 0 < SMALL < LARGE");
            }
            plan = plan.withScale(scale[0], scale[1]);
        }
        int[] batches = args.value("--model-batches").isPresent() ? numbers(args, "--model-batches")
                : plan.modelBatches();
        if (Arrays.stream(batches).anyMatch(b -> b < 1 || b > 4096)) {
            throw new UsageException("--model-batches expects batch sizes between 1 and 4096");
        }
        double modelSeconds = args.value("--model-seconds").isPresent() ? seconds(args, "--model-seconds")
                : plan.modelSeconds();
        return plan.withModel(batches, modelSeconds);
    }

    private static double seconds(Args args, String name) throws UsageException {
        String raw = args.value(name).orElseThrow();
        try {
            double value = Double.parseDouble(raw.trim());
            if (!(value > 0 && value <= 3600)) {
                throw new UsageException(name + " must be between 0 and 3600 seconds, got " + raw);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " expects seconds, got '" + raw + "'");
        }
    }

    private static int[] numbers(Args args, String name) throws UsageException {
        String raw = args.value(name).orElseThrow();
        try {
            return Arrays.stream(raw.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new UsageException(name + " expects comma-separated whole numbers, got '" + raw + "'");
        }
    }

    private static OnnxConversationModel openModel(WmConfig config) throws CommandFailedException {
        try {
            return OnnxConversationModel.open(ModelBundle.fromSetting(config.getString(WmConfig.MODEL_DIR_CONFIG)),
                    ModelFactory.runtimeConfig(config));
        } catch (RuntimeException e) {
            throw new CommandFailedException("cannot open the model: " + e.getMessage(), e);
        }
    }
}
