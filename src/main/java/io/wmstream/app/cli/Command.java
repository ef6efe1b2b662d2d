package io.wmstream.app.cli;

import java.util.List;

/** One subcommand of {@code wmstream}. */
public interface Command {
    /** The word that selects the command, e.g. {@code produce}. */
    String name();

    /** One line for the command list. */
    String summary();

    /** The full {@code --help} text. */
    String help();

    /**
     * Runs the command with the arguments after its name.
     *
     * @return an {@link ExitCode}
     * @throws UsageException when the arguments or configuration are wrong
     * @throws CommandFailedException when the work itself failed
     */
    int run(List<String> args, CommandContext context) throws UsageException, CommandFailedException,
            InterruptedException;
}
