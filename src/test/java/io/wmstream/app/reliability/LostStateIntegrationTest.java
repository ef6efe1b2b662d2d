package io.wmstream.app.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, point 4: an instance killed mid-stream and its whole state directory deleted while it is down (a lost
 * disk). It starts again empty, rebuilds every memory from the changelog topics, and nothing is lost or doubled.
 */
@Tag("reliability")
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class LostStateIntegrationTest {
    @RegisterExtension
    static final StandaloneBrokerExtension BROKER = new StandaloneBrokerExtension();

    @TempDir
    Path dir;

    @Test
    void shouldRebuildTheMemoriesFromTheChangelogWhenTheStateDirectoryIsLost() throws Exception {
        // Given 2,400 utterances of 80 interleaved conversations sent to one instance, part of them answered
        List<SyntheticConversations.Line> log = SyntheticConversations.interleaved("lost", 80, 30, 4L);
        int replies = SyntheticConversations.userLines(log);
        try (LiveCluster cluster = new LiveCluster(BROKER.broker().bootstrapServers(), "lost", 4, dir);
                CommittedRecords committed = cluster.committed("conversation-replies")) {
            AppInstance instance = cluster.instance("lost-a");
            instance.start();
            instance.awaitHttp(Duration.ofMinutes(3));
            cluster.produce(log);
            committed.awaitCount(replies * 2 / 5, Duration.ofMinutes(5));

            // When it is killed, its state directory deleted, and it starts again
            instance.kill();
            try (Stream<Path> paths = Files.walk(instance.stateDir())) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            assertThat(instance.stateDir()).doesNotExist();
            var marks = cluster.committedEnds("conversation-replies");
            long restarted = System.nanoTime();
            instance.start();
            double firstReply = (committed.awaitFirstAfter(marks, cluster.allPartitions(), Duration.ofMinutes(5))
                    - restarted) / 1e9;
            committed.awaitCount(replies, Duration.ofMinutes(5));
            committed.settle(Duration.ofSeconds(3));
            instance.stop();

            // Then the committed replies and final memories are those of an uninterrupted replay
            ReplayedExpectation expected = ExactlyOnceAssertions.assertSameAsReplay(cluster, log, committed, dir);
            System.out.println(String.format(Locale.ROOT, "RELIABILITY lost state: %d utterances, %d replies; "
                    + "start on an empty state directory -> next committed reply %.1f s; replay %.0f s",
                    log.size(), replies, firstReply, expected.seconds()));
        }
    }
}
