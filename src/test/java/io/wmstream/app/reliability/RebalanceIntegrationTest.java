package io.wmstream.app.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, point 3: two instances with standby replicas; mid-stream a third joins and, later, one of the first
 * two leaves (a clean stop). Nothing is lost or doubled, and every conversation's memory can be asked of either
 * remaining instance, which answers it or redirects to the one that holds it.
 */
@Tag("reliability")
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class RebalanceIntegrationTest {
    private static final Duration START = Duration.ofMinutes(3);
    private static final Duration PROGRESS = Duration.ofMinutes(5);

    @RegisterExtension
    static final StandaloneBrokerExtension BROKER = new StandaloneBrokerExtension();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void shouldAnswerEveryUtteranceOnceAndServeEveryMemoryFromAnyInstanceWhileOneJoinsAndOneLeaves()
            throws Exception {
        // Given 2,400 utterances of 80 interleaved conversations sent to two instances with standby replicas
        List<SyntheticConversations.Line> log = SyntheticConversations.interleaved("rebalance", 80, 30, 3L);
        int replies = SyntheticConversations.userLines(log);
        try (LiveCluster cluster = new LiveCluster(BROKER.broker().bootstrapServers(), "rebalance", 6, dir);
                CommittedRecords committed = cluster.committed("conversation-replies")) {
            AppInstance a = cluster.instance("rebalance-a", "kafka.num.standby.replicas=1");
            AppInstance b = cluster.instance("rebalance-b", "kafka.num.standby.replicas=1");
            AppInstance c = cluster.instance("rebalance-c", "kafka.num.standby.replicas=1");
            for (AppInstance instance : List.of(a, b)) {
                instance.start();
                instance.awaitHttp(START);
            }
            CrashRecoveryIntegrationTest.awaitEveryPartitionHeld(cluster, 2);
            cluster.produce(log);

            // When a third instance joins after a quarter of the replies
            committed.awaitCount(replies / 4, PROGRESS);
            c.start();
            c.awaitHttp(START);
            CrashRecoveryIntegrationTest.awaitEveryPartitionHeld(cluster, 3);
            Map<String, ?> withThree = cluster.assignments();
            // And the first one leaves after half of them
            committed.awaitCount(replies / 2, PROGRESS);
            a.stop();
            CrashRecoveryIntegrationTest.awaitEveryPartitionHeld(cluster, 2);
            committed.awaitCount(replies, PROGRESS);
            committed.settle(Duration.ofSeconds(3));

            // Then every conversation's memory is served by both remaining instances, with all its turns
            Map<String, Integer> turns = new TreeMap<>();
            log.forEach(line -> turns.merge(line.conversationId(), 1, Integer::sum));
            List<String> unanswered = new ArrayList<>();
            for (AppInstance asked : List.of(b, c)) {
                for (Map.Entry<String, Integer> conversation : turns.entrySet()) {
                    String body = conversation(asked.http(), conversation.getKey());
                    if (body == null || !body.contains("\"turns\":" + conversation.getValue() + ",")) {
                        unanswered.add(asked.name() + " " + conversation.getKey() + ": " + body);
                    }
                }
            }
            assertThat(unanswered).as("memory queries not answered in full").isEmpty();
            b.stop();
            c.stop();
            // And the committed replies and final memories are those of an uninterrupted replay
            ReplayedExpectation expected = ExactlyOnceAssertions.assertSameAsReplay(cluster, log, committed, dir);
            System.out.println(String.format(Locale.ROOT, "RELIABILITY rebalance: %d utterances, %d replies; "
                    + "assignment with three instances %s; %d memory queries answered; replay %.0f s", log.size(),
                    replies, withThree, 2 * turns.size(), expected.seconds()));
        }
    }

    /**
     * The body of {@code GET /conversations/{id}} once it answers 200: right after a rebalance the store may be
     * migrating (503) for a while. Null when it never does within a minute.
     */
    private String conversation(URI base, String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("conversations/" + id))
                    .timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() == 200) {
                return response.body();
            }
            if (System.nanoTime() > deadline) {
                return null;
            }
            Thread.sleep(500);
        }
    }
}
