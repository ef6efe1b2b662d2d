package io.wmstream.app.testing;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs wmstream needs, the table of docs/security.md as code: the pipeline reads the events and writes
 * the outputs, owns its internal topics, group and transactional ids (all named after its application id);
 * {@code produce} writes the events; {@code replay --from-topic} reads them. Topics are created by the operator.
 */
public final class ApplicationAcls {
    private ApplicationAcls() {
    }

    /** What {@code wmstream run} needs as {@code principal} (e.g. {@code User:wmstream}). */
    public static List<AclBinding> pipeline(String principal, String topicPrefix, String applicationId) {
        List<AclBinding> acls = new ArrayList<>();
        topic(acls, principal, topicPrefix + "conversation-events", PatternType.LITERAL, AclOperation.READ,
                AclOperation.DESCRIBE);
        for (String output : List.of("conversation-replies", "conversation-summaries", "conversation-dead-letters")) {
            topic(acls, principal, topicPrefix + output, PatternType.LITERAL, AclOperation.WRITE,
                    AclOperation.DESCRIBE);
        }
        // Changelogs and the repartition topic: "<application.id>-<store>-changelog", "...-repartition".
        topic(acls, principal, applicationId + "-", PatternType.PREFIXED, AclOperation.CREATE, AclOperation.READ,
                AclOperation.WRITE, AclOperation.DELETE, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS);
        allow(acls, new ResourcePattern(ResourceType.GROUP, applicationId, PatternType.LITERAL), principal,
                AclOperation.READ, AclOperation.DESCRIBE);
        // Exactly-once: one transactional id per stream thread, "<application.id>-<process>-<thread>".
        allow(acls, new ResourcePattern(ResourceType.TRANSACTIONAL_ID, applicationId + "-", PatternType.PREFIXED),
                principal, AclOperation.WRITE, AclOperation.DESCRIBE);
        return acls;
    }

    /** What {@code wmstream produce} needs: write the input topic. */
    public static List<AclBinding> producer(String principal, String topicPrefix) {
        List<AclBinding> acls = new ArrayList<>();
        topic(acls, principal, topicPrefix + "conversation-events", PatternType.LITERAL, AclOperation.WRITE,
                AclOperation.DESCRIBE);
        return acls;
    }

    /** What a backend reading the answers needs: read replies and summaries (no group: it assigns partitions). */
    public static List<AclBinding> outputReader(String principal, String topicPrefix) {
        List<AclBinding> acls = new ArrayList<>();
        for (String output : List.of("conversation-replies", "conversation-summaries")) {
            topic(acls, principal, topicPrefix + output, PatternType.LITERAL, AclOperation.READ,
                    AclOperation.DESCRIBE);
        }
        return acls;
    }

    private static void topic(List<AclBinding> acls, String principal, String name, PatternType pattern,
            AclOperation... operations) {
        allow(acls, new ResourcePattern(ResourceType.TOPIC, name, pattern), principal, operations);
    }

    private static void allow(List<AclBinding> acls, ResourcePattern resource, String principal,
            AclOperation... operations) {
        for (AclOperation operation : operations) {
            acls.add(new AclBinding(resource, new AccessControlEntry(principal, "*", operation,
                    AclPermissionType.ALLOW)));
        }
    }
}
