package io.wmstream.model.decoding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerPhrasesTest {
    private static final List<String> VOCABULARY = List.of("<pad>", "the", "phone", "number", "is", "[phone]", ".",
            "address", "[address]");

    @Test
    void shouldSpellAnAnswerWithTheVocabularysTokenIds() {
        // Given a vocabulary with every word of the phone's answer
        // When the phone's answer is built
        int[] ids = AnswerPhrases.of("phone", VOCABULARY::indexOf);

        // Then it is "the phone number is [phone] ." in token ids
        assertThat(ids).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void shouldHaveNoAnswerForATypeWithoutOneOrAWordTheVocabularyLacks() {
        // Given a vocabulary without "postcode", and the count type, which measures too many things for one sentence
        // When their answers are built
        // Then there are none: those types fall back to the naming word and the placeholder
        assertThat(AnswerPhrases.of("postcode", VOCABULARY::indexOf)).isNull();
        assertThat(AnswerPhrases.of("count", VOCABULARY::indexOf)).isNull();
        assertThat(AnswerPhrases.of("address", VOCABULARY::indexOf)).containsExactly(1, 7, 4, 8, 6);
    }
}
