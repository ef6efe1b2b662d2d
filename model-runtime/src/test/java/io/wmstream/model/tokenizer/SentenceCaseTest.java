package io.wmstream.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SentenceCaseTest {

    @Test
    void shouldCapitaliseEachSentenceTheWordIAndDaysButNotPlaceholders() {
        // Given a reply as the tokenizer decodes it, in lowercase, with a placeholder and a time
        String decoded = "i have booked a table for six at [name]. the reservation is for friday at 19:30.";

        // When it is put in sentence case
        String text = SentenceCase.apply(decoded);

        // Then it reads as a person writes it, and the placeholder is left for the filler
        assertThat(text).isEqualTo("I have booked a table for six at [name]. The reservation is for Friday at 19:30.");
        assertThat(text.codePointCount(0, text.length())).isEqualTo(decoded.codePointCount(0, decoded.length()));
    }

    @Test
    void shouldStartSentencesOnlyAfterAnEndFollowedBySpace() {
        // Given a price, a question, an exclamation, contractions of "i" and a modal "may"
        String decoded = "the price is 12.50 pounds. i'm sure you may like it! may i help? yes, i'd say so.";

        // When it is put in sentence case
        // Then "12.50" does not end a sentence, "may" is a month only at a sentence start, and I is always I
        assertThat(SentenceCase.apply(decoded))
                .isEqualTo("The price is 12.50 pounds. I'm sure you may like it! May I help? Yes, I'd say so.");
    }

    @Test
    void shouldCapitaliseNonAsciiLettersAndLeaveDigitsAndCapitalsAlone() {
        // Given sentences that start with an accented letter, a digit, a placeholder and a capital
        String decoded = "écoute. 4 people. [reference] is yours. OK then. (ça va) ok";

        // When it is put in sentence case
        // Then only lowercase letters that start a sentence change, to their title case
        assertThat(SentenceCase.apply(decoded)).isEqualTo("Écoute. 4 people. [reference] is yours. OK then. (Ça va) "
                + "ok");
    }

    @Test
    void shouldTellWhetherAPositionStartsASentence() {
        // Given a reply with two sentences
        String text = "It is [name]. [phone] is its number.";

        // When the placeholders' positions are checked
        // Then the second one starts a sentence and the first does not
        assertThat(SentenceCase.startsSentence(text, text.indexOf("[name]"))).isFalse();
        assertThat(SentenceCase.startsSentence(text, text.indexOf("[phone]"))).isTrue();
        assertThat(SentenceCase.startsSentence(text, 0)).isTrue();
    }
}
