package io.wmstream.app.bench;

import io.wmstream.app.broker.EmbeddedKafka;
import io.wmstream.app.cli.Args;
import io.wmstream.app.cli.Command;
import io.wmstream.app.cli.CommandContext;
import io.wmstream.app.cli.CommandFailedException;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.cli.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * {@code wmstream recovery-bench}: how long an instance holding a large working memory takes, after
 * {@code kill -9}, to answer again. A {@code run} instance with the no-op model ({@link NoOpRunInstance}) is filled
 * with one greeting for each of N conversations; once every event is processed and committed it is killed with
 * SIGKILL, started again on the same state directory, and one new user turn is sent. The figure is the time from
 * the kill to that turn's reply, as a read_committed reader sees it: JVM start, group join, restore, processing.
 * This class holds the options and the report; one fill, kill and restart is a {@link RecoveryTrial}.
 */
public final class RecoveryBenchCommand implements Command {
    @Override
    public String name() {
        return "recovery-bench";
    }

    @Override
    public String summary() {
        return "measure the time from kill -9 to the first reply with a large working memory";
    }

    @Override
    public String help() {
        return """
                Usage: wmstream recovery-bench [options]

                Starts a `run` instance as a child process, with the no-op model (the real topology, stores,
                exactly-once and settings; a model that costs nothing, so filling is fast), and fills its working
                memory with one greeting for each of --conversations conversations (the filling instance commits
                every second, with polls of 1,000 records, to fill faster). Once every event is processed and
                committed it kills the instance with kill -9, starts it again on the same state directory, with
                run's defaults, sends one new user turn and prints the seconds from the kill to that turn's reply,
                the size of the state directory at the kill, and what the restart restored from the changelogs.

                --transactional-stores on runs with Kafka 4.4's transactional state stores (the default of `run`);
                off with Kafka 4.3's behaviour (enable.transactional.statestores=false: under exactly-once every
                store is wiped after a crash and rebuilt); both runs both, each with its own topics and state.
                Not part of CI: a million conversations take minutes to fill and gigabytes of disk.

                Options:
                  --conversations N              conversations to fill (default 1000000)
                  --transactional-stores MODE    on, off or both (default both)
                  --bootstrap-servers HOST:PORT  Kafka cluster to use (default: a broker in this process)
                  --work-dir DIR                 state directories and the instances' logs (default: a new
                                                 temporary directory); state directories are deleted at the end
                  --instance-java-opts OPTS      JVM options of the instance (default -Xmx1g)
                  -h, --help                     this text

                Exit codes: 0 measured; 1 failed (an instance did not start, fill or answer); 2 usage error.
                """;
    }

    @Override
    public int run(List<String> argv, CommandContext context) throws UsageException, CommandFailedException,
            InterruptedException {
        Args args = Args.spec().option("--conversations").option("--transactional-stores")
                .option("--bootstrap-servers").option("--work-dir").option("--instance-java-opts").parse(argv);
        if (args.flag("--help")) {
            context.out().print(help());
            return ExitCode.OK;
        }
        int conversations = args.intValue("--conversations", 1, 100_000_000).orElse(1_000_000);
        String mode = args.value("--transactional-stores").orElse("both").toLowerCase(Locale.ROOT);
        List<Boolean> modes = switch (mode) {
            case "on" -> List.of(true);
            case "off" -> List.of(false);
            case "both" -> List.of(true, false);
            default -> throw new UsageException("--transactional-stores must be on, off or both, not " + mode);
        };
        List<String> javaOpts = List.of(args.value("--instance-java-opts").orElse("-Xmx1g").trim().split("\\s+"));
        try {
            Path workDir = args.value("--work-dir").isPresent()
                    ? Files.createDirectories(Path.of(args.value("--work-dir").get()))
                    : Files.createTempDirectory("wmstream-recovery-bench");
            Optional<String> servers = args.value("--bootstrap-servers");
            if (servers.isPresent()) {
                return measureAll(servers.get(), conversations, modes, workDir, javaOpts, context.out());
            }
            context.err().println("starting a Kafka broker in this process");
            try (EmbeddedKafka broker = EmbeddedKafka.start()) {
                return measureAll(broker.bootstrapServers(), conversations, modes, workDir, javaOpts, context.out());
            }
        } catch (EmbeddedKafka.BrokerStartException | IOException | ExecutionException e) {
            throw new CommandFailedException("recovery-bench failed: " + e.getMessage(), e);
        }
    }

    private int measureAll(String servers, int conversations, List<Boolean> modes, Path workDir,
                           List<String> javaOpts, PrintStream out) throws IOException, InterruptedException,
            ExecutionException, CommandFailedException {
        Path logback = workDir.resolve("instance-logback.xml");
        RecoveryTrial.writeInstanceLogback(logback);
        List<String> lines = new ArrayList<>();
        for (boolean transactional : modes) {
            RecoveryTrial trial = new RecoveryTrial(servers, conversations, transactional, workDir, javaOpts, logback,
                    out);
            RecoveryResult result = trial.run();
            lines.add(result.line());
        }
        out.println();
        out.println("recovery after kill -9, " + conversations + " conversations (time to the first new reply):");
        lines.forEach(line -> out.println("  " + line));
        out.println("instance logs: " + workDir);
        return ExitCode.OK;
    }
}
