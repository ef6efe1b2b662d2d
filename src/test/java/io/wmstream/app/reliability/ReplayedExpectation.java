package io.wmstream.app.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.app.Main;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.pipeline.TopologyPipelineFactory;
import io.wmstream.app.testing.Console;
import io.wmstream.schemas.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a live run must have written, recomputed as Kafka's EOS system test does: an uninterrupted
 * {@code wmstream replay} of the very input the cluster committed ({@code --from-topic}), with its final memories
 * ({@code --memories}).
 *
 * @param replies each conversation's reply values, in order, as the bytes a live run writes
 * @param deadLetters each dead letter's reason, by the source offset of its record ("partition@offset" is not kept
 *     by replay, so they are listed in replay order)
 * @param memories each open conversation's final stored memory
 * @param seconds how long the replay took
 */
record ReplayedExpectation(Map<String, List<String>> replies, List<String> deadLetters, Map<String, byte[]> memories,
        double seconds) {

    /** Replays the committed input topic of {@code cluster} into files under {@code dir}. */
    static ReplayedExpectation of(LiveCluster cluster, Path dir) throws Exception {
        Path output = dir.resolve("replay.jsonl");
        Path memories = dir.resolve("replay-memories.jsonl");
        Console console = new Console();
        long started = System.nanoTime();
        // The same settings as the live instances: the defaults, with only the topic prefix and the CPU pinned.
        int code = new Main(console.context(Map.of("WM_TOPIC_PREFIX", cluster.prefix(), "WM_MODEL_DEVICE", "cpu"),
                new TopologyPipelineFactory())).execute("replay", "--from-topic",
                cluster.topic("conversation-events"), "--bootstrap-servers", cluster.bootstrapServers(),
                "--output", output.toString(), "--memories", memories.toString());
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(code).as(console.err()).isEqualTo(ExitCode.OK);
        Map<String, List<String>> replies = new TreeMap<>();
        List<String> deadLetters = new ArrayList<>();
        for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            JsonNode record = CanonicalJson.readTree(line.getBytes(StandardCharsets.UTF_8));
            String topic = record.path("topic").asText();
            if (topic.endsWith("conversation-replies")) {
                replies.computeIfAbsent(record.path("key").asText(), k -> new ArrayList<>()).add(new String(
                        CanonicalJson.mapper().writeValueAsBytes(record.get("value")), StandardCharsets.UTF_8));
            } else if (topic.endsWith("conversation-dead-letters")) {
                deadLetters.add(record.path("reason").asText());
            }
        }
        Map<String, byte[]> finalMemories = new TreeMap<>();
        for (String line : Files.readAllLines(memories, StandardCharsets.UTF_8)) {
            JsonNode memory = CanonicalJson.readTree(line.getBytes(StandardCharsets.UTF_8));
            finalMemories.put(memory.get("conversationId").asText(),
                    Base64.getDecoder().decode(memory.get("memoryBase64").asText()));
        }
        return new ReplayedExpectation(replies, deadLetters, finalMemories, seconds);
    }
}
