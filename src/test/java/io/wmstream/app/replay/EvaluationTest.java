package io.wmstream.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
    void shouldReportNoPerplexityWhenNoTurnWasLeftUnanswered() {
        // Given a replay whose every turn got a reply, so the probe measured no tokens (its mean is NaN)
        ObjectNode report = new Evaluation().toJson(1, 0);

        // When its perplexity is put into the report
        Evaluation.putPerplexity(report, Double.NaN, Double.NaN, 0, 1_000_000);

        // Then it is absent with the reason, not a perfect 0
        JsonNode perplexity = report.path("perplexity");
        assertThat(perplexity.path("withMemory").isNull()).isTrue();
        assertThat(perplexity.path("memoryResetPerUtterance").isNull()).isTrue();
        assertThat(perplexity.path("tokens").asLong()).isZero();
        assertThat(perplexity.path("note").asText()).contains("no turns the model does not answer");
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

    @Test
    void shouldCountConversationsPerFactRecallBinAndRepliesPerNumberOfWords() {
        // Given a conversation whose final summary keeps one of its two facts, and replies of 0, 3 and 45 words
        Evaluation evaluation = new Evaluation();
        ObjectNode line = CanonicalJson.mapper().createObjectNode();
        line.putObject("annotations").putObject("belief_state").putObject("hotel").put("area", "north")
                .put("name", "acorn");
        evaluation.onInput(ConversationEvent.utterance("c-1", 0, "user", "a room in the north at the acorn please"),
                line);
        evaluation.onOutput(finalSummary("c-1", "user wants a room in the north"));
        evaluation.onOutput(reply("c-1", ""));
        evaluation.onOutput(reply("c-1", "ten ten ten"));
        evaluation.onOutput(reply("c-1", "word ".repeat(45)));

        // When the report is made
        JsonNode report = evaluation.toJson(1, 0);

        // Then the summary's recall of 0.5 is counted in the bin from 0.5, and each reply in its length's bin
        JsonNode summary = report.path("factRecallHistogram").path("counts").path("summary");
        assertThat(summary).hasSize(Evaluation.RECALL_BINS);
        assertThat(summary.get(5).asLong()).isEqualTo(1);
        assertThat(report.path("factRecall").path("summary").asDouble()).isEqualTo(0.5);
        JsonNode words = report.path("replyWordsHistogram").path("counts");
        assertThat(words).hasSize(Evaluation.REPLY_WORDS_LAST_BIN + 1);
        assertThat(words.get(0).asLong()).isEqualTo(1);
        assertThat(words.get(3).asLong()).isEqualTo(1);
        assertThat(words.get(Evaluation.REPLY_WORDS_LAST_BIN).asLong()).isEqualTo(1);
    }

    @Test
    void shouldPutARecallOnABinEdgeInTheBinItStarts() {
        // Given recalls on and between bin edges, including fractions that floating point puts a hair below one

        // When each is given its bin
        // Then an edge opens its bin and 1 closes the last one
        assertThat(Evaluation.recallBin(0)).isZero();
        assertThat(Evaluation.recallBin(0.1)).isEqualTo(1);
        assertThat(Evaluation.recallBin(3 / 10.0)).isEqualTo(3);
        assertThat(Evaluation.recallBin(1 / 3.0)).isEqualTo(3);
        assertThat(Evaluation.recallBin(7 / 10.0)).isEqualTo(7);
        assertThat(Evaluation.recallBin(0.99)).isEqualTo(9);
        assertThat(Evaluation.recallBin(1.0)).isEqualTo(9);
    }

    private static ReplayOutput finalSummary(String conversation, String text) {
        ObjectNode value = CanonicalJson.mapper().createObjectNode();
        value.put("conversationId", conversation);
        value.put("kind", "final");
        value.put("text", text);
        return new ReplayOutput("conversation-summaries", conversation, CanonicalJson.write(value), false, null, 0,
                0);
    }

    static ReplayOutput reply(String conversation, String text) {
        var value = CanonicalJson.mapper().createObjectNode();
        value.put("conversationId", conversation);
        value.putObject("inReplyTo").put("turn", 0);
        value.put("text", text);
        return new ReplayOutput("conversation-replies", conversation,
                CanonicalJson.write(value), false, null, 0, 0);
    }
}
