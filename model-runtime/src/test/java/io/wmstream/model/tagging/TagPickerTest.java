package io.wmstream.model.tagging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TagPickerTest {

    @Test
    void shouldPickTheHighestScoringClassOfEachTokenWithTiesToTheLowestClass() {
        // Given scores of three classes for four tokens: a clear winner, a tie, all equal, a winner at the end
        float[] scores = {
            0.1f, 2.0f, -1.0f,
            3.0f, 1.0f, 3.0f,
            0.5f, 0.5f, 0.5f,
            -2.0f, -3.0f, -1.5f,
        };

        // When tags are picked
        // Then each token has its argmax class, and a tie goes to the lower class, as the manifest's rule says
        assertThat(TagPicker.pick(scores, 0, 4, 3)).containsExactly(1, 0, 0, 2);
    }

    @Test
    void shouldReadOnlyTheTokensAskedForFromTheirOffset() {
        // Given a [2, 3, 2] block of scores, the second row of which has one real token
        float[] scores = {
            0, 1, 1, 0, 0, 1,
            5, 4, 9, 9, 9, 9,
        };

        // When the second row's first token is picked
        // Then only its scores are read
        assertThat(TagPicker.pick(scores, 6, 1, 2)).containsExactly(0);
        assertThat(TagPicker.pick(scores, 0, 3, 2)).containsExactly(1, 0, 1);
    }
}
