package io.wmstream.app.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, points 1 and 5: {@code wmstream run} in JVMs of its own on a broker in a process of its own, killed
 * with SIGKILL at three random points and restarted on its state directory. The committed replies and the final
 * memories must be those of an uninterrupted replay of the same committed input; the time from each kill to the
 * first new committed reply is measured and printed, with and without standby replicas. The kill points come from
 * a seed that is printed (set {@code -Dwm.test.seed=N} to repeat a run).
 */
@Tag("reliability")
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class CrashRecoveryIntegrationTest {
    private static final Duration START = Duration.ofMinutes(3);
    private static final Duration PROGRESS = Duration.ofMinutes(5);

    @RegisterExtension
    static final StandaloneBrokerExtension BROKER = new StandaloneBrokerExtension();

    @TempDir
    Path dir;

    @Test
    void shouldAnswerEveryUtteranceOnceAndKeepTheReplaysMemoriesAcrossThreeKillsOfTheOnlyInstance()
            throws Exception {
        long seed = seed();
        // Given 20,000 utterances of 500 interleaved conversations sent to one instance, without standbys
        List<SyntheticConversations.Line> log = SyntheticConversations.interleaved("crash", 500, 40, seed);
        int replies = SyntheticConversations.userLines(log);
        try (LiveCluster cluster = new LiveCluster(BROKER.broker().bootstrapServers(), "crash", 4, dir);
                CommittedRecords committed = cluster.committed("conversation-replies")) {
            AppInstance only = cluster.instance("crash-a");
            only.start();
            only.awaitHttp(START);
            long started = System.nanoTime();

            // When it is killed with SIGKILL at three random points and restarted each time
            List<Double> recoveries = sendWithKills(cluster, committed, log, List.of(only), new Random(seed));
            committed.awaitCount(replies, PROGRESS);
            double liveSeconds = (System.nanoTime() - started) / 1e9;
            committed.settle(Duration.ofSeconds(3));
            only.stop();

            // Then the committed replies and final memories are the uninterrupted replay's
            ReplayedExpectation expected = ReplayedExpectation.of(cluster, dir);
            ExactlyOnceAssertions.assertSameAsReplay(log, ExactlyOnceAssertions.values(committed),
                    cluster.finalMemories(), expected);
            report("without standbys, one instance", seed, log.size(), replies, recoveries, liveSeconds,
                    expected.seconds());
        }
    }

    @Test
    void shouldAnswerEveryUtteranceOnceAndKeepTheReplaysMemoriesAcrossThreeKillsWithStandbys() throws Exception {
        long seed = seed() + 1;
        // Given 2,400 utterances of 80 interleaved conversations sent to two instances with a standby of each task
        List<SyntheticConversations.Line> log = SyntheticConversations.interleaved("standby", 80, 30, seed);
        int replies = SyntheticConversations.userLines(log);
        try (LiveCluster cluster = new LiveCluster(BROKER.broker().bootstrapServers(), "standby", 4, dir);
                CommittedRecords committed = cluster.committed("conversation-replies")) {
            List<AppInstance> instances = List.of(
                    cluster.instance("standby-a", "kafka.num.standby.replicas=1"),
                    cluster.instance("standby-b", "kafka.num.standby.replicas=1"));
            for (AppInstance instance : instances) {
                instance.start();
                instance.awaitHttp(START);
            }
            awaitEveryPartitionHeld(cluster, instances.size());
            long started = System.nanoTime();

            // When a random one of them is killed with SIGKILL at three random points, and restarted each time
            List<Double> recoveries = sendWithKills(cluster, committed, log, instances, new Random(seed));
            committed.awaitCount(replies, PROGRESS);
            double liveSeconds = (System.nanoTime() - started) / 1e9;
            committed.settle(Duration.ofSeconds(3));
            for (AppInstance instance : instances) {
                instance.stop();
            }

            // Then the committed replies and final memories are the uninterrupted replay's
            ReplayedExpectation expected = ReplayedExpectation.of(cluster, dir);
            ExactlyOnceAssertions.assertSameAsReplay(log, ExactlyOnceAssertions.values(committed),
                    cluster.finalMemories(), expected);
            report("with standbys, two instances", seed, log.size(), replies, recoveries, liveSeconds,
                    expected.seconds());
        }
    }

    /**
     * Sends the log in four parts; within each of the first three, once a random share (20-90 %) of its replies is
     * committed, kills a random instance and starts it again. The next part is sent right after each restart, so
     * there is always work left for the first new reply, however fast the others were. Returns the recovery times.
     */
    private static List<Double> sendWithKills(LiveCluster cluster, CommittedRecords committed,
            List<SyntheticConversations.Line> log, List<AppInstance> instances, Random random) throws Exception {
        List<Double> recoveries = new ArrayList<>();
        int answered = 0;
        int parts = 4;
        for (int part = 0; part < parts; part++) {
            List<SyntheticConversations.Line> lines = log.subList(log.size() * part / parts,
                    log.size() * (part + 1) / parts);
            if (part == 0) {
                cluster.produce(lines);
            }
            int partReplies = SyntheticConversations.userLines(lines);
            if (part < parts - 1) {
                committed.awaitCount(answered + (int) (partReplies * (0.2 + 0.7 * random.nextDouble())), PROGRESS);
                // The victim must hold partitions (after a kill the survivors may hold them all for a while), and
                // each kill hits a settled group: one while the last one's tasks still restore would time two
                // recoveries in one figure.
                awaitSettled(cluster, instances);
                AppInstance victim = instances.get(random.nextInt(instances.size()));
                List<SyntheticConversations.Line> next = log.subList(log.size() * (part + 1) / parts,
                        log.size() * (part + 2) / parts);
                recoveries.add(killAndRestart(cluster, committed, victim, instances, next));
            }
            answered += partReplies;
        }
        return recoveries;
    }

    /**
     * Kills {@code victim}, starts it again at once, sends {@code next}, and returns the seconds from the kill to the
     * first reply committed after it in a partition the victim held (the others' partitions never stopped).
     */
    private static double killAndRestart(LiveCluster cluster, CommittedRecords committed, AppInstance victim,
            List<AppInstance> instances, List<SyntheticConversations.Line> next) throws Exception {
        Set<Integer> held = instances.size() == 1 ? cluster.allPartitions()
                : cluster.assignments().getOrDefault(victim.name(), cluster.allPartitions());
        long killed = System.nanoTime();
        long killedAtMs = System.currentTimeMillis();
        victim.kill();
        // What read_committed sees once the victim is dead; its open transaction, if any, will be aborted.
        Map<Integer, Long> marks = cluster.committedEnds("conversation-replies");
        victim.start();
        cluster.produce(next);
        victim.awaitHttp(START);
        // 'run' announces HTTP once Kafka Streams is RUNNING: the JVM, the model and the group join are behind it.
        double running = (victim.announcedAtMillis() - killedAtMs) / 1e3;
        long firstReply = committed.awaitFirstAfter(marks, held, PROGRESS);
        double recovery = (firstReply - killed) / 1e9;
        // The wall-clock times are there to line the figures up with the instances' and the broker's logs.
        System.out.printf(Locale.ROOT, "RELIABILITY kill -9 of %s: RUNNING again after %.1f s, first new reply after "
                + "%.1f s (killed at %s, first new reply at %s)%n", victim.name(), running, recovery,
                clock(killedAtMs), clock(killedAtMs + (firstReply - killed) / 1_000_000));
        return recovery;
    }

    private static String clock(long epochMillis) {
        return DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC)
                .format(Instant.ofEpochMilli(epochMillis));
    }

    /** Waits until every instance answers {@code /ready} and, with more than one, holds input partitions. */
    private static void awaitSettled(LiveCluster cluster, List<AppInstance> instances) throws Exception {
        long deadline = System.nanoTime() + START.toNanos();
        while (true) {
            boolean ready = true;
            for (AppInstance instance : instances) {
                ready &= instance.ready();
            }
            if (ready) {
                if (instances.size() > 1) {
                    awaitEveryPartitionHeld(cluster, instances.size());
                }
                return;
            }
            assertThat(System.nanoTime()).as("every instance ready within %s", START).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** Waits until the group has spread every input partition over {@code members} members. */
    static void awaitEveryPartitionHeld(LiveCluster cluster, int members) throws Exception {
        long deadline = System.nanoTime() + START.toNanos();
        while (true) {
            Map<String, Set<Integer>> assignments = cluster.assignments();
            Set<Integer> held = new TreeSet<>();
            assignments.values().forEach(held::addAll);
            if (assignments.size() == members && held.equals(cluster.allPartitions())
                    && assignments.values().stream().noneMatch(Set::isEmpty)) {
                return;
            }
            assertThat(System.nanoTime()).as("assignment %s within %s", assignments, START).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private static long seed() {
        return Long.getLong("wm.test.seed", System.currentTimeMillis());
    }

    private void report(String what, long seed, int utterances, int replies, List<Double> recoveries,
            double liveSeconds, double replaySeconds) throws Exception {
        List<String> times = recoveries.stream().map(s -> String.format(Locale.ROOT, "%.1f s", s)).toList();
        String line = String.format(Locale.ROOT, "RELIABILITY crash (%s): seed %d, %d utterances, %d replies; "
                + "kill -9 -> first new reply: %s (max %.1f s); live run %.0f s, replay %.0f s", what, seed,
                utterances, replies, String.join(", ", times), Collections.max(recoveries), liveSeconds,
                replaySeconds);
        System.out.println(line);
        Files.writeString(dir.resolve("figures.txt"), line + "\n");
    }
}
