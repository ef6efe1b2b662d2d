package io.wmstream.app.pipeline;

import io.wmstream.topology.memory.MemoryRecordLimit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Refuses to start on a working-memory changelog that exists already (an earlier deployment) and accepts smaller
 * records than a memory can take. Kafka Streams sets {@code max.message.bytes} only on a changelog it creates, and
 * {@link MemoryRecordLimit#check} can only compare the limits with that value; an existing topic keeps whatever it
 * was created or altered with, and a memory it refused would fail its task's commits, for every conversation of the
 * task, long after the start.
 */
final class MemoryChangelogCheck {
    private static final long TIMEOUT_SECONDS = 30;

    private final Admin admin;
    private final String bootstrapServers;

    /** Asks {@code admin}; {@code bootstrapServers} only goes into the command the refusal suggests. */
    MemoryChangelogCheck(Admin admin, String bootstrapServers) {
        this.admin = admin;
        this.bootstrapServers = bootstrapServers;
    }

    /** The working-memory changelog's name under {@code applicationId}, as Kafka Streams names it. */
    static String changelogTopic(String applicationId, String storeName) {
        return applicationId + "-" + storeName + "-changelog";
    }

    /**
     * Checks {@code topic}'s {@code max.message.bytes} on the broker against {@code neededBytes}, the largest memory
     * record; a topic that does not exist yet passes (Kafka Streams creates it with
     * {@link MemoryRecordLimit#CHANGELOG_MAX_MESSAGE_BYTES}).
     *
     * @throws PipelineUnavailableException naming the topic, both sizes and the command that fixes the topic
     */
    void check(String topic, long neededBytes) throws ExecutionException, InterruptedException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!existing.contains(topic)) {
            return;
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .get(resource);
        ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        long accepted = Long.parseLong(entry.value());
        if (accepted < neededBytes) {
            long wanted = Math.max(neededBytes, MemoryRecordLimit.CHANGELOG_MAX_MESSAGE_BYTES);
            throw new PipelineUnavailableException("the working-memory changelog " + topic + " exists with "
                    + "max.message.bytes=" + accepted + ", but a conversation's memory can take up to " + neededBytes
                    + " bytes in one record under the wm.memory.* limits; a memory the broker refused would fail "
                    + "its task's commits. Raise the topic's limit: kafka-configs --bootstrap-server "
                    + bootstrapServers + " --alter --entity-type topics --entity-name " + topic
                    + " --add-config max.message.bytes=" + wanted + " (or lower wm.memory.recent.turns, "
                    + "wm.memory.salient.turns or wm.memory.turn.max.chars)");
        }
    }
}
