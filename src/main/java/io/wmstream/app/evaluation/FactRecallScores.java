package io.wmstream.app.evaluation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Fact recall of final summaries over a replay ({@link FactRecall} for one summary): the mean of each method,
 * again over only the facts the user stated, and how the conversations spread over recall bins.
 */
public final class FactRecallScores {
    /** Fact recall histograms have this many bins of equal width over [0, 1], the last one closed. */
    public static final int BINS = 10;

    private final double[] sums = new double[FactRecall.METHODS.size()];
    /** Per method, how many conversations had a fact recall in each bin: fixed size, whatever the log. */
    private final long[][] bins = new long[FactRecall.METHODS.size()][BINS];
    private long conversations;
    /** Fact recall over the facts the user stated only (of conversations that have some). */
    private final double[] userSums = new double[FactRecall.METHODS.size()];
    private long userConversations;
    private long summaryWords;
    private long notScoredTooManyOpen;
    private final Map<FactSource, Long> sources = new EnumMap<>(FactSource.class);

    /** Scores one final summary's {@code text} against its conversation's facts (not empty), from {@code source}. */
    void add(List<FactRecall.Fact> facts, FactSource source, String text, List<FactRecall.Utterance> utterances) {
        sources.merge(source, 1L, Long::sum);
        double[] recalls = FactRecall.recalls(facts, text, utterances);
        for (int i = 0; i < recalls.length; i++) {
            sums[i] += recalls[i];
            bins[i][bin(recalls[i])]++;
        }
        conversations++;
        List<FactRecall.Fact> stated = FactRecall.statedByUser(facts, utterances);
        if (!stated.isEmpty()) {
            double[] userRecalls = FactRecall.recalls(stated, text, utterances);
            for (int i = 0; i < userRecalls.length; i++) {
                userSums[i] += userRecalls[i];
            }
            userConversations++;
        }
        summaryWords += FactRecall.words(text).size();
    }

    /** A conversation let go before its final summary came, as too many were open at once. */
    void onNotScoredTooManyOpen() {
        notScoredTooManyOpen++;
    }

    /** The bin of a recall: [0, 0.1) is 0, ..., [0.9, 1] is 9; a recall a hair under a bin edge counts in it. */
    public static int bin(double recall) {
        int bin = (int) Math.floor(recall * BINS + 1e-9);
        return Math.max(0, Math.min(BINS - 1, bin));
    }

    /**
     * Puts {@code source}, {@code conversations}, {@code notScoredTooManyOpen}, {@code meanSummaryWords} and each
     * method's mean into {@code node} ({@code factRecall} of the report).
     */
    public ObjectNode putInto(ObjectNode node) {
        node.put("source", source());
        node.put("conversations", conversations);
        node.put("notScoredTooManyOpen", notScoredTooManyOpen);
        node.put("meanSummaryWords", Rounding.ratio(summaryWords, conversations));
        putMeans(node, sums, conversations);
        return node;
    }

    /** Puts the means over the facts the user stated into {@code node} ({@code factRecallUserStated}). */
    public ObjectNode putUserStatedInto(ObjectNode node) {
        node.put("note", "the same, counting only the facts that occur in the user's own turns");
        node.put("conversations", userConversations);
        putMeans(node, userSums, userConversations);
        return node;
    }

    /** Puts each method's conversations per bin into {@code node} ({@code factRecallHistogram}). */
    public ObjectNode putHistogramInto(ObjectNode node) {
        node.put("binWidth", 1.0 / BINS);
        node.put("note", "conversations by fact recall in bins [0, 0.1), [0.1, 0.2), ..., [0.9, 1]");
        ObjectNode counts = node.putObject("counts");
        for (int i = 0; i < FactRecall.METHODS.size(); i++) {
            ArrayNode method = counts.putArray(FactRecall.METHODS.get(i));
            for (long count : bins[i]) {
                method.add(count);
            }
        }
        return node;
    }

    private static void putMeans(ObjectNode node, double[] sums, long conversations) {
        for (int i = 0; i < FactRecall.METHODS.size(); i++) {
            node.put(FactRecall.METHODS.get(i), Rounding.ratio(sums[i], conversations));
        }
    }

    /** {@code multiwoz-belief-state}, {@code sgd-dialogue-state}, {@code mixed} or {@code none}. */
    private String source() {
        if (sources.isEmpty()) {
            return FactSource.NONE.label();
        }
        return sources.size() == 1 ? sources.keySet().iterator().next().label() : "mixed";
    }
}
