package io.wmstream.model.decoding;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplyRandomTest {

    @Test
    void shouldSeedFromConversationAndTurnOnly() {
        // Given two generators for the same turn and others for other turns and conversations
        // When seeds are compared
        // Then only the same (conversationId, turn) gives the same seed
        assertThat(ReplyRandom.seed("conv-1", 5)).isEqualTo(ReplyRandom.seed("conv-1", 5));
        assertThat(ReplyRandom.seed("conv-1", 5)).isNotEqualTo(ReplyRandom.seed("conv-1", 6));
        assertThat(ReplyRandom.seed("conv-1", 5)).isNotEqualTo(ReplyRandom.seed("conv-2", 5));
        assertThat(ReplyRandom.seed("", 0)).isNotEqualTo(ReplyRandom.seed("", 1));
    }

    @Test
    void shouldKeepItsSequenceFixedAcrossVersions() {
        // Given the generator of a known turn
        ReplyRandom random = ReplyRandom.forTurn("conversation-7", 3);
        // When it draws
        // Then the numbers are those this version has always drawn (a change would break replays of sampled replies)
        assertThat(ReplyRandom.seed("conversation-7", 3)).isEqualTo(5571153912286379605L);
        assertThat(random.nextDouble()).isCloseTo(0.95420193374945, org.assertj.core.data.Offset.offset(1e-14));
    }

    @Test
    void shouldDrawUniformDoublesInTheUnitInterval() {
        // Given a generator
        ReplyRandom random = ReplyRandom.forTurn("uniform", 1);
        // When it draws 100,000 doubles
        double sum = 0;
        for (int i = 0; i < 100_000; i++) {
            double u = random.nextDouble();
            assertThat(u).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
            sum += u;
        }
        // Then their mean is close to one half
        assertThat(sum / 100_000).isBetween(0.49, 0.51);
    }
}
