package io.wmstream.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.schemas.json.CanonicalJson;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class RepeatedNgramsTest {

    @Test
    void shouldCountEachRepeatOfAWordThreeGramWithPlaceholdersAsWordsAndPunctuationSkipped() {
        // Given a reply that says the same sentence twice, and one whose repeat spans a comma
        // When their repeats are counted
        // Then the first has three ("the phone number", "phone number is", "number is [phone]")
        assertThat(RepeatedNgrams.count(ReplyTokenizer.tokens("The phone number is [phone]. The phone number is "
                + "[phone]."))).isEqualTo(3);
        // And the punctuation between words does not hide a repeat
        assertThat(RepeatedNgrams.count(ReplyTokenizer.tokens("at the centre, at the centre"))).isEqualTo(1);
        // And a reply whose 3-grams are all different, or that is too short, has none
        assertThat(RepeatedNgrams.count(ReplyTokenizer.tokens("I have booked it. Thank you, thank you."))).isZero();
        assertThat(RepeatedNgrams.count(ReplyTokenizer.tokens("yes yes"))).isZero();
    }

    @Test
    void shouldGiveRepeatsPerReplyAndTheShareOfRepliesWithAny() {
        // Given four replies, one with two repeats
        RepeatedNgrams repeats = new RepeatedNgrams();
        repeats.add("no no no no no");
        repeats.add("The train leaves at [time].");
        repeats.add("");
        repeats.add("Thank you.");

        // When the corpus figures are read
        // Then there are 2 repeats over 4 replies, in 1 of them
        assertThat(repeats.replies()).isEqualTo(4);
        assertThat(repeats.perReply()).isEqualTo(0.5);
        assertThat(repeats.replyRate()).isEqualTo(0.25);
    }

    @Test
    void shouldPutItsSignatureAndCorpusFiguresIntoTheReport() throws IOException {
        // Given three replies, one with two repeats
        RepeatedNgrams repeats = new RepeatedNgrams();
        repeats.add("no no no no no");
        repeats.add("The train leaves at [time].");
        repeats.add("Thank you.");

        // When they are put into the report
        String json = CanonicalJson.mapper().writeValueAsString(repeats.putInto(
                CanonicalJson.mapper().createObjectNode()));

        // Then the figures are rounded to four places beside the signature
        assertThat(json).isEqualTo("{\"signature\":\"" + RepeatedNgrams.NAME + "\",\"replies\":3,"
                + "\"perReply\":0.6667,\"repliesWithRepeats\":1,\"replyRate\":0.3333}");
    }
}
