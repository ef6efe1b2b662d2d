package io.wmstream.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.schemas.json.CanonicalJson;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ReplyStatisticsTest {
    @Test
    void shouldPutLengthsDistinctWordsAndEmptyAndDegenerateRates() throws IOException {
        // Given three replies: a fine one, an empty one and one that repeats itself
        ReplyStatistics replies = new ReplyStatistics();
        replies.add("The museum opens at ten", 6);
        replies.add("", 0);
        replies.add("ten ten ten ten ten", 5);

        // When the figures are put into the report
        String json = CanonicalJson.mapper().writeValueAsString(replies.putInto(
                CanonicalJson.mapper().createObjectNode()));

        // Then 10 words and 11 tokens over 3 replies; 5 distinct words of 10 and 5 distinct bigrams of 8 (case
        // folded); one reply in three empty, one degenerate
        assertThat(json).isEqualTo("{\"count\":3,\"meanWords\":3.3333,\"meanTokens\":3.6667,\"distinct1\":0.5,"
                + "\"distinct2\":0.625,\"emptyRate\":0.3333,\"degenerateRate\":0.3333}");
    }

    @Test
    void shouldCountRepliesPerNumberOfWordsWithTheLongestInTheLastBin() {
        // Given replies of 0, 3, 40 and 45 words
        ReplyStatistics replies = new ReplyStatistics();
        replies.add("", 0);
        replies.add("ten ten ten", 3);
        replies.add("word ".repeat(40), 40);
        replies.add("word ".repeat(45), 45);

        // When the histogram is put into the report
        JsonNode histogram = replies.putHistogramInto(CanonicalJson.mapper().createObjectNode());

        // Then each is in its length's bin, the two longest together in the last
        JsonNode counts = histogram.path("counts");
        assertThat(histogram.path("lastBinFrom").asInt()).isEqualTo(ReplyStatistics.WORDS_LAST_BIN);
        assertThat(counts).hasSize(ReplyStatistics.WORDS_LAST_BIN + 1);
        assertThat(counts.get(0).asLong()).isEqualTo(1);
        assertThat(counts.get(3).asLong()).isEqualTo(1);
        assertThat(counts.get(ReplyStatistics.WORDS_LAST_BIN).asLong()).isEqualTo(2);
        assertThat(histogram.path("note").asText()).contains("the last bin 40 or more");
    }
}
