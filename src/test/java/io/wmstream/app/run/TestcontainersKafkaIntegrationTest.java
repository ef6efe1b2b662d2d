package io.wmstream.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.demo.OutputWatcher;
import io.wmstream.app.pipeline.TopologyPipelineFactory;
import io.wmstream.app.testing.EndToEnd;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The end-to-end scenario against the official Kafka image, as docker-compose.yml runs it. Skipped (and reported so)
 * where no Docker engine is reachable; the embedded-broker variant in {@link RunCommandIntegrationTest} always runs.
 */
@Tag("integration")
@Testcontainers(disabledWithoutDocker = true)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TestcontainersKafkaIntegrationTest {
    @Container
    private static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.4.0");

    @TempDir
    Path dir;

    @Test
    void shouldAnswerEveryUserUtteranceOnceAgainstTheOfficialKafkaImage() throws Exception {
        EndToEnd.Outcome outcome = new EndToEnd(new TopologyPipelineFactory(), "\"conversationId\":\"open-1\"")
                .run(KAFKA.getBootstrapServers(), "tc.", dir);

        assertThat(outcome.outputs()).filteredOn(o -> o instanceof OutputWatcher.ReplyOutput).hasSize(3);
        assertThat(outcome.outputs()).filteredOn(o -> o instanceof OutputWatcher.SummaryOutput).hasSize(1);
        assertThat(outcome.runExitCode()).isEqualTo(ExitCode.OK);
    }
}
