package io.wmstream.app;

import io.wmstream.app.bench.BenchCommand;
import io.wmstream.app.bench.RecoveryBenchCommand;
import io.wmstream.app.broker.CreateTopicsCommand;
import io.wmstream.app.cli.Command;
import io.wmstream.app.cli.CommandContext;
import io.wmstream.app.cli.CommandFailedException;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.cli.UsageException;
import io.wmstream.app.demo.DemoCommand;
import io.wmstream.app.pipeline.PipelineUnavailableException;
import io.wmstream.app.pipeline.TopologyPipelineFactory;
import io.wmstream.app.produce.ProduceCommand;
import io.wmstream.app.replay.DiffCommand;
import io.wmstream.app.replay.ReplayCommand;
import io.wmstream.app.run.RunCommand;
import io.wmstream.app.salience.TrainSalienceCommand;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code wmstream} command line: picks a subcommand, runs it, and turns its outcome into an exit code. */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    /** System property: {@code true} when stderr is a terminal (set by {@code ops/wmstream}). */
    static final String STDERR_TERMINAL_PROPERTY = "wmstream.stderr.terminal";

    private final CommandContext context;
    private final Map<String, Command> commands = new LinkedHashMap<>();

    public Main(CommandContext context) {
        this(context, List.of(new DemoCommand(), new RunCommand(), new ProduceCommand(), new ReplayCommand(),
                new DiffCommand(), new CreateTopicsCommand(), new TrainSalienceCommand(), new BenchCommand(),
                new RecoveryBenchCommand()));
    }

    public Main(CommandContext context, List<Command> commands) {
        this.context = context;
        commands.forEach(command -> this.commands.put(command.name(), command));
    }

    public static void main(String[] args) {
        CommandContext context = new CommandContext(System.out, System.err, System.getenv(),
                stderrIsTerminal(), new TopologyPipelineFactory(), CommandContext.ShutdownHooks.JVM);
        int code;
        try {
            code = new Main(context).execute(args);
        } catch (Throwable t) {
            // Not even an Error may skip the exit: the broker's and Streams' threads would keep a dead CLI alive.
            LOG.error("wmstream failed", t);
            code = ExitCode.FAILURE;
        }
        System.exit(code);
    }

    /**
     * Whether progress lines (written to stderr) reach a person. Java 17 cannot ask about stderr alone
     * ({@code System.console()} needs stdin and stdout to be terminals, so {@code replay > out.txt} would hide
     * progress from a terminal): {@code ops/wmstream} tests stderr and passes {@value #STDERR_TERMINAL_PROPERTY};
     * without it, the console decides.
     */
    static boolean stderrIsTerminal() {
        String told = System.getProperty(STDERR_TERMINAL_PROPERTY);
        return told != null ? Boolean.parseBoolean(told) : System.console() != null;
    }

    /** Runs the command line {@code args} and returns its exit code; never throws for a user's mistake. */
    public int execute(String... args) {
        if (args.length == 0 || "-h".equals(args[0]) || "--help".equals(args[0]) || "help".equals(args[0])) {
            if (args.length > 1 && commands.containsKey(args[1])) {
                context.out().print(commands.get(args[1]).help());
            } else {
                context.out().print(usage());
            }
            return args.length == 0 ? ExitCode.USAGE : ExitCode.OK;
        }
        Command command = commands.get(args[0]);
        if (command == null) {
            context.err().println("wmstream: unknown command '" + args[0] + "'; commands: "
                    + String.join(", ", commands.keySet()) + " (try wmstream --help)");
            return ExitCode.USAGE;
        }
        String prefix = "wmstream " + command.name() + ": ";
        try {
            return command.run(Arrays.asList(args).subList(1, args.length), context);
        } catch (UsageException e) {
            context.err().println(prefix + e.getMessage() + " (try wmstream " + command.name() + " --help)");
            return ExitCode.USAGE;
        } catch (CommandFailedException | PipelineUnavailableException e) {
            LOG.debug("{} failed", command.name(), e);
            context.err().println(prefix + e.getMessage());
            return ExitCode.FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            context.err().println(prefix + "interrupted");
            return ExitCode.FAILURE;
        } catch (RuntimeException e) {
            // Not a user mistake but a bug or an unforeseen failure: the stack trace is what a report needs.
            LOG.error("{} failed unexpectedly", command.name(), e);
            context.err().println(prefix + "unexpected error: " + e);
            return ExitCode.FAILURE;
        }
    }

    private String usage() {
        StringBuilder text = new StringBuilder("Usage: wmstream COMMAND [options]\n\nCommands:\n");
        int width = commands.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
        commands.values().forEach(c -> text.append(String.format(Locale.ROOT, "  %-" + width + "s%s%n", c.name(),
                c.summary())));
        text.append("\nRun 'wmstream COMMAND --help' for a command's options.\n");
        return text.toString();
    }
}
