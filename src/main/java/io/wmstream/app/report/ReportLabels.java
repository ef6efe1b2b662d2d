package io.wmstream.app.report;

import java.util.Map;

/** Readable names of the keys of the replay's JSON reports, for the HTML page and its charts. */
final class ReportLabels {
    /** Readable names of the report's keys; a key without one is shown as it is. */
    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("lines", "lines read"),
            Map.entry("utterances", "utterances"),
            Map.entry("replies", "replies"),
            Map.entry("summaries", "summaries (rolling and final)"),
            Map.entry("finalSummaries", "final summaries"),
            Map.entry("deadLetters", "dead letters"),
            Map.entry("conversations", "conversations with facts (scored)"),
            Map.entry("notScoredTooManyOpen", "not scored: too many conversations open at once"),
            Map.entry("meanSummaryWords", "mean summary length (words)"),
            Map.entry("summary", "final summary (working memory)"),
            Map.entry("first", "first utterances"),
            Map.entry("last", "last utterances"),
            Map.entry("first-user", "first user utterances"),
            Map.entry("last-user", "last user utterances"),
            Map.entry("oracle", "greedy oracle"),
            Map.entry("count", "count"),
            Map.entry("meanWords", "mean length (words)"),
            Map.entry("meanTokens", "mean length (tokens)"),
            Map.entry("distinct1", "distinct-1"),
            Map.entry("distinct2", "distinct-2"),
            Map.entry("emptyRate", "empty rate"),
            Map.entry("degenerateRate", "degenerate rate"),
            Map.entry("withMemory", "given the memory"),
            Map.entry("memoryResetPerUtterance", "memory reset before each utterance"),
            Map.entry("tokens", "tokens"),
            Map.entry("seconds", "seconds"),
            Map.entry("note", "note"),
            Map.entry("utterancesPerSecond", "utterances per second"),
            Map.entry("modelShare", "model's share of the time"),
            Map.entry("total", "conversations"),
            Map.entry("identical", "identical"),
            Map.entry("different", "different"),
            Map.entry("onlyInA", "only in A"),
            Map.entry("onlyInB", "only in B"),
            Map.entry("differingRecords", "differing records"),
            Map.entry("source", "fact source"),
            Map.entry("signature", "signature"),
            Map.entry("bleu4", "corpus BLEU-4"),
            Map.entry("rougeL", "mean ROUGE-L F1"),
            Map.entry("withoutReference", "replies without a reference"),
            Map.entry("withoutDomain", "scored replies whose turns name no domain"),
            Map.entry("repliesChecked", "replies checked"),
            Map.entry("repliesNotChecked", "replies not checked (conversation not held, or no turn)"),
            Map.entry("rate", "share of replies with an invented value"),
            Map.entry("numberRate", "share with an invented number"),
            Map.entry("codeRate", "share with an invented code"),
            Map.entry("values", "invented values"),
            Map.entry("placeholders", "placeholders"),
            Map.entry("repliesWithPlaceholders", "replies with placeholders"),
            Map.entry("inventedRate", "share of replies with an invented value"),
            Map.entry("finalStateF1", "final state F1"),
            Map.entry("jointAccuracy", "per-turn joint accuracy"),
            Map.entry("requestAccuracy", "request accuracy"),
            Map.entry("perReply", "repeated 3-grams per reply"),
            Map.entry("repliesWithRepeats", "replies with a repeated 3-gram"),
            Map.entry("replyRate", "share of replies with a repeated 3-gram"),
            Map.entry("turns", "user turns counted"),
            Map.entry("covered", "of those, replies that give every requested attribute"),
            Map.entry("coverage", "request coverage"));

    private ReportLabels() {
    }

    /** The readable name of {@code key}, or the key itself when it has none. */
    static String of(String key) {
        return LABELS.getOrDefault(key, key);
    }
}
