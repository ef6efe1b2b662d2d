package io.wmstream.app.evaluation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the replies look like, whatever they answer: their length in words and tokens, distinct-1 and distinct-2
 * over all replies, the empty and degenerate ones, and how many replies have each length.
 */
public final class ReplyStatistics {
    /** Replies of this many words or more share the last bin of the reply length histogram. */
    public static final int WORDS_LAST_BIN = 40;

    /** A reply is degenerate when it has at least this many words and under half of them are distinct. */
    private static final int DEGENERATE_MIN_WORDS = 4;

    private long replies;
    private long words;
    private long tokens;
    private long empty;
    private long degenerate;
    private long unigrams;
    private long bigrams;
    private final Set<String> distinctUnigrams = new HashSet<>();
    private final Set<String> distinctBigrams = new HashSet<>();
    private final long[] wordBins = new long[WORDS_LAST_BIN + 1];

    /** Adds one reply: its text and the tokens the model gave it. */
    void add(String text, long replyTokens) {
        replies++;
        tokens += replyTokens;
        List<String> replyWords = FactRecall.words(text.toLowerCase(Locale.ROOT));
        words += replyWords.size();
        wordBins[Math.min(replyWords.size(), WORDS_LAST_BIN)]++;
        if (replyWords.isEmpty()) {
            empty++;
        } else if (replyWords.size() >= DEGENERATE_MIN_WORDS && new HashSet<>(replyWords).size() * 2
                < replyWords.size()) {
            degenerate++;
        }
        unigrams += replyWords.size();
        distinctUnigrams.addAll(replyWords);
        for (int i = 0; i + 1 < replyWords.size(); i++) {
            bigrams++;
            distinctBigrams.add(replyWords.get(i) + ' ' + replyWords.get(i + 1));
        }
    }

    /**
     * Puts {@code count}, {@code meanWords}, {@code meanTokens}, {@code distinct1}, {@code distinct2},
     * {@code emptyRate} and {@code degenerateRate} into {@code node} ({@code replies} of the report).
     */
    public ObjectNode putInto(ObjectNode node) {
        node.put("count", replies);
        node.put("meanWords", Rounding.ratio(words, replies));
        node.put("meanTokens", Rounding.ratio(tokens, replies));
        node.put("distinct1", Rounding.ratio(distinctUnigrams.size(), unigrams));
        node.put("distinct2", Rounding.ratio(distinctBigrams.size(), bigrams));
        node.put("emptyRate", Rounding.ratio(empty, replies));
        node.put("degenerateRate", Rounding.ratio(degenerate, replies));
        return node;
    }

    /** Puts the replies per number of words into {@code node} ({@code replyWordsHistogram}). */
    public ObjectNode putHistogramInto(ObjectNode node) {
        node.put("lastBinFrom", WORDS_LAST_BIN);
        node.put("note", "replies by number of words: counts[n] replies of n words, the last bin "
                + WORDS_LAST_BIN + " or more");
        ArrayNode counts = node.putArray("counts");
        for (long count : wordBins) {
            counts.add(count);
        }
        return node;
    }
}
