package io.wmstream.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.schemas.event.ConversationEvent;
import io.wmstream.schemas.json.CanonicalJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
        assertThat(summary).hasSize(FactRecallScores.BINS);
        assertThat(summary.get(5).asLong()).isEqualTo(1);
        assertThat(report.path("factRecall").path("summary").asDouble()).isEqualTo(0.5);
        JsonNode words = report.path("replyWordsHistogram").path("counts");
        assertThat(words).hasSize(ReplyStatistics.WORDS_LAST_BIN + 1);
        assertThat(words.get(0).asLong()).isEqualTo(1);
        assertThat(words.get(3).asLong()).isEqualTo(1);
        assertThat(words.get(ReplyStatistics.WORDS_LAST_BIN).asLong()).isEqualTo(1);
    }

    @Test
    void shouldScoreEachReplyAgainstTheOtherSidesNextTurnWhicheverArrivesFirst() {
        // Given a conversation of two exchanges; the first reply comes out after the log's next turn came in (as
        // in a batch), the second before it
        Evaluation evaluation = new Evaluation();
        evaluation.onInput(utterance("c-1", 0, "user", "Is there a cheap hotel in the north ?"), null);
        evaluation.onInput(utterance("c-1", 1, "system", "Yes , the Lark is cheap and in the north ."), null);
        evaluation.onOutput(reply("c-1", 0, "The Lark is cheap and in the north."));
        evaluation.onInput(utterance("c-1", 2, "user", "Book it for two nights ."), null);
        evaluation.onOutput(reply("c-1", 2, "For how many people?"));
        evaluation.onInput(utterance("c-1", 3, "system", "Done , for how many people ?"), null);

        // When the report is made
        JsonNode references = evaluation.toJson(1, 0).path("replyReferences");

        // Then both replies were scored against their own next turn, as the metrics score those pairs directly
        ReferenceScores expected = new ReferenceScores();
        expected.add(ReplyTokenizer.tokens("The Lark is cheap and in the north."),
                ReplyTokenizer.tokens("Yes , the Lark is cheap and in the north ."));
        expected.add(ReplyTokenizer.tokens("For how many people?"),
                ReplyTokenizer.tokens("Done , for how many people ?"));
        assertThat(references.path("count").asLong()).isEqualTo(2);
        assertThat(references.path("withoutReference").asLong()).isZero();
        assertThat(references.path("bleu4").asDouble()).isEqualTo(Rounding.round(expected.bleu4())).isPositive();
        assertThat(references.path("rougeL").asDouble()).isEqualTo(Rounding.round(expected.rougeL()));
        assertThat(references.path("signature").asText()).contains(ReplyTokenizer.NAME, "nltk");
    }

    @Test
    void shouldLeaveAReplyWithoutReferenceWhenTheSameSideSpeaksNextOrNobodyDoes() {
        // Given a user turn followed by another user turn, and a last user turn that nothing follows
        Evaluation evaluation = new Evaluation();
        evaluation.onInput(utterance("c-1", 0, "user", "Hello ."), null);
        evaluation.onOutput(reply("c-1", 0, "Hello, how can I help?"));
        evaluation.onInput(utterance("c-1", 1, "user", "I need a train ."), null);
        evaluation.onOutput(reply("c-1", 1, "Where to?"));

        // When the report is made
        JsonNode references = evaluation.toJson(1, 0).path("replyReferences");

        // Then neither reply has a reference
        assertThat(references.path("count").asLong()).isZero();
        assertThat(references.path("withoutReference").asLong()).isEqualTo(2);
        assertThat(references.path("bleu4").asDouble()).isZero();
    }

    @Test
    void shouldScoreRepliesPerDomainTheReferenceNames() throws IOException {
        // Given a MultiWOZ-style exchange whose reference names hotel acts, and an SGD-style one naming a service
        Evaluation evaluation = new Evaluation();
        evaluation.onInput(utterance("m-1", 0, "user", "A hotel please ."), null);
        evaluation.onInput(utterance("m-1", 1, "system", "The Lark is a hotel ."),
                json("{\"annotations\":{\"dialog_act\":{\"Hotel-Inform\":[[\"Name\",\"the lark\"]],"
                        + "\"general-reqmore\":[[\"none\",\"none\"]]}}}"));
        evaluation.onOutput(reply("m-1", 0, "The Lark is a hotel."));
        evaluation.onInput(utterance("s-1", 0, "user", "Find me a dentist."), null);
        evaluation.onInput(utterance("s-1", 1, "system", "In which city?"),
                json("{\"annotations\":{\"frames\":[{\"service\":\"Services_2\",\"slots\":[]}]}}"));
        evaluation.onOutput(reply("s-1", 0, "Which city?"));

        // When the report is made
        JsonNode domains = evaluation.toJson(1, 0).path("replyReferences").path("byDomain");

        // Then each reply counts in every domain its reference names, and a perfect reply scores 100 there
        assertThat(domains.path("hotel").path("count").asLong()).isEqualTo(1);
        assertThat(domains.path("general").path("count").asLong()).isEqualTo(1);
        assertThat(domains.path("hotel").path("bleu4").asDouble()).isEqualTo(100.0);
        assertThat(domains.path("Services_2").path("count").asLong()).isEqualTo(1);
        assertThat(domains.path("Services_2").path("bleu4").asDouble()).isLessThan(100.0);
    }

    @Test
    void shouldCountAValueInventedWhenOnlyALaterTurnHoldsIt() {
        // Given a user who gave the number of people, and a reference turn, after the reply, with a code
        Evaluation evaluation = new Evaluation();
        evaluation.onInput(utterance("c-1", 0, "user", "Book a table for 6 people ."), null);
        evaluation.onInput(utterance("c-1", 1, "system", "Booked , reference is ab12cd34 ."), null);
        evaluation.onOutput(reply("c-1", 0, "Booked for 6, reference ab12cd34."));
        evaluation.onInput(utterance("c-2", 0, "user", "Book a table for 6 people ."), null);
        evaluation.onOutput(reply("c-2", 0, "Booked for 6, reference [reference]."));

        // When the report is made
        JsonNode invented = evaluation.toJson(1, 0).path("inventedValues");

        // Then the first reply invented the code (nothing before it said it); the second invents nothing and
        // holds a placeholder instead
        assertThat(invented.path("repliesChecked").asLong()).isEqualTo(2);
        assertThat(invented.path("rate").asDouble()).isEqualTo(0.5);
        assertThat(invented.path("codeRate").asDouble()).isEqualTo(0.5);
        assertThat(invented.path("numberRate").asDouble()).isZero();
        assertThat(invented.path("values").asLong()).isEqualTo(1);
        assertThat(invented.path("placeholders").asLong()).isEqualTo(1);
        assertThat(invented.path("repliesWithPlaceholders").asLong()).isEqualTo(1);
        assertThat(invented.path("examples").get(0).path("invented").get(0).asText()).isEqualTo("ab12cd34");
    }

    @Test
    void shouldMeasureRequestCoverageOfUserTurnsAndRepeatedThreeGramsOfEveryReply() throws IOException {
        // Given a user turn that asks for a phone number answered with its placeholder, one that asks for an address
        // answered without it, and a system turn that asks something (the user's to answer, not the reply's)
        Evaluation evaluation = new Evaluation();
        evaluation.onInput(utterance("c-1", 0, "user", "What is their phone number ?"),
                json("{\"annotations\": {\"dialog_act\": {\"Hotel-Request\": [[\"Phone\", \"?\"]]}}}"));
        evaluation.onOutput(reply("c-1", 0, "The phone number is [phone]. The phone number is [phone]."));
        evaluation.onInput(utterance("c-1", 1, "system", "Which area ?"),
                json("{\"annotations\": {\"dialog_act\": {\"Hotel-Request\": [[\"Area\", \"?\"]]}}}"));
        evaluation.onInput(utterance("c-1", 2, "user", "And the address ?"),
                json("{\"annotations\": {\"dialog_act\": {\"Hotel-Request\": [[\"Addr\", \"?\"]]}}}"));
        evaluation.onOutput(reply("c-1", 2, "Is there anything else?"));

        // When the report is made
        JsonNode report = evaluation.toJson(1, 0);

        // Then one of the two user requests is covered, and the first reply's three repeats are counted
        assertThat(report.path("requestCoverage").path("turns").asLong()).isEqualTo(2);
        assertThat(report.path("requestCoverage").path("coverage").asDouble()).isEqualTo(0.5);
        assertThat(report.path("requestCoverage").path("byAttribute").has("multiwoz:area")).isFalse();
        assertThat(report.path("repeatedTrigrams").path("perReply").asDouble()).isEqualTo(1.5);
        assertThat(report.path("repeatedTrigrams").path("replyRate").asDouble()).isEqualTo(0.5);
        assertThat(EvaluationTable.of(report)).contains("request coverage: 50.0% of 2 user turns")
                .contains("repeated 3-grams: 1.5000 per reply, 1 of 2 replies");
    }

    @Test
    void shouldScoreFactRecallFromTheFinalSgdDialogueStateOfEveryService() throws IOException {
        // Given an SGD-style conversation over two services: the restaurant's city changes, a movie follows
        Evaluation evaluation = new Evaluation();
        evaluation.onInput(utterance("s-1", 0, "user", "A table in Oakland please."), json(sgdState("Restaurants_1",
                "{\"city\":[\"Oakland\"]}")));
        evaluation.onInput(utterance("s-1", 1, "system", "Sure."), null);
        evaluation.onInput(utterance("s-1", 2, "user", "Make it Berkeley, at 7 pm."), json(sgdState(
                "Restaurants_1", "{\"city\":[\"Berkeley\"],\"time\":[\"7 pm\",\"19:00\"]}")));
        evaluation.onInput(utterance("s-1", 3, "user", "Then a movie, Inception."), json(sgdState("Movies_1",
                "{\"title\":[\"Inception\"],\"genre\":[\"drama\"]}")));

        // When its final summary keeps Berkeley and the time
        evaluation.onOutput(finalSummary("s-1", "Table in Berkeley at 7 pm ."));
        JsonNode recall = evaluation.toJson(1, 0).path("factRecall");

        // Then the facts are the final values said (Berkeley, the time, Inception; not Oakland, not the unsaid
        // genre), the summary keeps two of three, and the source is named
        assertThat(recall.path("source").asText()).isEqualTo("sgd-dialogue-state");
        assertThat(recall.path("conversations").asLong()).isEqualTo(1);
        assertThat(recall.path("summary").asDouble()).isEqualTo(0.6667);
    }

    @Test
    void shouldScoreTheFactsTheUserStatedOnTheirOwn() throws IOException {
        // Given a conversation whose user states the area and whose system offers a name
        Evaluation evaluation = new Evaluation();
        evaluation.onInput(utterance("m-1", 0, "user", "A hotel in the north please ."), null);
        evaluation.onInput(utterance("m-1", 1, "system", "The Lark is in the north ."), json("{\"annotations\":{"
                + "\"belief_state\":{\"hotel\":{\"area\":\"north\",\"name\":\"the lark\"}}}}"));

        // When the final summary keeps only the system's name
        evaluation.onOutput(finalSummary("m-1", "The Lark , a hotel ."));
        JsonNode report = evaluation.toJson(1, 0);

        // Then it keeps half of all facts and none of those the user stated, where the first five user words do
        assertThat(report.path("factRecall").path("summary").asDouble()).isEqualTo(0.5);
        assertThat(report.path("factRecallUserStated").path("conversations").asLong()).isEqualTo(1);
        assertThat(report.path("factRecallUserStated").path("summary").asDouble()).isZero();
        assertThat(report.path("factRecallUserStated").path("first-user").asDouble()).isEqualTo(1.0);
    }

    @Test
    void shouldNameNoFactSourceForALogWithoutAnnotations() {
        // Given a conversation without any annotation
        Evaluation evaluation = new Evaluation();
        evaluation.onInput(utterance("c-1", 0, "user", "Hello there."), null);

        // When it ends and the report is made
        evaluation.onOutput(finalSummary("c-1", "Hello there."));
        JsonNode recall = evaluation.toJson(1, 0).path("factRecall");

        // Then nothing was scored, and the report says there was no source
        assertThat(recall.path("source").asText()).isEqualTo("none");
        assertThat(recall.path("conversations").asLong()).isZero();
    }

    private static ConversationEvent utterance(String conversation, long turn, String speaker, String text) {
        return ConversationEvent.utterance(conversation, turn, speaker, text);
    }

    private static String sgdState(String service, String slotValues) {
        return "{\"annotations\":{\"frames\":[{\"service\":\"" + service + "\",\"slots\":[],\"state\":{"
                + "\"active_intent\":\"X\",\"requested_slots\":[],\"slot_values\":" + slotValues + "}}]}}";
    }

    private static JsonNode json(String text) throws IOException {
        return CanonicalJson.readTree(text.getBytes(StandardCharsets.UTF_8));
    }

    static ObjectNode finalSummary(String conversation, String text) {
        ObjectNode value = CanonicalJson.mapper().createObjectNode();
        value.put("conversationId", conversation);
        value.put("kind", "final");
        value.put("text", text);
        return value;
    }

    static ObjectNode reply(String conversation, String text) {
        return reply(conversation, 0, text);
    }

    static ObjectNode reply(String conversation, long turn, String text) {
        ObjectNode value = CanonicalJson.mapper().createObjectNode();
        value.put("conversationId", conversation);
        value.putObject("inReplyTo").put("turn", turn);
        value.put("text", text);
        return value;
    }
}
