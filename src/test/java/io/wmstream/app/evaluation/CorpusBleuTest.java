package io.wmstream.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.schemas.json.CanonicalJson;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CorpusBleuTest {
    /** Written by {@code make_bleu_cases.py} beside it, with NLTK 3.8's {@code corpus_bleu}. */
    private static final String CASES = "bleu-cases.json";

    @Test
    void shouldScoreEveryFixedCorpusAsNltkCorpusBleuDoes() throws IOException {
        // Given corpora NLTK scored: overlaps, brevity, clipping, short and empty hypotheses, no matches
        JsonNode cases;
        try (InputStream in = CorpusBleuTest.class.getResourceAsStream(CASES)) {
            assertThat(in).as(CASES).isNotNull();
            cases = CanonicalJson.mapper().readTree(in);
        }
        assertThat(cases.path("cases")).hasSizeGreaterThanOrEqualTo(9);

        for (JsonNode corpus : cases.path("cases")) {
            // When this implementation scores the same segments
            CorpusBleu bleu = new CorpusBleu();
            for (JsonNode segment : corpus.path("segments")) {
                bleu.add(tokens(segment.path("hypothesis")), tokens(segment.path("reference")));
            }

            // Then it gives NLTK's score, to the last digits even where a missing order makes it tiny
            double expected = corpus.path("bleu").asDouble();
            if (expected == 0) {
                assertThat(bleu.score()).as(corpus.path("name").asText()).isZero();
            } else {
                assertThat(bleu.score()).as(corpus.path("name").asText())
                        .isCloseTo(expected, within(Math.abs(expected) * 1e-9));
            }
        }
    }

    @Test
    void shouldScoreNothingAsZero() {
        // Given no segment at all
        // When the corpus is scored
        // Then it is 0, not NaN
        assertThat(new CorpusBleu().score()).isZero();
    }

    private static List<String> tokens(JsonNode array) {
        List<String> tokens = new ArrayList<>();
        array.forEach(token -> tokens.add(token.asText()));
        return tokens;
    }
}
