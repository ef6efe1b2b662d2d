package io.wmstream.app.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, point 6: at least 10,000 bad records of every class, sent by a real producer between valid traffic,
 * with a flood of 10,000 events on one conversation. Issue 26 adds the class "future and past timestamps": 10,000
 * events dated a day to centuries ahead (dead-lettered, {@code future-timestamp}) and over 10,000 valid utterances
 * dated years back (answered; no conversation expires early, which the final memories prove). Every bad record
 * reaches the dead-letter topic once, with its original bytes and the right reason; duplicated and out-of-order
 * turns are skipped; every valid utterance is answered as an uninterrupted replay of the same committed input
 * answers it; the lag goes back to zero; the instance never stops.
 */
@Tag("reliability")
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class HostileInputIntegrationTest {
    private static final int PER_CLASS = 10_000;
    private static final int FLOOD = 10_000;

    @RegisterExtension
    static final StandaloneBrokerExtension BROKER = new StandaloneBrokerExtension();

    @TempDir
    Path dir;

    @Test
    void shouldDeadLetterEveryBadRecordWithItsReasonAndAnswerEveryValidOneWithoutStalling() throws Exception {
        long seed = Long.getLong("wm.test.seed", System.currentTimeMillis());
        Random random = new Random(seed);
        // Printed first: a run that fails or stalls part way can then be repeated with -Dwm.test.seed
        System.out.println("RELIABILITY hostile: seed " + seed);
        long now = System.currentTimeMillis();
        // Given valid traffic: 200 conversations keyed by id, 20 sent with no key (re-keyed), and a flood of
        // 10,000 events on one conversation, a tenth of them the user's
        List<SyntheticConversations.Line> valid = SyntheticConversations.interleaved("ok", 200, 20, seed, now);
        List<SyntheticConversations.Line> unkeyed = SyntheticConversations.interleaved("unkeyed", 20, 10, seed, now);
        List<SyntheticConversations.Line> flood = new ArrayList<>();
        for (int turn = 0; turn < FLOOD; turn++) {
            boolean user = turn % 10 == 0;
            flood.add(new SyntheticConversations.Line("flood", turn, user, SyntheticConversations.event("flood", turn,
                    user ? "user" : "agent", "flood message number " + turn, now + turn)));
        }
        // And 10,000 records of each bad class, 10,000 duplicated and 10,000 out-of-order turns, dealt at random
        // between the valid records (the flood in one burst half way)
        try (LiveCluster cluster = new LiveCluster(BROKER.broker().bootstrapServers(), "hostile", 4, dir);
                CommittedRecords replies = cluster.committed("conversation-replies");
                CommittedRecords deadLetters = cluster.committed("conversation-dead-letters")) {
            Traffic traffic = new Traffic(cluster, random, now);
            traffic.deal(valid, unkeyed, flood);
            AppInstance instance = cluster.instance("hostile-a");
            instance.start();
            instance.awaitHttp(Duration.ofMinutes(3));

            // When a real producer sends it all while the instance runs
            long started = System.nanoTime();
            List<RecordMetadata> landed = cluster.send(traffic.records);
            double produceSeconds = (System.nanoTime() - started) / 1e9;
            List<SyntheticConversations.Line> answerable = new ArrayList<>(valid);
            answerable.addAll(unkeyed);
            answerable.addAll(flood);
            int expectedReplies = SyntheticConversations.userLines(answerable);
            replies.awaitCount(expectedReplies, Duration.ofMinutes(10));
            deadLetters.awaitCount(traffic.bad.size(), Duration.ofMinutes(5));
            awaitNoLag(cluster);
            double seconds = (System.nanoTime() - started) / 1e9;
            replies.settle(Duration.ofSeconds(3));

            // Then every bad record is in the dead-letter topic once, with its bytes and the right reason
            Map<String, String> expectedReasons = new TreeMap<>();
            Map<String, HostileRecords.Bad> sentBad = new HashMap<>();
            traffic.bad.forEach((index, bad) -> {
                RecordMetadata at = landed.get(index);
                expectedReasons.put(at.partition() + "@" + at.offset(), bad.reason());
                sentBad.put(at.partition() + "@" + at.offset(), bad);
            });
            Map<String, String> reasons = new TreeMap<>();
            List<String> wrong = new ArrayList<>();
            for (CommittedRecords.Seen letter : deadLetters.all()) {
                String source = header(letter, "wm.dlq.source.partition") + "@" + header(letter,
                        "wm.dlq.source.offset");
                assertThat(header(letter, "wm.dlq.source.topic")).isEqualTo(cluster.topic("conversation-events"));
                assertThat(reasons.put(source, header(letter, "wm.dlq.reason"))).as("second dead letter of %s",
                        source).isNull();
                HostileRecords.Bad bad = sentBad.get(source);
                if (bad != null && (!Arrays.equals(bad.key(), letter.key())
                        || !Arrays.equals(bad.value(), letter.value()))) {
                    wrong.add(source + " (" + bad.kind() + "): not the original bytes");
                }
            }
            expectedReasons.forEach((source, reason) -> {
                if (!reason.equals(reasons.get(source))) {
                    wrong.add(source + " (" + sentBad.get(source).kind() + "): expected " + reason + ", got "
                            + reasons.get(source));
                }
            });
            assertThat(wrong).as("dead letters that are missing or wrong").isEmpty();
            assertThat(reasons).hasSameSizeAs(expectedReasons);
            // And the instance never stopped
            assertThat(instance.alive()).as("instance alive; stderr: %s", instance.stderrTail()).isTrue();
            instance.stop();
            // And every valid utterance was answered once, duplicates and out-of-order turns skipped, exactly as an
            // uninterrupted replay of the same committed input answers and remembers them
            ReplayedExpectation expected = ReplayedExpectation.of(cluster, dir);
            ExactlyOnceAssertions.assertSameAsReplay(answerable, ExactlyOnceAssertions.values(replies),
                    cluster.finalMemories(), expected);
            assertThat(expected.deadLetters()).hasSize(traffic.bad.size());

            Map<String, Integer> byKind = new TreeMap<>();
            traffic.bad.values().forEach(bad -> byKind.merge(bad.kind(), 1, Integer::sum));
            String figures = String.format(Locale.ROOT, "RELIABILITY hostile: seed %d, %d records sent in %.1f s "
                    + "(%d valid utterances, %d of them a flood on one conversation; %d duplicated and %d "
                    + "out-of-order turns; %d valid utterances dated years back; bad by class %s); %d replies, %d "
                    + "dead letters, lag 0 after %.0f s; replay %.0f s", seed, traffic.records.size(), produceSeconds,
                    answerable.size(), flood.size(), traffic.duplicates, traffic.outOfOrder, traffic.past, byKind,
                    expectedReplies, reasons.size(), seconds, expected.seconds());
            System.out.println(figures);
            Files.writeString(dir.resolve("figures.txt"), figures + "\n");
        }
    }

    private static void awaitNoLag(LiveCluster cluster) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        long lag = cluster.inputLag();
        while (lag > 0 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            lag = cluster.inputLag();
        }
        assertThat(lag).as("input lag three minutes after the last answer").isZero();
    }

    private static String header(CommittedRecords.Seen record, String name) {
        Header header = record.record().headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The records to send, in order, and which of them are bad. */
    private static final class Traffic {
        private final LiveCluster cluster;
        private final Random random;
        private final HostileRecords hostile;
        final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        /** Bad records by their index in {@link #records}. */
        final Map<Integer, HostileRecords.Bad> bad = new TreeMap<>();
        int duplicates;
        int outOfOrder;
        /** Valid utterances sent dated years back (the past half of the "future and past timestamps" class). */
        int past;
        private final long nowMs;
        /** The keyed valid lines sent so far: what a duplicate or a late turn copies. */
        private final List<SyntheticConversations.Line> sentKeyed = new ArrayList<>();

        Traffic(LiveCluster cluster, Random random, long nowMs) {
            this.cluster = cluster;
            this.random = random;
            this.hostile = new HostileRecords(random.nextLong(), nowMs);
            this.nowMs = nowMs;
        }

        void deal(List<SyntheticConversations.Line> valid, List<SyntheticConversations.Line> unkeyed,
                List<SyntheticConversations.Line> flood) {
            List<String> extras = new ArrayList<>();
            for (String kind : HostileRecords.KINDS) {
                for (int n = 0; n < PER_CLASS; n++) {
                    extras.add(kind);
                }
            }
            for (int n = 0; n < PER_CLASS; n++) {
                extras.add("duplicate");
                extras.add("out-of-order");
            }
            Collections.shuffle(extras, random);
            List<SyntheticConversations.Line> good = mergeKeepingOrder(valid, unkeyed);
            int perValid = extras.size() / good.size() + 1;
            Map<String, Integer> counters = new HashMap<>();
            int next = 0;
            for (int i = 0; i < good.size(); i++) {
                if (i == good.size() / 2) {
                    flood.forEach(this::sendValid);
                }
                sendValid(good.get(i));
                // Duplicates and late turns copy a keyed line already sent: none exists while only unkeyed lines
                // went out (the first lines may all be unkeyed), so the extras wait for the next round
                for (int k = 0; k < perValid && next < extras.size() && !sentKeyed.isEmpty(); k++) {
                    dealExtra(extras.get(next++), counters);
                }
            }
            while (next < extras.size()) {
                dealExtra(extras.get(next++), counters);
            }
        }

        private void dealExtra(String kind, Map<String, Integer> counters) {
            int n = counters.merge(kind, 1, Integer::sum) - 1;
            switch (kind) {
                case "duplicate" -> duplicate();
                case "out-of-order" -> outOfOrder();
                default -> {
                    HostileRecords.Bad record = hostile.next(kind, n);
                    bad.put(records.size(), record);
                    records.add(new ProducerRecord<>(cluster.topic("conversation-events"), record.key(),
                            record.value()));
                }
            }
        }

        private List<SyntheticConversations.Line> mergeKeepingOrder(List<SyntheticConversations.Line> a,
                List<SyntheticConversations.Line> b) {
            List<SyntheticConversations.Line> merged = new ArrayList<>();
            int i = 0;
            int j = 0;
            while (i < a.size() || j < b.size()) {
                boolean fromA = j >= b.size() || (i < a.size() && random.nextInt(a.size() + b.size()) < a.size());
                merged.add(fromA ? a.get(i++) : b.get(j++));
            }
            return merged;
        }

        /**
         * Unkeyed conversations go to a fixed partition each, so that their order survives re-keying. Every flood
         * turn after the first and half the other conversations' later turns are dated one to fifty years back: an
         * old time is accepted and answered, and must neither expire its conversation (whose activity time only
         * moves forward) nor any other.
         */
        private void sendValid(SyntheticConversations.Line line) {
            if (!line.conversationId().startsWith("unkeyed-")) {
                sentKeyed.add(line);
            }
            String json = line.json();
            if (line.turn() > 0 && (line.conversationId().equals("flood") || random.nextBoolean())) {
                long years = 1 + random.nextInt(50);
                long pastMs = nowMs - years * 31_557_600_000L;
                json = json.replaceFirst("\"timestamp\":\\d+", "\"timestamp\":" + pastMs);
                past++;
            }
            if (line.conversationId().startsWith("unkeyed-")) {
                int partition = Integer.parseInt(line.conversationId().substring("unkeyed-".length()))
                        % cluster.partitions();
                records.add(new ProducerRecord<>(cluster.topic("conversation-events"), partition, null,
                        LiveCluster.utf8(json)));
            } else {
                records.add(new ProducerRecord<>(cluster.topic("conversation-events"),
                        LiveCluster.utf8(line.conversationId()), LiveCluster.utf8(json)));
            }
        }

        /** The very same event again, after it was sent: same turn, same eventId. */
        private void duplicate() {
            SyntheticConversations.Line line = earlierKeyed();
            duplicates++;
            records.add(new ProducerRecord<>(cluster.topic("conversation-events"),
                    LiveCluster.utf8(line.conversationId()), LiveCluster.utf8(line.json())));
        }

        /** A new event (new eventId, new text) whose turn is at or below one already sent for its conversation. */
        private void outOfOrder() {
            SyntheticConversations.Line line = earlierKeyed();
            outOfOrder++;
            String event = SyntheticConversations.event(line.conversationId(), random.nextInt((int) line.turn() + 1),
                    "user", "this came too late " + outOfOrder, System.currentTimeMillis())
                    .replace("\"eventId\":\"", "\"eventId\":\"late-" + outOfOrder + "-");
            records.add(new ProducerRecord<>(cluster.topic("conversation-events"),
                    LiveCluster.utf8(line.conversationId()), LiveCluster.utf8(event)));
        }

        private SyntheticConversations.Line earlierKeyed() {
            return sentKeyed.get(random.nextInt(sentKeyed.size()));
        }
    }
}
