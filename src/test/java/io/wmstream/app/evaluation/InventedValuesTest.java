package io.wmstream.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class InventedValuesTest {
    @Test
    void shouldFlagNumbersAndCodesThatNoEarlierTurnGave() {
        // Given a conversation that said "4 people" and "12.50"
        Set<String> runs = InventedValues.runs("A table for 4 people please, we spend about 12.50 each.");

        // When a reply repeats both (one as the old tokenizer writes it) and adds a code and a phone number
        InventedValues.Check check = InventedValues.check(
                "Booked for 4 at 12. 50, reference IDX9PO2N, call 01223 356555.", runs);

        // Then the code and the two parts of the phone number are invented, in order, and nothing else
        assertThat(check.invented()).containsExactly("idx9po2n", "01223", "356555");
        assertThat(check.invents()).isTrue();
        assertThat(check.inventsCode()).isTrue();
        assertThat(check.inventsNumber()).isTrue();
        assertThat(check.placeholders()).isZero();
    }

    @Test
    void shouldCountAPlaceholderAndNotAsAnInventedValue() {
        // Given a conversation that gave no number at all
        Set<String> runs = InventedValues.runs("I need a taxi to the station.");

        // When a reply holds placeholders in place of the values it does not know, and a plain word
        InventedValues.Check check = InventedValues.check("Booked for [time], reference [reference]. Bye!", runs);

        // Then nothing is invented and both placeholders are counted
        assertThat(check.invents()).isFalse();
        assertThat(check.placeholders()).isEqualTo(2);
    }

    @Test
    void shouldNotFlagWordsWithoutDigits() {
        // Given an empty conversation
        // When a reply says only words, counted in letters
        InventedValues.Check check = InventedValues.check("There are two trains, one at ten.", Set.of());

        // Then no value is invented: only digits make a value
        assertThat(check.invented()).isEmpty();
    }
}
