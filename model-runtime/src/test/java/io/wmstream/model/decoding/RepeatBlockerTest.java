package io.wmstream.model.decoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RepeatBlockerTest {
    private static final List<String> VOCABULARY = List.of("<pad>", "<unk>", "<eou>", "<user>", "<system>",
            "[phone]", "the", "phone", "number", "is", ".", ",", "thank", "you", "?", "yes", "no");
    private static final int STOP = 2;

    private static int[] ids(String text) {
        return Arrays.stream(text.split(" ")).mapToInt(VOCABULARY::indexOf).toArray();
    }

    private static List<String> banned(RepeatBlocker blocker, String text) {
        int[] tokens = ids(text);
        int[] out = new int[blocker.maxBanned(tokens.length)];
        int n = blocker.banned(tokens, tokens.length, out);
        return IntStream.of(Arrays.copyOf(out, n)).distinct().sorted().mapToObj(VOCABULARY::get).toList();
    }

    @Test
    void shouldBanTheWordThatWouldRepeatAThreeGramWithPlaceholdersAsWords() {
        // Given a blocker of word 3-grams and a reply that said "the phone number is [phone]." once
        RepeatBlocker blocker = new RepeatBlocker(VOCABULARY, STOP, 3);

        // When it starts the same sentence again
        // Then the word that would complete a 3-gram it already holds is banned, placeholders included (and the
        // phone's placeholder, given once)
        assertThat(banned(blocker, "the phone number is [phone] . the phone")).contains("number");
        assertThat(banned(blocker, "the phone number is [phone] . number is")).contains("[phone]");
        // And punctuation between words does not hide a repeat, as it is not a word
        assertThat(banned(blocker, "the phone number is [phone] . is , [phone]")).contains("is");
    }

    @Test
    void shouldBanNothingWhileTheReplyHasNoRepeatedPrefix() {
        // Given a blocker of word 3-grams
        RepeatBlocker blocker = new RepeatBlocker(VOCABULARY, STOP, 3);

        // When the reply's last two words occur nowhere before
        // Then nothing is banned: punctuation may follow anything
        assertThat(banned(blocker, "the phone number is")).isEmpty();
        assertThat(banned(blocker, "yes")).isEmpty();
    }

    @Test
    void shouldBanAPhonePlaceholderTheReplyAlreadyGaveEvenInOtherWords() {
        // Given a blocker of word 3-grams and a reply that gave the phone's placeholder once
        RepeatBlocker blocker = new RepeatBlocker(VOCABULARY, STOP, 3);

        // When its next sentence says it again in other words ("the phone is"), which repeats no 3-gram
        // Then the placeholder and the word "phone" are banned: a reply gives one phone number once
        assertThat(banned(blocker, "the phone number is [phone] . the phone is")).containsExactly("[phone]", "phone");
        assertThat(banned(blocker, "the phone number is [phone] . the")).containsExactly("[phone]", "phone");
        // And before the reply gave it, neither is
        assertThat(banned(blocker, "the phone is")).isEmpty();
    }

    @Test
    void shouldNeverCloseASentenceThatRepeatsAnEarlierOne() {
        // Given a blocker of word 5-grams, which "thank you" twice does not repeat
        RepeatBlocker blocker = new RepeatBlocker(VOCABULARY, STOP, 5);

        // When the open sentence has the words of an earlier one ("thank you" twice is no repeated 3-gram)
        // Then neither an end of sentence nor the end of the reply may follow
        assertThat(banned(blocker, "thank you . thank you")).containsExactly("<eou>", ".", "?");
        assertThat(banned(blocker, "thank you ? yes . thank , you")).containsExactly("<eou>", ".", "?");
        // And a sentence that only starts like an earlier one may end
        assertThat(banned(blocker, "thank you . thank")).isEmpty();
        assertThat(banned(blocker, "thank you . yes")).isEmpty();
    }

    @Test
    void shouldBanNothingWhenOff() {
        // Given a blocker of size 0 (off)
        RepeatBlocker blocker = new RepeatBlocker(VOCABULARY, STOP, 0);

        // When a reply repeats a 3-gram and a sentence
        // Then nothing is banned: replies decode by the plain rule
        assertThat(banned(blocker, "thank you . thank you")).isEmpty();
        assertThat(banned(blocker, "the phone number is [phone] . the phone")).isEmpty();
    }

    @Test
    void shouldRefuseANegativeSize() {
        // Given a negative n-gram size
        // When a blocker is made with it
        // Then it is refused
        assertThatThrownBy(() -> new RepeatBlocker(VOCABULARY, STOP, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
