package io.wmstream.app.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.schemas.json.CanonicalJson;
import io.wmstream.topology.memory.WorkingMemory;
import io.wmstream.topology.memory.WorkingMemoryCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The checks every reliability test ends with: the live cluster's committed result against its replay. */
final class ExactlyOnceAssertions {
    private ExactlyOnceAssertions() {
    }

    /**
     * Replays the cluster's committed input and checks its committed replies and final memories against that
     * replay (call once every instance is stopped); returns the replay.
     */
    static ReplayedExpectation assertSameAsReplay(LiveCluster cluster, List<SyntheticConversations.Line> log,
            CommittedRecords replies, Path dir) throws Exception {
        ReplayedExpectation expected = ReplayedExpectation.of(cluster, dir);
        assertSameAsReplay(log, values(replies), cluster.finalMemories(), expected);
        return expected;
    }

    /**
     * Exactly one reply per user utterance, in order per conversation, each byte-identical to the replay's; and
     * each conversation's final memory (state bytes, counters, tracked turns) equal to the replay's.
     */
    static void assertSameAsReplay(List<SyntheticConversations.Line> log, Map<String, List<String>> liveReplies,
            Map<String, byte[]> liveMemories, ReplayedExpectation expected) {
        Map<String, List<Long>> userTurns = new TreeMap<>();
        Map<String, Integer> utterances = new TreeMap<>();
        for (SyntheticConversations.Line line : log) {
            utterances.merge(line.conversationId(), 1, Integer::sum);
            if (line.user()) {
                userTurns.computeIfAbsent(line.conversationId(), k -> new ArrayList<>()).add(line.turn());
            }
        }
        // One reply per user utterance, in the conversation's order: none lost, none doubled
        Map<String, List<Long>> answered = new TreeMap<>();
        liveReplies.forEach((id, replies) -> answered.put(id, replies.stream()
                .map(ExactlyOnceAssertions::inReplyToTurn).toList()));
        assertThat(answered).as("turns answered per conversation").isEqualTo(userTurns);
        // The same bytes as the uninterrupted replay of the same committed input
        assertThat(new TreeMap<>(liveReplies)).as("reply values per conversation")
                .isEqualTo(expected.replies());
        // And the memory advanced exactly once per utterance: the same final memory as the replay's
        assertThat(liveMemories.keySet()).as("conversations with a memory").isEqualTo(utterances.keySet())
                .isEqualTo(expected.memories().keySet());
        List<String> different = new ArrayList<>();
        for (Map.Entry<String, byte[]> memory : liveMemories.entrySet()) {
            byte[] replayed = expected.memories().get(memory.getKey());
            WorkingMemory live = WorkingMemoryCodec.decode(memory.getValue());
            WorkingMemory reference = WorkingMemoryCodec.decode(replayed);
            if (!Arrays.equals(memory.getValue(), replayed)
                    || !live.rememberedTurns().equals(reference.rememberedTurns())
                    || live.utterances() != utterances.get(memory.getKey())) {
                different.add(memory.getKey() + " (live " + live.utterances() + " utterances, last turn "
                        + live.lastTurn() + "; replay " + reference.utterances() + ", " + reference.lastTurn() + ")");
            }
        }
        assertThat(different).as("conversations whose final memory differs from the replay's").isEmpty();
    }

    /** Reply values by conversation, in offset order, as text. */
    static Map<String, List<String>> values(CommittedRecords records) {
        Map<String, List<String>> values = new TreeMap<>();
        records.byKey().forEach((key, seen) -> values.put(key, seen.stream()
                .map(s -> new String(s.value(), StandardCharsets.UTF_8)).toList()));
        return values;
    }

    private static long inReplyToTurn(String reply) {
        try {
            return CanonicalJson.readTree(reply.getBytes(StandardCharsets.UTF_8)).get("inReplyTo").get("turn")
                    .asLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
