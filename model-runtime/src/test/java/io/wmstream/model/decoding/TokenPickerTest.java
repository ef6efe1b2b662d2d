package io.wmstream.model.decoding;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenPickerTest {

    private static FloatBuffer logits(float... values) {
        return FloatBuffer.wrap(values);
    }

    @Test
    void shouldPickTheBestUnsuppressedIdWithTiesToTheLowest() {
        // Given logits whose best id is suppressed and whose runner-up is tied
        TokenPicker picker = new TokenPicker(5, new int[] {1});
        FloatBuffer row = logits(0f, 9f, 3f, 3f, -1f);

        // When picked greedily
        int id = picker.greedy(row, 0);

        // Then the lowest of the tied unsuppressed best ids wins
        assertThat(id).isEqualTo(2);
    }

    @Test
    void shouldReadTheRowAtItsOffset() {
        // Given two rows of logits in one buffer
        TokenPicker picker = new TokenPicker(3, new int[0]);
        FloatBuffer rows = logits(5f, 0f, 0f, 0f, 0f, 7f);

        // When the second row is picked
        // Then its own best id comes back
        assertThat(picker.greedy(rows, 3)).isEqualTo(2);
        assertThat(picker.greedy(rows, 0)).isZero();
    }

    @Test
    void shouldSampleOnlyAmongTheTopKAndNeverSuppressedIds() {
        // Given ten ids, the best one suppressed, and top-k 3
        TokenPicker picker = new TokenPicker(10, new int[] {9});
        FloatBuffer row = logits(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 20f);
        ReplyRandom random = ReplyRandom.forTurn("conversation-a", 1);

        // When many tokens are drawn
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            counts.merge(picker.sample(row, 0, 1.0, 3, 1.0, random), 1, Integer::sum);
        }

        // Then only the three best allowed ids appear, the best most often
        assertThat(counts.keySet()).containsOnly(6, 7, 8);
        assertThat(counts.get(8)).isGreaterThan(counts.get(7)).isGreaterThan(counts.get(6));
    }

    @Test
    void shouldSampleWithinTheTopPNucleus() {
        // Given one dominant id (about 88% of the mass) and top-p 0.5
        TokenPicker picker = new TokenPicker(4, new int[0]);
        FloatBuffer row = logits(0f, 0f, 3f, 0f);
        ReplyRandom random = ReplyRandom.forTurn("conversation-b", 7);

        // When drawn many times
        // Then only the dominant id is ever chosen
        for (int i = 0; i < 500; i++) {
            assertThat(picker.sample(row, 0, 1.0, 0, 0.5, random)).isEqualTo(2);
        }
    }

    @Test
    void shouldSampleLikeGreedyAtTopKOne() {
        // Given random logits
        TokenPicker picker = new TokenPicker(50, new int[] {0});
        java.util.Random values = new java.util.Random(3);
        float[] raw = new float[50];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (float) values.nextGaussian();
        }
        // When sampled with top-k 1 and picked greedily
        // Then both choose the same id
        assertThat(picker.sample(logits(raw), 0, 0.7, 1, 1.0, ReplyRandom.forTurn("c", 0)))
                .isEqualTo(picker.greedy(logits(raw), 0));
    }

    @Test
    void shouldDrawTheSameTokensForTheSameSeed() {
        // Given a flat distribution
        TokenPicker picker = new TokenPicker(100, new int[0]);
        FloatBuffer row = logits(new float[100]);

        // When two generators of the same (conversation, turn) draw 50 tokens each
        ReplyRandom first = ReplyRandom.forTurn("conv-42", 3);
        ReplyRandom second = ReplyRandom.forTurn("conv-42", 3);
        ReplyRandom other = ReplyRandom.forTurn("conv-42", 4);
        int same = 0;
        int differentTurn = 0;
        for (int i = 0; i < 50; i++) {
            int a = picker.sample(row, 0, 1.0, 0, 0.9, first);
            same += a == picker.sample(row, 0, 1.0, 0, 0.9, second) ? 1 : 0;
            differentTurn += a == picker.sample(row, 0, 1.0, 0, 0.9, other) ? 1 : 0;
        }

        // Then the same seed gives the same tokens, another turn other tokens
        assertThat(same).isEqualTo(50);
        assertThat(differentTurn).isLessThan(10);
    }

    @Test
    void shouldOrderKeysByLogitDescendingThenIdAscending() {
        // Given keys of several logits and ids
        // Then smaller keys are better: higher logit first, lower id on ties, negative logits below positive ones
        assertThat(TokenPicker.key(2f, 5)).isLessThan(TokenPicker.key(1f, 0));
        assertThat(TokenPicker.key(1f, 3)).isLessThan(TokenPicker.key(1f, 4));
        assertThat(TokenPicker.key(0.5f, 9)).isLessThan(TokenPicker.key(-0.5f, 0));
        assertThat(TokenPicker.key(-1f, 1)).isLessThan(TokenPicker.key(-2f, 0));
        assertThat(TokenPicker.key(Float.NEGATIVE_INFINITY, 0)).isGreaterThan(TokenPicker.key(-1e30f, 7));
    }
}
