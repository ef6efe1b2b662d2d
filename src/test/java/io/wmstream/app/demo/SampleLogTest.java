package io.wmstream.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.schemas.event.ConversationEvent;
import io.wmstream.schemas.event.EventType;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SampleLogTest {
    private final SampleLog log = SampleLog.load();

    @Test
    void shouldHoldSeveralValidConversationsThatAllEnd() {
        // Every line is a valid event (load() refuses otherwise) and every conversation is closed
        Map<String, List<ConversationEvent>> byConversation = log.events().stream()
                .collect(Collectors.groupingBy(ConversationEvent::conversationId));
        assertThat(byConversation).hasSizeBetween(4, 6);
        assertThat(log.endedConversations()).containsExactlyInAnyOrderElementsOf(byConversation.keySet());
        byConversation.values().forEach(events -> assertThat(events.get(events.size() - 1).type())
                .isEqualTo(EventType.END));
    }

    @Test
    void shouldInterleaveConversations() {
        // Given the order of conversations in the log
        List<String> ids = log.events().stream().map(ConversationEvent::conversationId).toList();

        // Then consecutive events switch conversation often, as live traffic would
        long switches = 0;
        for (int i = 1; i < ids.size(); i++) {
            if (!ids.get(i).equals(ids.get(i - 1))) {
                switches++;
            }
        }
        assertThat(switches).isGreaterThan(ids.size() / 2);
    }

    @Test
    void shouldHaveUsersAndAgentsWithIncreasingTurns() {
        assertThat(log.events()).filteredOn(ConversationEvent::isUtterance).extracting(ConversationEvent::speaker)
                .contains("user", "agent", "system");
        Map<String, List<Long>> turns = log.events().stream().collect(Collectors.groupingBy(
                ConversationEvent::conversationId, Collectors.mapping(ConversationEvent::turn, Collectors.toList())));
        turns.values().forEach(list -> assertThat(list).isSorted().doesNotHaveDuplicates());
    }

    @Test
    void shouldExpectOneReplyPerUserUtterance() {
        long users = log.events().stream().filter(e -> e.isUtterance() && "user".equals(e.speaker())).count();

        assertThat(log.expectedReplies(List.of("user"))).isEqualTo(users).isGreaterThan(10);
    }
}
