package io.wmstream.topology.summary;

import io.wmstream.schemas.output.Highlight;
import io.wmstream.topology.memory.RememberedTurn;
import io.wmstream.topology.memory.WorkingMemory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds a summary from what the working memory kept (its salient and recent turns): greedily, the turn whose words
 * not yet in the summary weigh most per word ({@link SalienceScorer}), until the word budget is spent; the turn that
 * crosses the budget contributes only the words that fit. The text is the chosen words in conversation order.
 *
 * <p>Greedy by new weight per word rather than by the stored salience: two turns stating the same facts (a request
 * and its confirmation) are each salient alone, but the second adds nothing once the first is in.
 */
public final class SummaryComposer {
    private final int budgetWords;
    private final SalienceScorer scorer;

    public SummaryComposer(int budgetWords, SalienceScorer scorer) {
        this.budgetWords = budgetWords;
        this.scorer = scorer;
    }

    /** The summary text and highlights of {@code memory}. */
    public Composed compose(WorkingMemory memory) {
        List<Candidate> left = new ArrayList<>();
        for (RememberedTurn turn : memory.rememberedTurns()) {
            String trimmed = turn.text().trim();
            if (!trimmed.isEmpty()) {
                left.add(new Candidate(turn, trimmed.split("\\s+"), SalienceLexicon.words(trimmed)));
            }
        }

        Set<String> covered = new HashSet<>();
        List<Chosen> chosen = new ArrayList<>();
        int used = 0;
        while (used < budgetWords && !left.isEmpty()) {
            Candidate best = null;
            double bestValue = -1.0;
            for (Candidate candidate : left) {
                // Candidates in turn order and a strict comparison: ties go to the earlier turn.
                double value = scorer.density(candidate.turn().speaker(), candidate.lexiconWords(),
                        candidate.words().length, covered);
                if (value > bestValue) {
                    bestValue = value;
                    best = candidate;
                }
            }
            left.remove(best);
            int take = Math.min(best.words().length, budgetWords - used);
            chosen.add(new Chosen(best.turn(), Arrays.asList(best.words()).subList(0, take)));
            covered.addAll(best.lexiconWords());
            used += take;
        }
        chosen.sort(Comparator.comparingLong(c -> c.turn().turn()));

        List<Highlight> highlights = new ArrayList<>(chosen.size());
        List<String> text = new ArrayList<>(used);
        for (Chosen choice : chosen) {
            RememberedTurn turn = choice.turn();
            highlights.add(new Highlight(turn.turn(), turn.speaker(), turn.text(), turn.salience()));
            text.addAll(choice.words());
        }
        return new Composed(String.join(" ", text), highlights);
    }

    static int wordCount(String text) {
        String trimmed = text.trim();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }

    /** A remembered turn split once: its words as written and its lexicon words. */
    private record Candidate(RememberedTurn turn, String[] words, Set<String> lexiconWords) {
    }

    private record Chosen(RememberedTurn turn, List<String> words) {
    }

    /** A summary's text and highlights. */
    public record Composed(String text, List<Highlight> highlights) {
    }
}
