package io.wmstream.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplyTokenizerTest {
    @Test
    void shouldGiveAPreTokenisedTurnAndItsPlainFormTheSameTokens() {
        // Given a turn as MultiWOZ tokenises it and the same turn as a model writes it
        String tokenised = "I do n't think so , it 's at 12.50 and I 'm leaving at 8:00 .";
        String plain = "I don't think so, it's at 12.50 and I'm leaving at 8:00.";

        // When both are tokenised
        // Then the clitics are joined again, numbers and times stay whole, punctuation stands alone
        assertThat(ReplyTokenizer.tokens(tokenised)).isEqualTo(ReplyTokenizer.tokens(plain))
                .containsExactly("i", "don't", "think", "so", ",", "it's", "at", "12.50", "and", "i'm", "leaving",
                        "at", "8:00", ".");
    }

    @Test
    void shouldKeepAPlaceholderAndACodeAsOneToken() {
        // Given a reply with a placeholder, a hyphenated word and a booking code
        String reply = "Booked in the north-east, reference [reference] or XK-12B?";

        // When it is tokenised
        // Then each is one token
        assertThat(ReplyTokenizer.tokens(reply)).containsExactly("booked", "in", "the", "north-east", ",",
                "reference", "[reference]", "or", "xk-12b", "?");
    }

    @Test
    void shouldGiveNoTokensForNothing() {
        // Given no text, and only white space
        // When they are tokenised
        // Then there are no tokens
        assertThat(ReplyTokenizer.tokens(null)).isEmpty();
        assertThat(ReplyTokenizer.tokens(" \t\n")).isEmpty();
    }
}
