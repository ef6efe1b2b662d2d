package io.wmstream.app.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, point 2: the broker (a process of its own) stopped mid-stream, left down, and started again on the same
 * data while the pipeline and a producer keep going, three times. Nothing is lost or doubled: the committed replies
 * and final memories are those of an uninterrupted replay of the same committed input, and the instance rides it
 * out.
 */
@Tag("reliability")
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class BrokerRestartIntegrationTest {
    @RegisterExtension
    static final StandaloneBrokerExtension BROKER = new StandaloneBrokerExtension();

    @TempDir
    Path dir;

    /** Restarts per run: about one in ten meets a commit in flight, the case that used to stop the instance. */
    private static final int RESTARTS = 3;

    @Test
    void shouldAnswerEveryUtteranceOnceAndKeepTheReplaysMemoriesAcrossBrokerRestarts() throws Exception {
        // Given 2,400 utterances of 80 interleaved conversations, the first quarter sent to a running instance
        List<SyntheticConversations.Line> log = SyntheticConversations.interleaved("broker", 80, 30, 15L);
        int replies = SyntheticConversations.userLines(log);
        int part = log.size() / (RESTARTS + 1);
        StandaloneBroker broker = BROKER.broker();
        try (LiveCluster cluster = new LiveCluster(broker.bootstrapServers(), "broker", 4, dir);
                CommittedRecords committed = cluster.committed("conversation-replies");
                KafkaProducer<byte[], byte[]> producer = cluster.producer()) {
            cluster.alsoDiagnose("broker log", () -> "\n" + broker.logTail(40));
            AppInstance instance = cluster.instance("broker-a");
            instance.start();
            instance.awaitHttp(Duration.ofMinutes(3));
            cluster.produce(producer, log.subList(0, part));
            List<String> firstReplies = new ArrayList<>();
            for (int restart = 1; restart <= RESTARTS; restart++) {
                committed.awaitCount(committed.count() + replies / (4 * (RESTARTS + 1)), Duration.ofMinutes(5));

                // When the broker is stopped mid-stream, the next part is sent while it is down, and it starts again.
                // The producer is the one that sent the first part: one started while the broker was down was seen
                // to get the same producer id again once it was back, and then only OutOfOrderSequenceException.
                broker.stop();
                List<SyntheticConversations.Line> next = log.subList(restart * part,
                        restart == RESTARTS ? log.size() : (restart + 1) * part);
                CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> cluster.produce(producer, next));
                Thread.sleep(5_000);
                long restarted = System.nanoTime();
                broker.start();
                // Taken once the broker is back, so the first reply after these may come a little earlier than seen.
                var marks = cluster.committedEnds("conversation-replies");
                double firstReply = (committed.awaitFirstAfter(marks, cluster.allPartitions(), Duration.ofMinutes(5))
                        - restarted) / 1e9;
                firstReplies.add(String.format(Locale.ROOT, "%.1f", firstReply));
                sent.get(5, TimeUnit.MINUTES);
            }
            committed.awaitCount(replies, Duration.ofMinutes(5));
            committed.settle(Duration.ofSeconds(3));

            // Then the instance rode it out
            assertThat(instance.alive()).as("instance alive; stderr: %s", instance.stderrTail()).isTrue();
            instance.stop();
            // And the committed replies and final memories are the uninterrupted replay's
            ReplayedExpectation expected = ExactlyOnceAssertions.assertSameAsReplay(cluster, log, committed, dir);
            System.out.println(String.format(Locale.ROOT, "RELIABILITY broker restart: %d utterances, %d replies; "
                    + "broker down 5 s, %d times; broker start -> next committed reply %s s; replay %.0f s",
                    log.size(), replies, RESTARTS, String.join(", ", firstReplies), expected.seconds()));
        }
    }
}
