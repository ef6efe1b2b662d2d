package io.wmstream.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.schemas.json.CanonicalJson;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FactRecallScoresTest {
    @Test
    void shouldAverageEachMethodAndCountEachConversationInItsBin() {
        // Given two conversations from MultiWOZ belief states: a summary that keeps one of two facts, and one that
        // keeps the only fact, which the other side stated
        FactRecallScores scores = new FactRecallScores();
        List<FactRecall.Utterance> first = List.of(new FactRecall.Utterance("user",
                "a room in the north at the acorn please"));
        scores.add(List.of(FactRecall.Fact.of("north"), FactRecall.Fact.of("acorn")),
                FactSource.MULTIWOZ_BELIEF_STATE, "user wants a room in the north", first);
        List<FactRecall.Utterance> second = List.of(new FactRecall.Utterance("user", "a cheap hotel"),
                new FactRecall.Utterance("system", "the lark is cheap"));
        scores.add(List.of(FactRecall.Fact.of("the lark")), FactSource.MULTIWOZ_BELIEF_STATE, "the lark", second);
        scores.onNotScoredTooManyOpen();

        // When the sections are put into the report
        ObjectNode recall = scores.putInto(CanonicalJson.mapper().createObjectNode());
        ObjectNode stated = scores.putUserStatedInto(CanonicalJson.mapper().createObjectNode());
        ObjectNode histogram = scores.putHistogramInto(CanonicalJson.mapper().createObjectNode());

        // Then the summary's mean is (0.5 + 1) / 2, each conversation is in its bin, and only the first has a fact
        // its user stated
        List<String> fields = new ArrayList<>();
        recall.fieldNames().forEachRemaining(fields::add);
        List<String> expected = new ArrayList<>(List.of("source", "conversations", "notScoredTooManyOpen",
                "meanSummaryWords"));
        expected.addAll(FactRecall.METHODS);
        assertThat(fields).isEqualTo(expected);
        assertThat(recall.path("source").asText()).isEqualTo("multiwoz-belief-state");
        assertThat(recall.path("conversations").asLong()).isEqualTo(2);
        assertThat(recall.path("notScoredTooManyOpen").asLong()).isEqualTo(1);
        assertThat(recall.path("meanSummaryWords").asDouble()).isEqualTo(4.5);
        assertThat(recall.path("summary").asDouble()).isEqualTo(0.75);
        JsonNode summaryBins = histogram.path("counts").path("summary");
        assertThat(summaryBins).hasSize(FactRecallScores.BINS);
        assertThat(summaryBins.get(5).asLong()).isEqualTo(1);
        assertThat(summaryBins.get(9).asLong()).isEqualTo(1);
        assertThat(histogram.path("binWidth").asDouble()).isEqualTo(0.1);
        assertThat(stated.path("conversations").asLong()).isEqualTo(1);
        assertThat(stated.path("summary").asDouble()).isEqualTo(0.5);
    }

    @Test
    void shouldNameTheSourceMixedWhenConversationsReadFactsFromBothFormats() {
        // Given one conversation scored from a MultiWOZ belief state and one from an SGD dialogue state
        FactRecallScores scores = new FactRecallScores();
        List<FactRecall.Utterance> said = List.of(new FactRecall.Utterance("user", "oakland"));
        scores.add(List.of(FactRecall.Fact.of("oakland")), FactSource.MULTIWOZ_BELIEF_STATE, "oakland", said);
        scores.add(List.of(FactRecall.Fact.of("oakland")), FactSource.SGD_DIALOGUE_STATE, "oakland", said);

        // When the section is put into the report
        // Then its source is mixed
        assertThat(scores.putInto(CanonicalJson.mapper().createObjectNode()).path("source").asText())
                .isEqualTo("mixed");
    }

    @Test
    void shouldPutARecallOnABinEdgeInTheBinItStarts() {
        // Given recalls on and between bin edges, including fractions that floating point puts a hair below one

        // When each is given its bin
        // Then an edge opens its bin and 1 closes the last one
        assertThat(FactRecallScores.bin(0)).isZero();
        assertThat(FactRecallScores.bin(0.1)).isEqualTo(1);
        assertThat(FactRecallScores.bin(3 / 10.0)).isEqualTo(3);
        assertThat(FactRecallScores.bin(1 / 3.0)).isEqualTo(3);
        assertThat(FactRecallScores.bin(7 / 10.0)).isEqualTo(7);
        assertThat(FactRecallScores.bin(0.99)).isEqualTo(9);
        assertThat(FactRecallScores.bin(1.0)).isEqualTo(9);
    }
}
