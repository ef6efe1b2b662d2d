package io.wmstream.model.decoding;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoopGuardTest {

    @Test
    void shouldCutARunOfTheSameTokenBackToOneCopy() {
        // Given a reply ending with the same token three times
        int[] tokens = {5, 6, 7, 7, 7};
        // When checked for three repeats
        // Then it is cut to keep one 7
        assertThat(LoopGuard.cutLength(tokens, 5, 3)).isEqualTo(3);
    }

    @Test
    void shouldCutARepeatedBlockBackToOneCopy() {
        // Given a reply ending with a block of three tokens said three times
        int[] tokens = {1, 8, 9, 4, 8, 9, 4, 8, 9, 4};
        // When checked
        // Then one copy of the block remains
        assertThat(LoopGuard.cutLength(tokens, tokens.length, 3)).isEqualTo(4);
    }

    @Test
    void shouldLeaveRepliesWithoutBackToBackRepeatsAlone() {
        // Given replies with a word said twice and a block said twice
        // When checked for three repeats, or with the guard off
        // Then nothing is cut
        assertThat(LoopGuard.cutLength(new int[] {3, 3, 4}, 3, 3)).isEqualTo(-1);
        assertThat(LoopGuard.cutLength(new int[] {1, 2, 1, 2}, 4, 3)).isEqualTo(-1);
        assertThat(LoopGuard.cutLength(new int[] {7, 7, 7}, 3, 0)).isEqualTo(-1);
        assertThat(LoopGuard.cutLength(new int[] {7, 7}, 2, 3)).isEqualTo(-1);
    }

    @Test
    void shouldOnlyLookAtTheFirstCountTokens() {
        // Given a buffer longer than the reply so far
        int[] tokens = {2, 2, 2, 9, 9, 9};
        // When only the first four count
        // Then the loop at the start is not at the end and nothing is cut
        assertThat(LoopGuard.cutLength(tokens, 4, 3)).isEqualTo(-1);
        assertThat(LoopGuard.cutLength(tokens, 3, 3)).isEqualTo(1);
    }
}
