package io.wmstream.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.schemas.json.CanonicalJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FactRecallTest {
    private static final List<FactRecall.Utterance> TALK = List.of(
            new FactRecall.Utterance("user", "I want a table for four at an Italian place ."),
            new FactRecall.Utterance("system", "Roma Nova is Italian and in the centre ."),
            new FactRecall.Utterance("user", "Book it for Friday please ."),
            new FactRecall.Utterance("system", "Done , see you then ."));

    @Test
    void shouldCountOnlyBeliefValuesThatOccurAsWordsInTheConversation() throws IOException {
        // Given a belief state with values said, not said, said inside another word, and placeholders
        JsonNode belief = json("{\"restaurant\":{\"food\":\"italian\",\"area\":\"centre\",\"day\":\"friday\","
                + "\"people\":\"4\",\"name\":\"roma\",\"price\":\"not mentioned\",\"book\":{\"time\":\"\"}}}");

        // When its facts are taken
        List<String> facts = FactRecall.facts(belief, TALK);

        // Then only the values that occur as whole words remain
        assertThat(facts).containsExactly("italian", "centre", "friday", "roma");
    }

    @Test
    void shouldCutEveryBaselineToTheSummaryLength() {
        // Given facts and a summary of five words that keeps one of them
        List<FactRecall.Fact> facts = List.of(FactRecall.Fact.of("italian"), FactRecall.Fact.of("centre"),
                FactRecall.Fact.of("Friday"));

        // When the methods are scored
        double[] recalls = FactRecall.recalls(facts, "a table somewhere on friday", TALK);

        // Then the summary keeps a third, the first five words keep nothing, and the oracle keeps two of them
        assertThat(recalls[0]).isCloseTo(1.0 / 3, within(1e-9));
        assertThat(FactRecall.firstWords(TALK, 5)).isEqualTo("I want a table for");
        assertThat(recalls[1]).isZero();
        assertThat(FactRecall.lastWords(TALK, 3)).isEqualTo("you then .");
        assertThat(recalls[5]).isCloseTo(1.0 / 3, within(1e-9));
    }

    @Test
    void shouldKeepAFactWhenATextHoldsAnyOfItsForms() {
        // Given a fact said in two forms, as SGD lists alternatives of one value
        FactRecall.Fact time = new FactRecall.Fact(List.of("6 pm", "18:00"));

        // When texts with one form, the other, and neither are scored
        // Then either form keeps it, and a form inside a longer number does not
        assertThat(FactRecall.recall(List.of(time), "dinner at 6 pm")).isEqualTo(1.0);
        assertThat(FactRecall.recall(List.of(time), "dinner at 18:00 sharp")).isEqualTo(1.0);
        assertThat(FactRecall.recall(List.of(time), "dinner at 118:000")).isZero();
    }

    private static JsonNode json(String text) throws IOException {
        return CanonicalJson.readTree(text.getBytes(StandardCharsets.UTF_8));
    }
}
