package io.wmstream.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.app.Main;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.testing.Console;
import io.wmstream.app.testing.EchoPipelineFactory;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RunCommandTest {
    @Test
    @Timeout(30)
    void shouldStopCleanlyWhenTerminatedWhileStillStarting() throws Exception {
        // Given run waiting for a Kafka cluster that does not answer
        Console console = new Console();
        Main main = new Main(console.context(Map.of(), new EchoPipelineFactory()));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> main.execute("run",
                "--bootstrap-servers", "127.0.0.1:1", "--set", "wm.http.port=0"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (console.hooks().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(console.hooks()).hasSize(1);
        Thread.sleep(300);

        // When SIGTERM arrives (the JVM runs the shutdown hook)
        console.hooks().get(0).run();

        // Then the command ends promptly and in order, and releases its hook
        assertThat(run.get(20, TimeUnit.SECONDS)).isEqualTo(ExitCode.OK);
        assertThat(console.err()).contains("stopped while starting");
        assertThat(console.hooks()).isEmpty();
    }
}
