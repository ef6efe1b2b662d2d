package io.wmstream.topology.summary;

import io.wmstream.schemas.output.Highlight;
import io.wmstream.topology.memory.RememberedTurn;
import io.wmstream.topology.memory.WorkingMemory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a summary from what the working memory kept: the most salient turns, greedily by salience, until the word
 * budget is spent; then in conversation order. The text is those turns' words, cut to the budget.
 */
public final class SummaryComposer {
    private final int budgetWords;

    public SummaryComposer(int budgetWords) {
        this.budgetWords = budgetWords;
    }

    /** The summary text and highlights of {@code memory}. */
    public Composed compose(WorkingMemory memory) {
        Map<Long, RememberedTurn> candidates = new LinkedHashMap<>();
        memory.salientTurns().forEach(t -> candidates.put(t.turn(), t));
        memory.recentTurns().forEach(t -> candidates.putIfAbsent(t.turn(), t));
        List<RememberedTurn> bySalience = new ArrayList<>(candidates.values());
        bySalience.sort(Comparator.comparingDouble(RememberedTurn::salience).reversed()
                .thenComparingLong(RememberedTurn::turn));

        List<RememberedTurn> chosen = new ArrayList<>();
        int words = 0;
        for (RememberedTurn turn : bySalience) {
            if (words >= budgetWords) {
                break;
            }
            chosen.add(turn);
            words += wordCount(turn.text());
        }
        chosen.sort(Comparator.comparingLong(RememberedTurn::turn));

        List<Highlight> highlights = new ArrayList<>(chosen.size());
        StringBuilder text = new StringBuilder();
        int remaining = budgetWords;
        for (RememberedTurn turn : chosen) {
            highlights.add(new Highlight(turn.turn(), turn.speaker(), turn.text(), turn.salience()));
            for (String word : turn.text().trim().split("\\s+")) {
                if (remaining == 0 || word.isEmpty()) {
                    break;
                }
                if (text.length() > 0) {
                    text.append(' ');
                }
                text.append(word);
                remaining--;
            }
        }
        return new Composed(text.toString(), highlights);
    }

    static int wordCount(String text) {
        String trimmed = text.trim();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }

    /** A summary's text and highlights. */
    public record Composed(String text, List<Highlight> highlights) {
    }
}
