package io.wmstream.app.broker;

import io.wmstream.topology.config.WmConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates wmstream's four topics (DESIGN 4.1) when they are missing, with the configured partitions and replicas. */
public final class TopicCreator {
    private static final long TIMEOUT_SECONDS = 60;

    private final Admin admin;

    public TopicCreator(Admin admin) {
        this.admin = admin;
    }

    /** The full names of the four topics, prefix included: events, replies, summaries, dead letters. */
    public static List<String> topicNames(WmConfig config) {
        return List.of(config.topic(WmConfig.TOPIC_EVENTS_CONFIG), config.topic(WmConfig.TOPIC_REPLIES_CONFIG),
                config.topic(WmConfig.TOPIC_SUMMARIES_CONFIG), config.topic(WmConfig.TOPIC_DEAD_LETTERS_CONFIG));
    }

    /**
     * Creates whichever of the four topics do not exist yet; existing topics are left as they are.
     *
     * @return the names of the topics this call created
     */
    public List<String> createMissing(WmConfig config) throws ExecutionException, InterruptedException,
            TimeoutException {
        int partitions = config.getInt(WmConfig.TOPIC_PARTITIONS_CONFIG);
        short replication = config.getShort(WmConfig.TOPIC_REPLICATION_FACTOR_CONFIG);
        Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<NewTopic> missing = new ArrayList<>();
        for (String name : topicNames(config)) {
            if (!existing.contains(name)) {
                missing.add(new NewTopic(name, Optional.of(partitions), Optional.of(replication)));
            }
        }
        List<String> created = new ArrayList<>();
        var results = admin.createTopics(missing).values();
        for (NewTopic topic : missing) {
            try {
                results.get(topic.name()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                created.add(topic.name());
            } catch (ExecutionException e) {
                // Another instance created it between our listing and our request: that is what we wanted.
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        return created;
    }
}
