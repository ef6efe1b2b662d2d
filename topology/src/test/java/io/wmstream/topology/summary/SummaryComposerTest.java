package io.wmstream.topology.summary;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.schemas.output.Highlight;
import io.wmstream.topology.memory.ModelStamp;
import io.wmstream.topology.memory.RememberedTurn;
import io.wmstream.topology.memory.WorkingMemory;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryComposerTest {
    private static final ModelStamp MODEL = new ModelStamp("m", "1", 1, 2);

    @Test
    void shouldPickBySalienceWithinTheBudgetAndWriteInTurnOrder() {
        // Given remembered turns of varying salience
        List<RememberedTurn> recent = List.of(new RememberedTurn(2, "user", "free parking please", 0.2),
                new RememberedTurn(3, "agent", "booked", 0.1));
        List<RememberedTurn> salient = List.of(new RememberedTurn(0, "user", "a cheap hotel in the north", 0.9),
                new RememberedTurn(2, "user", "free parking please", 0.2));
        var memory = new WorkingMemory(MODEL, null, 4, 3, 0, List.of(), recent, salient);

        // When composed with a budget of eight words
        SummaryComposer.Composed summary = new SummaryComposer(8).compose(memory);

        // Then the most salient come first in choice but the text follows the conversation, cut to eight words
        assertThat(summary.highlights()).extracting(Highlight::turn).containsExactly(0L, 2L);
        assertThat(summary.text()).isEqualTo("a cheap hotel in the north free parking");
    }

    @Test
    void shouldScoreRepeatsBelowNewsAndUsersAboveOthers() {
        // Given a memory that already holds "cheap hotel north"
        List<RememberedTurn> known = List.of(new RememberedTurn(0, "user", "cheap hotel north", 1));

        // When the same shift comes from a repeat, from news, and from news by another speaker
        double repeat = SalienceScorer.score(2.0, "user", "cheap hotel north", known);
        double news = SalienceScorer.score(2.0, "user", "for 3 people on friday", known);
        double newsByAgent = SalienceScorer.score(2.0, "agent", "for 3 people on friday", known);

        // Then news ranks above the repeat, and the user's above the agent's
        assertThat(news).isGreaterThan(repeat);
        assertThat(news).isGreaterThan(newsByAgent);
        assertThat(SalienceScorer.score(2.0, "user", "   ", known)).isZero();
    }
}
