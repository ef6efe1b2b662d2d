package io.wmstream.app.run;

import io.wmstream.app.cli.Args;
import io.wmstream.app.cli.Command;
import io.wmstream.app.cli.CommandContext;
import io.wmstream.app.cli.CommandFailedException;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.cli.GracefulStop;
import io.wmstream.app.cli.UsageException;
import io.wmstream.app.config.ConfigHelp;
import io.wmstream.app.config.ConfigLoader;
import io.wmstream.app.pipeline.PipelineSession;
import io.wmstream.topology.config.WmConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code wmstream run}: the pipeline against a Kafka cluster (or an embedded broker), with HTTP, until SIGTERM.
 */
public final class RunCommand implements Command {
    /** Longest a SIGTERM waits for the pipeline to commit, flush and close before the JVM exits anyway. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "run the pipeline and its HTTP server until stopped";
    }

    @Override
    public String help() {
        return """
                Usage: wmstream run [options]

                Runs the pipeline against --bootstrap-servers (or kafka.bootstrap.servers); without either it starts
                a single-node Kafka broker in this process and prints its address. Creates missing topics with
                wm.topic.partitions and wm.topic.replication.factor. Serves HTTP on wm.http.bind:wm.http.port:
                /health, /ready (200 only while RUNNING), /metrics (Prometheus), /conversations/{id}.
                Stops cleanly on SIGTERM or Ctrl-C (commits, flushes state, closes within %d s).

                Options:
                  --bootstrap-servers HOST:PORT  Kafka cluster to use
                  --config FILE                  properties file
                  --set KEY=VALUE                one setting, repeatable
                  -h, --help                     this text

                Exit codes: 0 stopped on request; 1 failed to start or failed while running; 2 usage error.

                """.formatted(CLOSE_TIMEOUT.toSeconds()) + ConfigHelp.precedence() + "\n" + ConfigHelp.keys();
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

        PipelineSession.Options options = new PipelineSession.Options(true, Duration.ofMinutes(5), CLOSE_TIMEOUT);
        // Registered before anything starts, so a SIGTERM during start-up also closes what was started.
        try (GracefulStop stop = GracefulStop.register(context, CLOSE_TIMEOUT.plusSeconds(10))) {
            PipelineSession session;
            try {
                session = PipelineSession.start(config, context.pipelines(), options, context.err());
            } catch (PipelineSession.PipelineStartException e) {
                throw new CommandFailedException(e.getMessage(), e);
            } catch (InterruptedException e) {
                if (stop.requested()) {
                    context.err().println("stopped while starting");
                    return ExitCode.OK;
                }
                throw e;
            }
            boolean failed;
            try {
                stop.onStop(session::requestStop);
                announce(session, context);
                failed = session.awaitStop();
                context.err().println(failed ? "the pipeline failed; stopping" : "stopping");
            } finally {
                session.close();
            }
            if (failed) {
                throw new CommandFailedException(session.failureReason()
                        .map(reason -> "the pipeline stopped with an error: " + reason)
                        .orElse("the pipeline stopped with an error (see the log above)"));
            }
            context.err().println("stopped");
            return ExitCode.OK;
        }
    }

    private static void announce(PipelineSession session, CommandContext context) {
        InetSocketAddress http = session.httpAddress();
        String kafka = session.embeddedBroker()
                ? "embedded Kafka at " + session.bootstrapServers() + " (use --bootstrap-servers "
                        + session.bootstrapServers() + " with produce)"
                : "Kafka at " + session.bootstrapServers();
        context.out().println("wmstream is running: " + kafka + "; HTTP at " + session.httpScheme() + "://"
                + http.getHostString() + ":" + http.getPort() + "/");
        context.out().flush();
    }
}
