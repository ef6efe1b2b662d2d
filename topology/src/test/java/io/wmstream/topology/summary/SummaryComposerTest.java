package io.wmstream.topology.summary;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.schemas.output.Highlight;
import io.wmstream.topology.memory.DialogueState;
import io.wmstream.topology.memory.ModelStamp;
import io.wmstream.topology.memory.RememberedTurn;
import io.wmstream.topology.memory.StateEntry;
import io.wmstream.topology.memory.WorkingMemory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryComposerTest {
    private static final ModelStamp MODEL = new ModelStamp("m", "1", 1, 2);
    /** Fact words weigh 1, everything else 0.1. */
    private static final SalienceLexicon LEXICON = new SalienceLexicon(Map.of("cheap", 1.0, "north", 1.0,
            "parking", 1.0, "friday", 1.0, "3", 1.0, "hotel", 0.5), 0.1, List.of("test lexicon"));
    private static final SalienceScorer SCORER = new SalienceScorer(LEXICON);

    private static WorkingMemory memoryOf(RememberedTurn... turns) {
        return new WorkingMemory(MODEL, null, turns.length, turns.length - 1, 0, List.of(), List.of(turns),
                List.of());
    }

    @Test
    void shouldChooseTheTurnsRichestInFactWordsAndWriteThemInTurnOrder() {
        // Given a greeting, a request full of facts, chit-chat and a short fact
        WorkingMemory memory = memoryOf(new RememberedTurn(0, "user", "hello there how are you today", 0),
                new RememberedTurn(1, "user", "a cheap hotel in the north please", 0),
                new RememberedTurn(2, "system", "let me have a look at what we have", 0),
                new RememberedTurn(3, "user", "free parking", 0));

        // When composed within nine words
        SummaryComposer.Composed summary = new SummaryComposer(9, SCORER).compose(memory);

        // Then the two fact-rich turns are chosen and written in the conversation's order
        assertThat(summary.highlights()).extracting(Highlight::turn).containsExactly(1L, 3L);
        assertThat(summary.text()).isEqualTo("a cheap hotel in the north please free parking");
    }

    @Test
    void shouldNotSpendTheBudgetOnAConfirmationOfFactsAlreadyChosen() {
        // Given a request, the other side's confirmation of it, and a turn with a new fact
        WorkingMemory memory = memoryOf(new RememberedTurn(0, "user", "cheap hotel north with parking", 0),
                new RememberedTurn(1, "user", "cheap north parking hotel yes", 0),
                new RememberedTurn(2, "user", "for 3 people on friday then", 0));

        // When composed within eleven words
        SummaryComposer.Composed summary = new SummaryComposer(11, SCORER).compose(memory);

        // Then the confirmation, though dense in fact words, loses to the turn that adds facts
        assertThat(summary.highlights()).extracting(Highlight::turn).containsExactly(0L, 2L);
        assertThat(summary.text()).isEqualTo("cheap hotel north with parking for 3 people on friday then");
    }

    @Test
    void shouldNeverEndInTheMiddleOfATurnThatDoesNotFit() {
        // Given an early turn that is chosen last and a later turn chosen first
        WorkingMemory memory = memoryOf(
                new RememberedTurn(0, "user", "the hotel should be near the centre of it all", 0),
                new RememberedTurn(1, "user", "cheap north", 0));

        // When composed within five words
        SummaryComposer.Composed summary = new SummaryComposer(5, SCORER).compose(memory);

        // Then the later, denser turn is whole and the earlier one, which no longer fits, is left out, not cut
        assertThat(summary.text()).isEqualTo("cheap north");
        assertThat(summary.highlights()).extracting(Highlight::text).containsExactly("cheap north");
    }

    @Test
    void shouldBeginWithWhatWasAgreedThenSpendTheBudgetOnWholeTurns() {
        // Given a memory whose dialogue state holds a day the user moved and a time
        WorkingMemory memory = memoryOf(
                new RememberedTurn(0, "user", "a table on tuesday at 19:30", 0),
                new RememberedTurn(1, "user", "please move it to wednesday", 0))
                .withDialogue(new DialogueState(List.of(new StateEntry("restaurant.date", "wednesday", 1),
                        new StateEntry("restaurant.time", "19:30", 0)), List.of(), List.of()));

        // When composed within five words
        SummaryComposer.Composed summary = new SummaryComposer(5, SCORER).compose(memory);

        // Then the text begins with the agreed values, by slot, and the budget holds the one turn that fits whole
        String agreed = "Agreed: restaurant day: wednesday; restaurant time: 19:30.";
        assertThat(summary.text()).isEqualTo(agreed + " please move it to wednesday");
    }

    @Test
    void shouldScoreRepeatsBelowNewsAndUsersAboveOthers() {
        // Given a memory that already holds "cheap hotel north"
        List<RememberedTurn> known = List.of(new RememberedTurn(0, "user", "cheap hotel north", 1));

        // When scoring a repeat, news, and the same news by another speaker
        double repeat = SCORER.score("user", "cheap hotel north", known);
        double news = SCORER.score("user", "for 3 people on friday", known);
        double newsByAgent = SCORER.score("agent", "for 3 people on friday", known);

        // Then news ranks above the repeat, the user's above the agent's, and nothing scores nothing
        assertThat(news).isGreaterThan(repeat);
        assertThat(news).isGreaterThan(newsByAgent);
        assertThat(repeat).isZero();
        assertThat(SCORER.score("user", "   ", known)).isZero();
    }

    @Test
    void shouldRankARealRequestAboveSmallTalkWithTheBundledLexicon() {
        // Given the bundled lexicon (learned from MultiWOZ val) and two turns of a test-split style conversation
        SalienceScorer scorer = new SalienceScorer(SalienceLexicon.defaultLexicon());

        // When both are scored against an empty memory
        double request = scorer.score("user", "I need a train from cambridge to london on tuesday .", List.of());
        double smallTalk = scorer.score("user", "Thank you so much , that is all I need .", List.of());

        // Then the request, whose words name a place and a day, is far more salient
        assertThat(request).isGreaterThan(3 * smallTalk);
    }

    @Test
    void shouldWeighTaggedTurnsByTheTaggersFactWeightsSentenceBySentence() {
        // Given a tagged system turn whose second sentence holds a booking reference, and a tagged user turn of
        // facts; the lexicon would weigh neither reference nor time
        WorkingMemory memory = memoryOf(
                new RememberedTurn(0, "user", "a table for 2 at 18:15 please", 0,
                        Map.of("2", 0.9f, "18", 0.95f, "15", 0.95f)),
                new RememberedTurn(1, "system", "booking was successful . reference number is : ab12cd .", 0,
                        Map.of("ab12cd", 0.99f)));

        // When composed within thirteen words
        SummaryComposer.Composed summary = new SummaryComposer(13, SCORER).compose(memory);

        // Then the user's facts come first, and of the system turn only the sentence with the reference
        assertThat(summary.text()).isEqualTo("a table for 2 at 18:15 please reference number is : ab12cd .");
        assertThat(summary.highlights()).extracting(Highlight::turn).containsExactly(0L, 1L);
    }
}
