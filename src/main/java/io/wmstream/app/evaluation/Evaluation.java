package io.wmstream.app.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.schemas.event.ConversationEvent;
import io.wmstream.schemas.json.CanonicalJson;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Measures a replay as it runs: fact recall of final summaries and, where the outputs carry a dialogue state, its
 * precision and recall, per-turn joint accuracy and request accuracy (where the log carries MultiWOZ belief states
 * or SGD dialogue states), replies against the log's own next turns (BLEU-4, ROUGE-L), invented values, reply
 * statistics and throughput. A conversation's inputs are held only until its final summary arrives.
 */
public final class Evaluation {
    /** The reference of a reply, and how replies and references are scored: printed with every reply score. */
    public static final String REPLY_SIGNATURE = "ref:next-turn-other-speaker|tok:" + ReplyTokenizer.NAME
            + "|bleu:corpus-4gram-uniform-nosmooth(nltk-3.8)|rouge:L-f1-mean|invented:" + InventedValues.NAME;

    /** Invented values shown as examples in the report, the first ones in output order. */
    static final int INVENTED_EXAMPLES = 5;

    /** A reply is degenerate when it has at least this many words and under half of them are distinct. */
    private static final int DEGENERATE_MIN_WORDS = 4;

    /**
     * Most conversations whose inputs are held for scoring at once: a log that never ends its conversations must
     * not make the replay's memory grow with its length. The oldest is dropped (and counted) beyond it.
     */
    private static final int MAX_OPEN = 10_000;

    /** Fact recall histograms have this many bins of equal width over [0, 1], the last one closed. */
    public static final int RECALL_BINS = 10;

    /** Replies of this many words or more share the last bin of the reply length histogram. */
    public static final int REPLY_WORDS_LAST_BIN = 40;

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
    /** Fact recall over the facts the user stated only (of conversations that have some). */
    private final double[] userRecallSums = new double[FactRecall.METHODS.size()];
    private long userScoredSummaries;
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
    private final Map<FactSource, Long> factSources = new EnumMap<>(FactSource.class);
    private final ReferenceScores references = new ReferenceScores();
    private final Map<String, ReferenceScores> referencesByDomain = new TreeMap<>();
    private long referencesWithoutDomain;
    private long repliesChecked;
    private long repliesNotChecked;
    private long inventing;
    private long inventingNumbers;
    private long inventingCodes;
    private long inventedValues;
    private long placeholders;
    private long repliesWithPlaceholders;
    private final List<ObjectNode> inventedExamples = new ArrayList<>();
    private final RepeatedNgrams repeatedNgrams = new RepeatedNgrams();
    private final RequestCoverage requestCoverage = new RequestCoverage();
    private final StateSlots slots;
    private final FinalStateScore finalState = new FinalStateScore();
    private final JointAccuracy jointAccuracy = new JointAccuracy();
    private final RequestAccuracy requestAccuracy = new RequestAccuracy();

    /** An evaluation whose dialogue-state figures use the training script's slot tables. */
    public Evaluation() {
        this(StateSlots.defaults());
    }

    /** An evaluation whose dialogue-state figures use {@code slots} (a bundle manifest's copy of the tables). */
    public Evaluation(StateSlots slots) {
        this.slots = slots;
    }

    /** Inputs of a conversation whose final summary has not arrived yet. */
    private static final class Open {
        /** The gold dialogue state and requests of its user turns. */
        private final StateSlots.Dialogue dialogue;
        /** Per answered turn, the state and the requested types its reply carried (when it carried them). */
        private final Map<Long, Set<SlotValue>> replyStates = new HashMap<>();
        private final Map<Long, Set<String>> replyRequests = new HashMap<>();
        private final List<FactRecall.Utterance> utterances = new ArrayList<>();
        /** Per utterance: its turn (null when the event had none) and the domains its line names. */
        private final List<Long> turns = new ArrayList<>();
        private final List<List<String>> domains = new ArrayList<>();
        /** Per utterance, the runs a reply's values are looked up in ({@link InventedValues#runs}). */
        private final List<Set<String>> valueRuns = new ArrayList<>();
        /** Per utterance, the attributes a user turn requests ({@link RequestCoverage#requested}). */
        private final List<List<String>> requests = new ArrayList<>();
        private final ConversationFacts facts = new ConversationFacts();
        /** Replies, by the turn they answer, that came out before the log's next turn came in. */
        private final Map<Long, String> awaitingReference = new HashMap<>();

        Open(StateSlots.Dialogue dialogue) {
            this.dialogue = dialogue;
        }

        /** The index of the last utterance of {@code turn}, or -1. */
        int indexOf(Long turn) {
            for (int i = turns.size() - 1; i >= 0; i--) {
                if (turn.equals(turns.get(i))) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** One piped line; {@code event} is null when it is not a valid event, {@code json} when it is not JSON. */
    public void onInput(ConversationEvent event, JsonNode json) {
        lines++;
        if (event == null || !event.isUtterance()) {
            return;
        }
        utterances++;
        Open conversation = open.computeIfAbsent(event.conversationId(), id -> new Open(slots.dialogue()));
        List<String> domains = DomainLabels.of(json);
        int previous = conversation.utterances.size() - 1;
        if (previous >= 0 && conversation.turns.get(previous) != null) {
            String reply = conversation.awaitingReference.remove(conversation.turns.get(previous));
            if (reply != null) {
                scoreAgainstReference(conversation, previous, reply, event.speaker(), event.text(), domains);
            }
        }
        conversation.utterances.add(new FactRecall.Utterance(event.speaker(), event.text()));
        conversation.turns.add(event.turn());
        conversation.domains.add(domains);
        conversation.valueRuns.add(InventedValues.runs(event.text()));
        // A system turn's request asks the user; only the user's requests are the reply's to answer.
        conversation.requests.add("user".equalsIgnoreCase(event.speaker().trim()) ? RequestCoverage.requested(json)
                : List.of());
        conversation.facts.onLine(json);
        conversation.dialogue.onUtterance(event.turn(), event.speaker(), json);
    }

    /** An output record the topology dead-lettered. */
    public void onDeadLetter() {
        deadLetters++;
    }

    /** A reply or summary record's value. */
    public void onOutput(JsonNode value) {
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
        if (conversation == null) {
            return;
        }
        scoreDialogueState(conversation, summary);
        List<FactRecall.Fact> facts = conversation.facts.facts(conversation.utterances);
        if (facts.isEmpty()) {
            return;
        }
        factSources.merge(conversation.facts.source(), 1L, Long::sum);
        String text = summary.path("text").asText("");
        double[] recalls = FactRecall.recalls(facts, text, conversation.utterances);
        for (int i = 0; i < recalls.length; i++) {
            recallSums[i] += recalls[i];
            recallBins[i][recallBin(recalls[i])]++;
        }
        scoredSummaries++;
        List<FactRecall.Fact> stated = FactRecall.statedByUser(facts, conversation.utterances);
        if (!stated.isEmpty()) {
            double[] userRecalls = FactRecall.recalls(stated, text, conversation.utterances);
            for (int i = 0; i < userRecalls.length; i++) {
                userRecallSums[i] += userRecalls[i];
            }
            userScoredSummaries++;
        }
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
        repeatedNgrams.add(text);
        Open conversation = open.get(reply.path("conversationId").asText());
        JsonNode turn = reply.path("inReplyTo").path("turn");
        if (conversation != null && turn.canConvertToLong()) {
            SlotValue.stateOf(reply).ifPresent(state -> conversation.replyStates.put(turn.asLong(), state));
            RequestAccuracy.requestedOf(reply).ifPresent(types -> conversation.replyRequests.put(turn.asLong(),
                    types));
        }
        int answered = conversation == null || !turn.canConvertToLong() ? -1 : conversation.indexOf(turn.asLong());
        if (answered < 0) {
            // Its conversation is no longer held, or the event had no turn: nothing to check it against.
            repliesNotChecked++;
            return;
        }
        checkInventedValues(conversation, answered, reply, text);
        requestCoverage.add(conversation.requests.get(answered), reply);
        if (answered + 1 < conversation.utterances.size()) {
            FactRecall.Utterance next = conversation.utterances.get(answered + 1);
            scoreAgainstReference(conversation, answered, text, next.speaker(), next.text(),
                    conversation.domains.get(answered + 1));
        } else {
            conversation.awaitingReference.put(turn.asLong(), text);
        }
    }

    /**
     * Scores a closed conversation's dialogue state: the final summary's state against the final gold state, each
     * reply's state and requested types against the gold ones of the user turn it answers; gold values only where
     * they occur in the conversation's text. Replies and summaries without the fields are counted, not scored.
     */
    private void scoreDialogueState(Open conversation, JsonNode summary) {
        StringBuilder text = new StringBuilder();
        conversation.utterances.forEach(u -> text.append(' ').append(u.text()));
        Map<String, Set<String>> gold = conversation.dialogue.finalState();
        if (gold != null) {
            Optional<Set<SlotValue>> predicted = SlotValue.stateOf(summary);
            if (predicted.isPresent()) {
                finalState.add(StateSlots.saidIn(gold, text.toString()), predicted.get());
            } else {
                finalState.addWithoutState();
            }
        }
        new TreeMap<>(conversation.dialogue.states()).forEach((turn, state) -> {
            Set<SlotValue> predicted = conversation.replyStates.get(turn);
            if (predicted != null) {
                jointAccuracy.add(StateSlots.saidIn(state, text.toString()), predicted);
            } else {
                jointAccuracy.addWithoutState();
            }
        });
        new TreeMap<>(conversation.dialogue.requests()).forEach((turn, types) -> {
            Set<String> predicted = conversation.replyRequests.get(turn);
            if (predicted != null) {
                requestAccuracy.add(types, predicted);
            } else {
                requestAccuracy.addWithoutRequested();
            }
        });
    }

    /** Values of the reply that no turn up to the one it answers holds. */
    private void checkInventedValues(Open conversation, int answered, JsonNode reply, String text) {
        InventedValues.Check check = InventedValues.check(text, conversation.valueRuns.subList(0, answered + 1));
        repliesChecked++;
        placeholders += check.placeholders();
        repliesWithPlaceholders += check.placeholders() > 0 ? 1 : 0;
        if (!check.invents()) {
            return;
        }
        inventing++;
        inventingNumbers += check.inventsNumber() ? 1 : 0;
        inventingCodes += check.inventsCode() ? 1 : 0;
        inventedValues += check.invented().size();
        if (inventedExamples.size() < INVENTED_EXAMPLES) {
            ObjectNode example = CanonicalJson.mapper().createObjectNode();
            example.put("conversationId", reply.path("conversationId").asText());
            example.set("inReplyTo", reply.path("inReplyTo").path("turn"));
            example.put("reply", text);
            ArrayNode values = example.putArray("invented");
            check.invented().forEach(values::add);
            inventedExamples.add(example);
        }
    }

    /**
     * Scores the reply to utterance {@code answered} against the log's next turn when the other side said it (a
     * user turn followed by another user turn has no reference), overall and in each domain the next turn names
     * (else those the answered turn names).
     */
    private void scoreAgainstReference(Open conversation, int answered, String reply, String nextSpeaker,
            String nextText, List<String> nextDomains) {
        if (sameSpeaker(conversation.utterances.get(answered).speaker(), nextSpeaker)) {
            return;
        }
        List<String> hypothesis = ReplyTokenizer.tokens(reply);
        List<String> reference = ReplyTokenizer.tokens(nextText);
        references.add(hypothesis, reference);
        List<String> domains = nextDomains.isEmpty() ? conversation.domains.get(answered) : nextDomains;
        if (domains.isEmpty()) {
            referencesWithoutDomain++;
        }
        for (String domain : domains) {
            referencesByDomain.computeIfAbsent(domain, d -> new ReferenceScores()).add(hypothesis, reference);
        }
    }

    private static boolean sameSpeaker(String a, String b) {
        return a.trim().toLowerCase(Locale.ROOT).equals(b.trim().toLowerCase(Locale.ROOT));
    }

    /** The bin of a recall: [0, 0.1) is 0, ..., [0.9, 1] is 9; a recall a hair under a bin edge counts in it. */
    public static int recallBin(double recall) {
        int bin = (int) Math.floor(recall * RECALL_BINS + 1e-9);
        return Math.max(0, Math.min(RECALL_BINS - 1, bin));
    }

    public long utterances() {
        return utterances;
    }

    /** The report as JSON: {@code elapsedNanos} and {@code modelNanos} are the replay's wall and model time. */
    public ObjectNode toJson(long elapsedNanos, long modelNanos) {
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
        recall.put("source", factSource());
        recall.put("conversations", scoredSummaries);
        recall.put("notScoredTooManyOpen", dropped);
        recall.put("meanSummaryWords", ratio(summaryWords, scoredSummaries));
        for (int i = 0; i < FactRecall.METHODS.size(); i++) {
            recall.put(FactRecall.METHODS.get(i), ratio(recallSums[i], scoredSummaries));
        }
        ObjectNode userRecall = report.putObject("factRecallUserStated");
        userRecall.put("note", "the same, counting only the facts that occur in the user's own turns");
        userRecall.put("conversations", userScoredSummaries);
        for (int i = 0; i < FactRecall.METHODS.size(); i++) {
            userRecall.put(FactRecall.METHODS.get(i), ratio(userRecallSums[i], userScoredSummaries));
        }
        ObjectNode state = report.putObject("finalState");
        state.put("signature", FinalStateScore.signature(slots));
        finalState.putInto(state);
        ObjectNode joint = report.putObject("jointAccuracy");
        joint.put("signature", JointAccuracy.signature(slots));
        jointAccuracy.putInto(joint);
        requestAccuracy.putInto(report.putObject("requestAccuracy"));
        ObjectNode replyStats = report.putObject("replies");
        replyStats.put("count", replies);
        replyStats.put("meanWords", ratio(replyWords, replies));
        replyStats.put("meanTokens", ratio(replyTokens, replies));
        replyStats.put("distinct1", ratio(distinctUnigrams.size(), unigrams));
        replyStats.put("distinct2", ratio(distinctBigrams.size(), bigrams));
        replyStats.put("emptyRate", ratio(emptyReplies, replies));
        replyStats.put("degenerateRate", ratio(degenerateReplies, replies));
        ObjectNode repetition = report.putObject("repeatedTrigrams");
        repetition.put("signature", RepeatedNgrams.NAME);
        repetition.put("replies", repeatedNgrams.replies());
        repetition.put("perReply", round(repeatedNgrams.perReply()));
        repetition.put("repliesWithRepeats", repeatedNgrams.repliesWithRepeats());
        repetition.put("replyRate", round(repeatedNgrams.replyRate()));
        requestCoverage.putInto(report.putObject("requestCoverage"));
        ObjectNode quality = report.putObject("replyReferences");
        quality.put("signature", REPLY_SIGNATURE);
        references.putInto(quality);
        quality.put("withoutReference", replies - references.count());
        quality.put("withoutDomain", referencesWithoutDomain);
        ObjectNode domains = quality.putObject("byDomain");
        referencesByDomain.forEach((domain, scores) -> scores.putInto(domains.putObject(domain)));
        ObjectNode invented = report.putObject("inventedValues");
        invented.put("signature", "tok:" + InventedValues.NAME + "|against:earlier-input-turns");
        invented.put("repliesChecked", repliesChecked);
        invented.put("repliesNotChecked", repliesNotChecked);
        invented.put("rate", ratio(inventing, repliesChecked));
        invented.put("numberRate", ratio(inventingNumbers, repliesChecked));
        invented.put("codeRate", ratio(inventingCodes, repliesChecked));
        invented.put("values", inventedValues);
        invented.put("placeholders", placeholders);
        invented.put("repliesWithPlaceholders", repliesWithPlaceholders);
        ArrayNode examples = invented.putArray("examples");
        inventedExamples.forEach(examples::add);
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
    public static void putPerplexity(ObjectNode report, double withMemory, double reset, long tokens, long nanos) {
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

    /** {@code multiwoz-belief-state}, {@code sgd-dialogue-state}, {@code mixed} or {@code none}. */
    private String factSource() {
        if (factSources.isEmpty()) {
            return FactSource.NONE.label();
        }
        return factSources.size() == 1 ? factSources.keySet().iterator().next().label() : "mixed";
    }

    /** The report as a terminal table. */
    public static String table(JsonNode report) {
        StringBuilder text = new StringBuilder();
        JsonNode recall = report.path("factRecall");
        text.append(String.format(Locale.ROOT, "%nfact recall of final summaries (%d conversations with facts, "
                + "from %s, %.1f words per summary)%n", recall.path("conversations").asLong(),
                recall.path("source").asText(), recall.path("meanSummaryWords").asDouble()));
        for (String method : FactRecall.METHODS) {
            text.append(String.format(Locale.ROOT, "  %-12s %.3f%n", method, recall.path(method).asDouble()));
        }
        JsonNode stated = report.path("factRecallUserStated");
        if (stated.path("conversations").asLong() > 0) {
            text.append(String.format(Locale.ROOT, "  only the facts the user stated (%d conversations):",
                    stated.path("conversations").asLong()));
            for (String method : FactRecall.METHODS) {
                text.append(String.format(Locale.ROOT, " %s %.3f", method, stated.path(method).asDouble()));
            }
            text.append('\n');
        }
        dialogueStateTable(report, text);
        JsonNode replies = report.path("replies");
        text.append(String.format(Locale.ROOT, "replies: %d, %.1f words (%.1f tokens) on average, distinct-1 %.3f, "
                + "distinct-2 %.3f, empty %.3f, degenerate %.3f%n", replies.path("count").asLong(),
                replies.path("meanWords").asDouble(), replies.path("meanTokens").asDouble(),
                replies.path("distinct1").asDouble(), replies.path("distinct2").asDouble(),
                replies.path("emptyRate").asDouble(), replies.path("degenerateRate").asDouble()));
        JsonNode quality = report.path("replyReferences");
        text.append(String.format(Locale.ROOT, "replies against the log's next turn (%d with one): BLEU-4 %.2f, "
                + "ROUGE-L F1 %.3f%n", quality.path("count").asLong(), quality.path("bleu4").asDouble(),
                quality.path("rougeL").asDouble()));
        quality.path("byDomain").properties().forEach(domain -> text.append(String.format(Locale.ROOT,
                "  %-22s %6d  BLEU-4 %6.2f  ROUGE-L %.3f%n", domain.getKey(), domain.getValue().path("count").asLong(),
                domain.getValue().path("bleu4").asDouble(), domain.getValue().path("rougeL").asDouble())));
        text.append("  signature: ").append(quality.path("signature").asText()).append('\n');
        JsonNode repetition = report.path("repeatedTrigrams");
        text.append(String.format(Locale.ROOT, "repeated 3-grams: %.4f per reply, %d of %d replies have one (%.2f%%)"
                + "%n", repetition.path("perReply").asDouble(), repetition.path("repliesWithRepeats").asLong(),
                repetition.path("replies").asLong(), 100 * repetition.path("replyRate").asDouble()));
        JsonNode coverage = report.path("requestCoverage");
        text.append(String.format(Locale.ROOT, "request coverage: %.1f%% of %d user turns with a request get every "
                + "requested attribute%n", 100 * coverage.path("coverage").asDouble(),
                coverage.path("turns").asLong()));
        StringBuilder attributes = new StringBuilder();
        coverage.path("byAttribute").properties().forEach(attribute -> attributes.append(String.format(Locale.ROOT,
                " %s %.0f%% (%d)", attribute.getKey(), 100 * attribute.getValue().path("coverage").asDouble(),
                attribute.getValue().path("turns").asLong())));
        if (attributes.length() > 0) {
            text.append("  by attribute:").append(attributes).append('\n');
        }
        text.append("  signature: ").append(coverage.path("signature").asText()).append('\n');
        JsonNode invented = report.path("inventedValues");
        text.append(String.format(Locale.ROOT, "invented values: %.1f%% of %d replies state one (numbers %.1f%%, "
                + "codes %.1f%%), %d values; placeholders %d in %d replies%n",
                100 * invented.path("rate").asDouble(), invented.path("repliesChecked").asLong(),
                100 * invented.path("numberRate").asDouble(), 100 * invented.path("codeRate").asDouble(),
                invented.path("values").asLong(), invented.path("placeholders").asLong(),
                invented.path("repliesWithPlaceholders").asLong()));
        JsonNode throughput = report.path("throughput");
        text.append(String.format(Locale.ROOT, "throughput: %.0f utterances/s over %.1f s, model %.0f%% of the "
                + "time%n", throughput.path("utterancesPerSecond").asDouble(), throughput.path("seconds").asDouble(),
                100 * throughput.path("modelShare").asDouble()));
        text.append("perplexity: ").append(report.path("perplexity").path("note").asText()).append('\n');
        return text.toString();
    }

    /** Slots shown in the terminal table, those with the most gold values; report.json holds all. */
    static final int TABLE_SLOTS = 12;

    /** The dialogue-state lines of the table: "n/a" with the reason where a figure was not measured. */
    private static void dialogueStateTable(JsonNode report, StringBuilder text) {
        JsonNode state = report.path("finalState");
        if (state.path("conversations").asLong() == 0) {
            text.append("dialogue state: ").append(state.path("note").asText("n/a")).append('\n');
        } else {
            JsonNode values = state.path("valueOnly");
            text.append(String.format(Locale.ROOT, "dialogue state of final summaries (%d conversations, %d gold "
                    + "values said in the text): precision %s, recall %s, F1 %s; value only: precision %s, recall "
                    + "%s, F1 %s%n", state.path("conversations").asLong(), state.path("goldValues").asLong(),
                    score(state.path("precision")), score(state.path("recall")), score(state.path("f1")),
                    score(values.path("precision")), score(values.path("recall")), score(values.path("f1"))));
            List<Map.Entry<String, JsonNode>> slots = new ArrayList<>();
            state.path("bySlot").properties().forEach(slots::add);
            slots.sort((a, b) -> Long.compare(b.getValue().path("gold").asLong(), a.getValue().path("gold")
                    .asLong()));
            text.append(String.format(Locale.ROOT, "  %-28s %6s %9s %9s%n", "slot", "gold", "precision", "recall"));
            slots.stream().limit(TABLE_SLOTS).forEach(slot -> text.append(String.format(Locale.ROOT,
                    "  %-28s %6d %9s %9s%n", slot.getKey(), slot.getValue().path("gold").asLong(),
                    score(slot.getValue().path("precision")), score(slot.getValue().path("recall")))));
            if (slots.size() > TABLE_SLOTS) {
                text.append(String.format(Locale.ROOT, "  ... %d more slots in report.json%n",
                        slots.size() - TABLE_SLOTS));
            }
            text.append("  signature: ").append(state.path("signature").asText()).append('\n');
        }
        JsonNode joint = report.path("jointAccuracy");
        text.append(joint.path("turns").asLong() == 0 ? "per-turn joint accuracy: " + joint.path("note").asText("n/a")
                + "\n" : String.format(Locale.ROOT, "per-turn joint accuracy: %s of %d user turns%n",
                score(joint.path("accuracy")), joint.path("turns").asLong()));
        JsonNode requests = report.path("requestAccuracy");
        text.append(requests.path("turns").asLong() == 0 ? "request accuracy: " + requests.path("note").asText("n/a")
                + "\n" : String.format(Locale.ROOT, "request accuracy: %s of %d user turns (never reading a request: "
                + "%s; %s of the %d turns that ask; types: precision %s, recall %s)%n",
                score(requests.path("accuracy")), requests.path("turns").asLong(),
                score(requests.path("emptyBaseline")), score(requests.path("accuracyAsking")),
                requests.path("turnsAsking").asLong(),
                score(requests.path("precision")), score(requests.path("recall"))));
    }

    /** A score of the report to three places, or "n/a" where it is null. */
    private static String score(JsonNode value) {
        return value.isNumber() ? String.format(Locale.ROOT, "%.3f", value.asDouble()) : "n/a";
    }

    private static double ratio(double numerator, double denominator) {
        return denominator == 0 ? 0 : round(numerator / denominator);
    }

    static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
