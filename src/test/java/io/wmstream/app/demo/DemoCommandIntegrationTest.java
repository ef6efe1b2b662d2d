package io.wmstream.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.app.Main;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.testing.Console;
import io.wmstream.app.testing.EchoPipelineFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DemoCommandIntegrationTest {
    @Test
    void shouldPrintEveryReplyAndFinalSummaryAndExitZero() {
        // Given the demo with a stand-in pipeline (it starts its own broker)
        Console console = new Console();
        SampleLog log = SampleLog.load();

        // When it runs
        int code = new Main(console.context(Map.of(), new EchoPipelineFactory())).execute("demo", "--timeout", "120");

        // Then it exits 0 after printing one reply per user utterance and one final summary per conversation
        assertThat(code).as(console.err()).isEqualTo(ExitCode.OK);
        List<String> lines = console.out().lines().toList();
        assertThat(lines).filteredOn(line -> line.contains("-> assistant"))
                .hasSize((int) log.expectedReplies(List.of("user")));
        assertThat(lines).filteredOn(line -> line.contains("== final summary"))
                .hasSize(log.endedConversations().size());
        assertThat(lines).filteredOn(line -> line.startsWith("[demo-hotel-north] user: Hi, I am looking for a"))
                .hasSize(1);
        assertThat(lines.get(lines.size() - 1)).startsWith("demo done in");
        assertThat(console.err()).contains("started an embedded Kafka broker at").doesNotContain("Exception");
        assertThat(console.hooks()).isEmpty();
    }
}
