package io.wmstream.app.cli;

import io.wmstream.app.pipeline.PipelineFactory;
import java.io.PrintStream;
import java.util.Map;
import java.util.Objects;

/**
 * What a command may touch outside its arguments: its streams, the environment it reads settings from, whether
 * stdout is a terminal (progress lines), the pipeline it runs, and a way to register JVM shutdown work.
 */
public record CommandContext(PrintStream out, PrintStream err, Map<String, String> environment, boolean interactive,
        PipelineFactory pipelines, ShutdownHooks shutdownHooks) {
    public CommandContext {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        environment = Map.copyOf(environment);
        Objects.requireNonNull(pipelines, "pipelines");
        Objects.requireNonNull(shutdownHooks, "shutdownHooks");
    }

    /** Registers and unregisters JVM shutdown work, so tests can run commands without touching the JVM's hooks. */
    public interface ShutdownHooks {
        /** The hooks of the running JVM. */
        ShutdownHooks JVM = new ShutdownHooks() {
            @Override
            public void add(Thread hook) {
                Runtime.getRuntime().addShutdownHook(hook);
            }

            @Override
            public void remove(Thread hook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // The JVM is already shutting down: the hook is running, which is what removal was for.
                }
            }
        };

        void add(Thread hook);

        void remove(Thread hook);
    }
}
