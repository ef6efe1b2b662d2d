package io.wmstream.app.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.schemas.event.ConversationEvent;
import io.wmstream.schemas.json.CanonicalJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Measures a replay as it runs: fact recall of final summaries (where the log carries belief states), reply
 * statistics and throughput. A conversation's inputs are held only until its final summary arrives.
 */
final class Evaluation {
    /** A reply is degenerate when it has at least this many words and under half of them are distinct. */
    private static final int DEGENERATE_MIN_WORDS = 4;

    /**
     * Most conversations whose inputs are held for scoring at once: a log that never ends its conversations must
     * not make the replay's memory grow with its length. The oldest is dropped (and counted) beyond it.
     */
    private static final int MAX_OPEN = 10_000;

    /** Fact recall histograms have this many bins of equal width over [0, 1], the last one closed. */
    static final int RECALL_BINS = 10;

    /** Replies of this many words or more share the last bin of the reply length histogram. */
    static final int REPLY_WORDS_LAST_BIN = 40;

    private final Map<String, Open> open = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Open> eldest) {
            if (size() > MAX_OPEN) {
                dropped++;
                return true;
            }
            return false;
        }
    };
    private long dropped;
    private final double[] recallSums = new double[FactRecall.METHODS.size()];
    /** Per method, how many conversations had a fact recall in each bin: fixed size, whatever the log. */
    private final long[][] recallBins = new long[FactRecall.METHODS.size()][RECALL_BINS];
    private final long[] replyWordBins = new long[REPLY_WORDS_LAST_BIN + 1];
    private long scoredSummaries;
    private long summaryWords;
    private long finalSummaries;
    private long replies;
    private long replyWords;
    private long replyTokens;
    private long emptyReplies;
    private long degenerateReplies;
    private long unigrams;
    private long bigrams;
    private final Set<String> distinctUnigrams = new HashSet<>();
    private final Set<String> distinctBigrams = new HashSet<>();
    private long lines;
    private long utterances;
    private long deadLetters;
    private long summaries;

    /** Inputs of a conversation whose final summary has not arrived yet. */
    private static final class Open {
        private final List<FactRecall.Utterance> utterances = new ArrayList<>();
        private JsonNode beliefState;
    }

    /** One piped line; {@code event} is null when it is not a valid event, {@code json} when it is not JSON. */
    void onInput(ConversationEvent event, JsonNode json) {
        lines++;
        if (event == null || !event.isUtterance()) {
            return;
        }
        utterances++;
        Open conversation = open.computeIfAbsent(event.conversationId(), id -> new Open());
        conversation.utterances.add(new FactRecall.Utterance(event.speaker(), event.text()));
        JsonNode belief = json == null ? null : json.path("annotations").get("belief_state");
        if (belief != null && belief.isObject()) {
            conversation.beliefState = belief;
        }
    }

    void onOutput(ReplayOutput output) {
        if (output.deadLetter()) {
            deadLetters++;
            return;
        }
        JsonNode value = output.valueJson();
        if (value == null) {
            return;
        }
        if (value.has("kind")) {
            summaries++;
            if ("final".equals(value.path("kind").asText())) {
                onFinalSummary(value);
            }
        } else if (value.has("inReplyTo")) {
            onReply(value);
        }
    }

    private void onFinalSummary(JsonNode summary) {
        finalSummaries++;
        Open conversation = open.remove(summary.path("conversationId").asText());
        if (conversation == null || conversation.beliefState == null) {
            return;
        }
        List<String> facts = FactRecall.facts(conversation.beliefState, conversation.utterances);
        if (facts.isEmpty()) {
            return;
        }
        String text = summary.path("text").asText("");
        double[] recalls = FactRecall.recalls(facts, text, conversation.utterances);
        for (int i = 0; i < recalls.length; i++) {
            recallSums[i] += recalls[i];
            recallBins[i][recallBin(recalls[i])]++;
        }
        scoredSummaries++;
        summaryWords += FactRecall.words(text).size();
    }

    private void onReply(JsonNode reply) {
        replies++;
        String text = reply.path("text").asText("");
        replyTokens += reply.path("tokens").asLong(0);
        List<String> words = FactRecall.words(text.toLowerCase(Locale.ROOT));
        replyWords += words.size();
        replyWordBins[Math.min(words.size(), REPLY_WORDS_LAST_BIN)]++;
        if (words.isEmpty()) {
            emptyReplies++;
        } else if (words.size() >= DEGENERATE_MIN_WORDS && new HashSet<>(words).size() * 2 < words.size()) {
            degenerateReplies++;
        }
        unigrams += words.size();
        distinctUnigrams.addAll(words);
        for (int i = 0; i + 1 < words.size(); i++) {
            bigrams++;
            distinctBigrams.add(words.get(i) + ' ' + words.get(i + 1));
        }
    }

    /** The bin of a recall: [0, 0.1) is 0, ..., [0.9, 1] is 9; a recall a hair under a bin edge counts in it. */
    static int recallBin(double recall) {
        int bin = (int) Math.floor(recall * RECALL_BINS + 1e-9);
        return Math.max(0, Math.min(RECALL_BINS - 1, bin));
    }

    long utterances() {
        return utterances;
    }

    /** The report as JSON: {@code elapsedNanos} and {@code modelNanos} are the replay's wall and model time. */
    ObjectNode toJson(long elapsedNanos, long modelNanos) {
        ObjectNode report = CanonicalJson.mapper().createObjectNode();
        ObjectNode input = report.putObject("input");
        input.put("lines", lines);
        input.put("utterances", utterances);
        ObjectNode outputs = report.putObject("outputs");
        outputs.put("replies", replies);
        outputs.put("summaries", summaries);
        outputs.put("finalSummaries", finalSummaries);
        outputs.put("deadLetters", deadLetters);
        ObjectNode perplexity = report.putObject("perplexity");
        perplexity.putNull("withMemory");
        perplexity.putNull("memoryResetPerUtterance");
        perplexity.put("note", "not measured (replay --perplexity measures it)");
        ObjectNode recall = report.putObject("factRecall");
        recall.put("conversations", scoredSummaries);
        recall.put("notScoredTooManyOpen", dropped);
        recall.put("meanSummaryWords", ratio(summaryWords, scoredSummaries));
        for (int i = 0; i < FactRecall.METHODS.size(); i++) {
            recall.put(FactRecall.METHODS.get(i), ratio(recallSums[i], scoredSummaries));
        }
        ObjectNode replyStats = report.putObject("replies");
        replyStats.put("count", replies);
        replyStats.put("meanWords", ratio(replyWords, replies));
        replyStats.put("meanTokens", ratio(replyTokens, replies));
        replyStats.put("distinct1", ratio(distinctUnigrams.size(), unigrams));
        replyStats.put("distinct2", ratio(distinctBigrams.size(), bigrams));
        replyStats.put("emptyRate", ratio(emptyReplies, replies));
        replyStats.put("degenerateRate", ratio(degenerateReplies, replies));
        ObjectNode recallHistogram = report.putObject("factRecallHistogram");
        recallHistogram.put("binWidth", 1.0 / RECALL_BINS);
        recallHistogram.put("note", "conversations by fact recall in bins [0, 0.1), [0.1, 0.2), ..., [0.9, 1]");
        ObjectNode recallCounts = recallHistogram.putObject("counts");
        for (int i = 0; i < FactRecall.METHODS.size(); i++) {
            var counts = recallCounts.putArray(FactRecall.METHODS.get(i));
            for (long count : recallBins[i]) {
                counts.add(count);
            }
        }
        ObjectNode wordsHistogram = report.putObject("replyWordsHistogram");
        wordsHistogram.put("lastBinFrom", REPLY_WORDS_LAST_BIN);
        wordsHistogram.put("note", "replies by number of words: counts[n] replies of n words, the last bin "
                + REPLY_WORDS_LAST_BIN + " or more");
        var wordCounts = wordsHistogram.putArray("counts");
        for (long count : replyWordBins) {
            wordCounts.add(count);
        }
        ObjectNode throughput = report.putObject("throughput");
        double seconds = elapsedNanos / 1e9;
        throughput.put("seconds", round(seconds));
        throughput.put("utterancesPerSecond", seconds > 0 ? round(utterances / seconds) : 0);
        throughput.put("modelShare", elapsedNanos > 0 ? round((double) modelNanos / elapsedNanos) : 0);
        return report;
    }

    /** Puts the perplexity of the unanswered turns into {@code report}. */
    static void putPerplexity(ObjectNode report, double withMemory, double reset, long tokens, long nanos) {
        ObjectNode perplexity = report.putObject("perplexity");
        perplexity.put("tokens", tokens);
        perplexity.put("seconds", round(nanos / 1e9));
        if (tokens == 0 || !Double.isFinite(withMemory) || !Double.isFinite(reset)) {
            // No turn the model does not answer (every speaker gets replies): nothing to measure, and a rounded
            // NaN would read as a perfect 0.
            perplexity.putNull("withMemory");
            perplexity.putNull("memoryResetPerUtterance");
            perplexity.put("note", "not measured: the log has no turns the model does not answer");
            return;
        }
        perplexity.put("withMemory", round(withMemory));
        perplexity.put("memoryResetPerUtterance", round(reset));
        perplexity.put("note", String.format(Locale.ROOT, "%d tokens of the turns the model does not answer, "
                + "teacher-forced: %.2f given the memory, %.2f with the memory reset before each", tokens,
                withMemory, reset));
    }

    /** The report as a terminal table. */
    static String table(JsonNode report) {
        StringBuilder text = new StringBuilder();
        JsonNode recall = report.path("factRecall");
        text.append(String.format(Locale.ROOT, "%nfact recall of final summaries (%d conversations with facts, "
                + "%.1f words per summary)%n", recall.path("conversations").asLong(),
                recall.path("meanSummaryWords").asDouble()));
        for (String method : FactRecall.METHODS) {
            text.append(String.format(Locale.ROOT, "  %-12s %.3f%n", method, recall.path(method).asDouble()));
        }
        JsonNode replies = report.path("replies");
        text.append(String.format(Locale.ROOT, "replies: %d, %.1f words (%.1f tokens) on average, distinct-1 %.3f, "
                + "distinct-2 %.3f, empty %.3f, degenerate %.3f%n", replies.path("count").asLong(),
                replies.path("meanWords").asDouble(), replies.path("meanTokens").asDouble(),
                replies.path("distinct1").asDouble(), replies.path("distinct2").asDouble(),
                replies.path("emptyRate").asDouble(), replies.path("degenerateRate").asDouble()));
        JsonNode throughput = report.path("throughput");
        text.append(String.format(Locale.ROOT, "throughput: %.0f utterances/s over %.1f s, model %.0f%% of the "
                + "time%n", throughput.path("utterancesPerSecond").asDouble(), throughput.path("seconds").asDouble(),
                100 * throughput.path("modelShare").asDouble()));
        text.append("perplexity: ").append(report.path("perplexity").path("note").asText()).append('\n');
        return text.toString();
    }

    private static double ratio(double numerator, double denominator) {
        return denominator == 0 ? 0 : round(numerator / denominator);
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
