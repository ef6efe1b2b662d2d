package io.wmstream.topology.summary;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.topology.memory.RememberedTurn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SalienceScorerTest {
    /** A MultiWOZ-style booking, with a repeated turn, mixed case and a word outside ASCII. */
    private static final String[][] TURNS = {
        {"user", "I need a train from Cambridge to London on Tuesday ."},
        {"system", "There are 10 trains on Tuesday . What time would you like to leave ?"},
        {"user", "I would like to leave after 09:15 please ."},
        {"system", "TR1234 leaves Cambridge at 09:59 . Shall I book it ?"},
        {"user", "Yes , book it for 3 people please ."},
        {"system", "Booked ! Your reference number is ABC123 ."},
        {"user", "I need a train from Cambridge to London on Tuesday ."},
        {"user", "Also a table at the Café Jello Gallery for 3 people ."},
        {"system", "I have booked the Café Jello Gallery . Anything else ?"},
        {"user", "No , that is all . Thank you ."},
    };

    @Test
    void shouldScoreEveryUtteranceTheSameWhetherTurnWordsAreKeptOrNot() {
        // Given a scorer that keeps no turn words, one that keeps many and one that keeps two (evicting constantly)
        SalienceLexicon lexicon = SalienceLexicon.defaultLexicon();
        SalienceScorer plain = new SalienceScorer(lexicon);
        SalienceScorer keeping = new SalienceScorer(lexicon, 4096);
        SalienceScorer evicting = new SalienceScorer(lexicon, 2);

        // When each utterance of the conversation is scored against the four turns before it, plain and tagged
        List<RememberedTurn> remembered = new ArrayList<>();
        for (int t = 0; t < TURNS.length; t++) {
            String speaker = TURNS[t][0];
            String text = TURNS[t][1];
            Map<String, Float> tags = Map.of("cambridge", 0.9f, "tuesday", 0.8f, "3", 0.7f, "café", 0.6f);
            double expected = plain.score(speaker, text, remembered);
            double expectedTagged = plain.score(speaker, text, tags, remembered);

            // Then the kept words change no score, not even in its last bit
            assertThat(keeping.score(speaker, text, remembered)).isEqualTo(expected);
            assertThat(evicting.score(speaker, text, remembered)).isEqualTo(expected);
            assertThat(keeping.score(speaker, text, tags, remembered)).isEqualTo(expectedTagged);
            assertThat(evicting.score(speaker, text, tags, remembered)).isEqualTo(expectedTagged);
            remembered.add(new RememberedTurn(t, speaker, text, expected));
            if (remembered.size() > 4) {
                remembered.remove(0);
            }
        }
        // And the repeated request, all of whose words the memory holds, adds nothing
        List<RememberedTurn> all = List.of(new RememberedTurn(0, "user", TURNS[0][1], 0));
        assertThat(keeping.score("user", TURNS[6][1], all)).isZero();
    }

    @Test
    void shouldScoreLongTextsWithoutKeepingTheirWords() {
        // Given a scorer that keeps words, and an utterance and a remembered turn longer than a memory keeps a turn
        SalienceLexicon lexicon = SalienceLexicon.defaultLexicon();
        SalienceScorer keeping = new SalienceScorer(lexicon, 4096);
        String longRequest = (TURNS[0][1] + " ").repeat(40);
        List<RememberedTurn> remembered = List.of(new RememberedTurn(0, "user", longRequest, 0),
                new RememberedTurn(1, "system", TURNS[1][1], 0));

        // When the long utterance is scored against them
        double score = keeping.score("user", longRequest + TURNS[7][1], remembered);

        // Then it scores as without kept words, and only the short turn's words are kept
        assertThat(score).isEqualTo(new SalienceScorer(lexicon).score("user", longRequest + TURNS[7][1], remembered));
        assertThat(keeping.keptTexts()).isEqualTo(1);
    }
}
