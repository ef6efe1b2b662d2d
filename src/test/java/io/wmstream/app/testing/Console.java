package io.wmstream.app.testing;

import io.wmstream.app.cli.CommandContext;
import io.wmstream.app.pipeline.PipelineFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Captured stdout and stderr of a command run in a test, with the shutdown hooks it registered. */
public final class Console {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<Thread> hooks = new CopyOnWriteArrayList<>();

    /** A context whose streams are captured and whose shutdown hooks are kept here instead of in the JVM. */
    public CommandContext context(Map<String, String> environment, PipelineFactory pipelines) {
        return new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), environment, false, pipelines,
                new CommandContext.ShutdownHooks() {
                    @Override
                    public void add(Thread hook) {
                        hooks.add(hook);
                    }

                    @Override
                    public void remove(Thread hook) {
                        hooks.remove(hook);
                    }
                });
    }

    public String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    public String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    public List<Thread> hooks() {
        return List.copyOf(hooks);
    }

    /** Waits until stdout holds a match of {@code regex}, and returns it. */
    public Matcher awaitOut(String regex, Duration timeout) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher matcher = pattern.matcher(out());
            if (matcher.find()) {
                return matcher;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + regex + "' on stdout within " + timeout + "; stdout:\n" + out()
                + "\nstderr:\n" + err());
    }
}
