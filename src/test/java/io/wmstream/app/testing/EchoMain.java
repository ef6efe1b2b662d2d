package io.wmstream.app.testing;

import io.wmstream.app.Main;
import io.wmstream.app.cli.CommandContext;

/** {@code wmstream} with the echo pipeline, for tests that need the application in a process of its own. */
public final class EchoMain {
    private EchoMain() {
    }

    public static void main(String[] args) {
        CommandContext context = new CommandContext(System.out, System.err, System.getenv(), false,
                new EchoPipelineFactory(), CommandContext.ShutdownHooks.JVM);
        System.exit(new Main(context).execute(args));
    }
}
