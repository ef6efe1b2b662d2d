package io.wmstream.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.schemas.event.ConversationEvent;
import io.wmstream.schemas.json.CanonicalJson;
import org.junit.jupiter.api.Test;

class EvaluationTest {
    @Test
    void shouldCountEmptyAndDegenerateRepliesAndDistinctWords() {
        // Given three replies: a fine one, an empty one and one that repeats itself
        Evaluation evaluation = new Evaluation();
        evaluation.onOutput(reply("c-1", "the museum opens at ten"));
        evaluation.onOutput(reply("c-2", ""));
        evaluation.onOutput(reply("c-3", "ten ten ten ten ten"));

        // When the report is made
        JsonNode replies = evaluation.toJson(1, 0).path("replies");

        // Then one in three is empty, one degenerate, and distinct-1 counts unique words over all replies
        assertThat(replies.path("count").asLong()).isEqualTo(3);
        assertThat(replies.path("emptyRate").asDouble()).isEqualTo(0.3333);
        assertThat(replies.path("degenerateRate").asDouble()).isEqualTo(0.3333);
        assertThat(replies.path("distinct1").asDouble()).isEqualTo(0.5);
    }

    @Test
    void shouldHoldABoundedNumberOfOpenConversations() {
        // Given more conversations than are held, none ended yet
        Evaluation evaluation = new Evaluation();
        for (int c = 0; c <= 10_000; c++) {
            evaluation.onInput(ConversationEvent.utterance("open-" + c, 0, "user", "a table for two"), null);
        }

        // When the report is made
        JsonNode recall = evaluation.toJson(1, 0).path("factRecall");

        // Then the oldest was let go and counted as not scored
        assertThat(recall.path("notScoredTooManyOpen").asLong()).isEqualTo(1);
    }

    private static ReplayOutput reply(String conversation, String text) {
        var value = CanonicalJson.mapper().createObjectNode();
        value.put("conversationId", conversation);
        value.putObject("inReplyTo").put("turn", 0);
        value.put("text", text);
        return new ReplayOutput("conversation-replies", conversation,
                CanonicalJson.write(value), false, null, 0, 0);
    }
}
