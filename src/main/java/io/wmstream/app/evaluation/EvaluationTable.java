package io.wmstream.app.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A replay's evaluation ({@code report.json}) as the table the terminal shows, read from the JSON alone. */
public final class EvaluationTable {
    private EvaluationTable() {
    }

    /** The report as a terminal table. */
    public static String of(JsonNode report) {
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
}
