package io.wmstream.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RougeLTest {
    @Test
    void shouldScoreTheLongestCommonSubsequenceAsF1() {
        // Given a hypothesis of 6 tokens and a reference of 7 whose longest common subsequence is 3 tokens
        List<String> hypothesis = List.of("the", "train", "to", "ely", "leaves", "soon");
        List<String> reference = List.of("a", "train", "leaves", "for", "ely", "at", "soon");

        // When ROUGE-L is computed
        double f1 = RougeL.f1(hypothesis, reference);

        // Then P = 3/6 ("train ... ely ... soon" or "train leaves soon"), R = 3/7, F1 their harmonic mean
        assertThat(RougeL.longestCommonSubsequence(hypothesis, reference)).isEqualTo(3);
        double precision = 3.0 / 6;
        double recall = 3.0 / 7;
        assertThat(f1).isCloseTo(2 * precision * recall / (precision + recall), within(1e-12));
    }

    @Test
    void shouldScoreIdenticalAsOneAndDisjointOrEmptyAsZero() {
        // Given identical, disjoint and empty token lists
        List<String> text = List.of("see", "you", "then");

        // When each pair is scored
        // Then identical is 1, disjoint 0, and an empty side 0 rather than NaN
        assertThat(RougeL.f1(text, text)).isEqualTo(1.0);
        assertThat(RougeL.f1(text, List.of("goodbye"))).isZero();
        assertThat(RougeL.f1(List.of(), text)).isZero();
        assertThat(RougeL.f1(List.of(), List.of())).isZero();
    }
}
