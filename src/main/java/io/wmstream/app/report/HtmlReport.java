package io.wmstream.app.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.app.evaluation.FactRecall;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jfree.chart.JFreeChart;

/**
 * A self-contained HTML page (inline style, no scripts, no external addresses) of a replay's JSON reports: their
 * tables in readable form and their charts, written by {@link ReportCharts} as PNG files beside the page. Built
 * from the JSON objects alone, so {@code replay} and {@code diff} (which reads two outputs) write the same page.
 * Every text is escaped: conversation ids and output lines come from the log.
 */
public final class HtmlReport {
    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:2em auto;\
            max-width:900px;padding:0 1em;color:#222;line-height:1.45}
            h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
            h3{margin-top:1.6em}table{border-collapse:collapse;margin:.6em 0}
            th,td{border:1px solid #ddd;padding:.25em .7em;text-align:left;vertical-align:top}
            th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
            figure{margin:1em 0}img{max-width:100%;height:auto;border:1px solid #eee}
            pre{white-space:pre-wrap;word-break:break-all;background:#f8f8f8;padding:.5em;font-size:.85em}
            .note{color:#555}details{margin:.5em 0}summary{cursor:pointer;color:#333}
            """;

    private final Path dir;
    private final String title;
    private final Map<String, String> about = new LinkedHashMap<>();
    private final StringBuilder body = new StringBuilder();
    /** The charts to write beside the page, by file name, in page order. */
    private final Map<String, JFreeChart> charts = new LinkedHashMap<>();

    /** A page titled {@code title} whose charts go to {@code dir}, the page's own directory. */
    public HtmlReport(Path dir, String title) {
        this.dir = dir;
        this.title = title;
    }

    /** One line of the table at the top that says what was run: input, output, model. */
    public HtmlReport about(String name, String value) {
        about.put(name, value);
        return this;
    }

    /** The PNG files the page shows, by name, in page order. */
    public List<String> images() {
        return List.copyOf(charts.keySet());
    }

    /**
     * A section for one replay's report ({@code report.json}); its charts' file names start with {@code prefix}
     * (empty for a single replay, {@code a-} and {@code b-} for two models).
     */
    public HtmlReport replay(String heading, String prefix, JsonNode report) {
        body.append("<h2>").append(escape(heading)).append("</h2>\n");

        body.append("<h3>Input and outputs</h3>\n");
        Map<String, JsonNode> counts = new LinkedHashMap<>();
        report.path("input").properties().forEach(e -> counts.put(e.getKey(), e.getValue()));
        report.path("outputs").properties().forEach(e -> counts.put(e.getKey(), e.getValue()));
        table(counts);

        body.append("<h3>Fact recall of final summaries</h3>\n");
        JsonNode recall = report.path("factRecall");
        body.append("<p class=\"note\">Facts: values of the conversation's final dialogue state (MultiWOZ belief "
                + "state or SGD dialogue state) that occur in its text. Every method is cut to the summary's number "
                + "of words.</p>\n");
        Map<String, JsonNode> recallFacts = new LinkedHashMap<>();
        for (String key : List.of("source", "conversations", "meanSummaryWords", "notScoredTooManyOpen")) {
            recallFacts.put(key, recall.path(key));
        }
        table(recallFacts);
        if (recall.path("conversations").asLong() == 0) {
            body.append("<p class=\"note\">No conversation was scored: the log carries no dialogue state "
                    + "(annotations.belief_state, or annotations.frames[].state) whose values occur in its text, or "
                    + "no conversation got a final summary (replay --end-each-conversation gives each one).</p>\n");
        } else {
            methodTable(recall);
            chart(prefix + "fact-recall.png", "fact recall of the summary, the baselines and the oracle",
                    Optional.of(ReportCharts.factRecall(report)));
            chart(prefix + "fact-recall-distribution.png", "fact recall per conversation",
                    ReportCharts.factRecallDistribution(report));
            recallHistogramTable(report.path("factRecallHistogram"));
            JsonNode stated = report.path("factRecallUserStated");
            if (stated.path("conversations").asLong() > 0) {
                body.append("<p class=\"note\">Counting only the facts that occur in the user's own turns (what "
                        + "the user stated, not what the other side offered): ").append(String.format(Locale.ROOT,
                        "%,d", stated.path("conversations").asLong())).append(" conversations.</p>\n");
                methodTable(stated);
            }
        }

        dialogueState(report);

        body.append("<h3>Replies</h3>\n");
        table(fields(report.path("replies")));
        if (report.path("replies").path("count").asLong() > 0) {
            chart(prefix + "reply-words.png", "reply length histogram", ReportCharts.replyWords(report));
            wordsHistogramTable(report.path("replyWordsHistogram"));
        }
        replyReferences(prefix, report);
        inventedValues(report.path("inventedValues"));
        repetition(report.path("repeatedTrigrams"));
        requestCoverage(report.path("requestCoverage"));

        body.append("<h3>Perplexity</h3>\n");
        table(fields(report.path("perplexity")));
        chart(prefix + "perplexity.png", "perplexity given the memory and with the memory reset",
                ReportCharts.perplexity(report));

        if (report.has("throughput")) {
            body.append("<h3>Throughput</h3>\n");
            table(fields(report.path("throughput")));
            chart(prefix + "time-share.png", "where the replay's time went", ReportCharts.timeShare(report));
        }
        return this;
    }

    /**
     * A section for what the memory adds ({@code memoryAblation} of {@code report.json}): every metric with and
     * without the memory, its gain, and a chart of those on a 0-100 scale.
     */
    public HtmlReport ablation(String heading, JsonNode ablation) {
        body.append("<h2>").append(escape(heading)).append("</h2>\n");
        body.append("<p class=\"note\">").append(escape(ablation.path("note").asText())).append(".</p>\n");
        body.append("<table>\n<tr><th>metric</th><th>with memory</th><th>without memory</th><th>memory gain</th>"
                + "<th>better</th></tr>\n");
        ablation.path("metrics").forEach(row -> body.append("<tr><th>").append(escape(row.path("label").asText()))
                .append("</th>").append(cell(row.path("withMemory"))).append(cell(row.path("withoutMemory")))
                .append(cell(row.path("memoryGain"))).append(cell(row.path("better"))).append("</tr>\n"));
        body.append("</table>\n");
        chart("memory-ablation.png", "metrics with and without the memory", ReportCharts.memoryAblation(ablation));
        return this;
    }

    /**
     * The dialogue state the outputs carry against the log's annotated one: the final summaries' state (precision,
     * recall, F1, value only, per slot), the replies' state after each user turn (joint accuracy) and their
     * requested types; "n/a" with the reason where the outputs carry none.
     */
    private void dialogueState(JsonNode report) {
        JsonNode state = report.path("finalState");
        JsonNode joint = report.path("jointAccuracy");
        JsonNode requests = report.path("requestAccuracy");
        if (state.isMissingNode() && joint.isMissingNode() && requests.isMissingNode()) {
            return;
        }
        body.append("<h3>Dialogue state</h3>\n");
        body.append("<p class=\"note\">The state the outputs carry against the log's annotated dialogue state "
                + "(SGD <code>state.slot_values</code>, MultiWOZ <code>belief_state</code>), slots "
                + "<code>domain.type[.role]</code>, gold values only where they occur in the conversation's text. "
                + "Signature: <code>").append(escape(state.path("signature").asText())).append("</code>.</p>\n");
        body.append("<table>\n<tr><th>measure</th><th>scored</th><th>not scored (no state in the output)</th>"
                + "<th>precision</th><th>recall</th><th>F1</th><th>accuracy</th></tr>\n");
        JsonNode values = state.path("valueOnly");
        body.append("<tr><th>final state, (slot, value) pairs</th>").append(cell(state.path("conversations")))
                .append(cell(state.path("conversationsWithoutState"))).append(cell(state.path("precision")))
                .append(cell(state.path("recall"))).append(cell(state.path("f1"))).append(cell(null))
                .append("</tr>\n");
        body.append("<tr><th>final state, value only</th>").append(cell(state.path("conversations")))
                .append(cell(state.path("conversationsWithoutState"))).append(cell(values.path("precision")))
                .append(cell(values.path("recall"))).append(cell(values.path("f1"))).append(cell(null))
                .append("</tr>\n");
        body.append("<tr><th>state after each user turn (joint)</th>").append(cell(joint.path("turns")))
                .append(cell(joint.path("turnsWithoutState"))).append(cell(null)).append(cell(null))
                .append(cell(null)).append(cell(joint.path("accuracy"))).append("</tr>\n");
        body.append("<tr><th>requested types of each user turn</th>").append(cell(requests.path("turns")))
                .append(cell(requests.path("turnsWithoutRequested"))).append(cell(requests.path("precision")))
                .append(cell(requests.path("recall"))).append(cell(null)).append(cell(requests.path("accuracy")))
                .append("</tr>\n");
        body.append("<tr><th>\u2026 only the turns that ask for something</th>").append(cell(requests
                .path("turnsAsking"))).append(cell(null)).append(cell(null)).append(cell(null)).append(cell(null))
                .append(cell(requests.path("accuracyAsking"))).append("</tr>\n");
        body.append("<tr><th>\u2026 baseline: never reading a request</th>").append(cell(requests.path("turns")))
                .append(cell(null)).append(cell(null)).append(cell(null)).append(cell(null))
                .append(cell(requests.path("emptyBaseline"))).append("</tr>\n</table>\n");
        for (JsonNode section : List.of(state, joint, requests)) {
            if (section.has("note")) {
                body.append("<p class=\"note\">").append(escape(section.path("note").asText())).append(".</p>\n");
            }
        }
        JsonNode slots = state.path("bySlot");
        if (!slots.isEmpty()) {
            body.append("<details><summary>final state per slot</summary>\n<table>\n<tr><th>slot</th>"
                    + "<th>gold values</th><th>predicted</th><th>precision</th><th>recall</th></tr>\n");
            slots.properties().forEach(e -> body.append("<tr><th>").append(escape(e.getKey())).append("</th>")
                    .append(cell(e.getValue().path("gold"))).append(cell(e.getValue().path("predicted")))
                    .append(cell(e.getValue().path("precision"))).append(cell(e.getValue().path("recall")))
                    .append("</tr>\n"));
            body.append("</table>\n</details>\n");
        }
    }

    private void replyReferences(String prefix, JsonNode report) {
        JsonNode references = report.path("replyReferences");
        body.append("<h3>Replies against the log's next turns</h3>\n");
        body.append("<p class=\"note\">The reference of a reply is the turn the log has after the one answered, "
                + "when the other side said it. Signature: <code>").append(escape(references.path("signature")
                .asText())).append("</code>.</p>\n");
        table(withoutSignature(references));
        if (references.path("count").asLong() == 0) {
            body.append("<p class=\"note\">No reply has a reference: the log has no turn of the other side "
                    + "after the turns answered.</p>\n");
            return;
        }
        JsonNode domains = references.path("byDomain");
        if (!domains.isEmpty()) {
            body.append("<table>\n<tr><th>domain</th><th>replies</th><th>BLEU-4</th><th>ROUGE-L F1</th></tr>\n");
            domains.properties().forEach(e -> body.append("<tr><th>").append(escape(e.getKey())).append("</th>")
                    .append(cell(e.getValue().path("count"))).append(cell(e.getValue().path("bleu4")))
                    .append(cell(e.getValue().path("rougeL"))).append("</tr>\n"));
            body.append("</table>\n");
            chart(prefix + "reply-bleu-by-domain.png", "BLEU-4 per domain", ReportCharts.bleuByDomain(report));
        }
    }

    private void inventedValues(JsonNode invented) {
        body.append("<h3>Invented values</h3>\n");
        body.append("<p class=\"note\">A reply invents a value when it states a number or code (a run of letters "
                + "and digits with a digit) that no earlier turn of its conversation holds. Placeholders are not "
                + "values. Signature: <code>").append(escape(invented.path("signature").asText()))
                .append("</code>.</p>\n");
        table(withoutSignature(invented));
        JsonNode examples = invented.path("examples");
        if (!examples.isEmpty()) {
            body.append("<details><summary>first replies with invented values</summary>\n<table>\n<tr>"
                    + "<th>conversation</th><th>turn</th><th>reply</th><th>invented</th></tr>\n");
            examples.forEach(example -> {
                StringBuilder values = new StringBuilder();
                example.path("invented").forEach(v -> values.append(values.isEmpty() ? "" : ", ").append(v.asText()));
                body.append("<tr>").append(cell(example.path("conversationId"))).append(cell(example
                        .path("inReplyTo"))).append(cell(example.path("reply"))).append("<td>")
                        .append(escape(values.toString())).append("</td></tr>\n");
            });
            body.append("</table>\n</details>\n");
        }
    }

    private void repetition(JsonNode repetition) {
        if (repetition.isMissingNode()) {
            return;
        }
        body.append("<h3>Repeated 3-grams</h3>\n");
        body.append("<p class=\"note\">Each 3-gram of words (placeholders are words, punctuation is not) that a reply "
                + "already said counts once. Signature: <code>").append(escape(repetition.path("signature").asText()))
                .append("</code>.</p>\n");
        table(withoutSignature(repetition));
    }

    private void requestCoverage(JsonNode coverage) {
        if (coverage.isMissingNode()) {
            return;
        }
        body.append("<h3>Request coverage</h3>\n");
        body.append("<p class=\"note\">Of the user turns that request attributes (MultiWOZ <code>*-Request</code> "
                + "dialogue acts, SGD <code>REQUEST</code> actions), the share whose reply gives every one, as a "
                + "placeholder of its type (left or filled), or by name for those no placeholder carries. Signature: "
                + "<code>").append(escape(coverage.path("signature").asText())).append("</code>.</p>\n");
        Map<String, JsonNode> figures = new LinkedHashMap<>(withoutSignature(coverage));
        figures.remove("byAttribute");
        table(figures);
        JsonNode attributes = coverage.path("byAttribute");
        if (!attributes.isEmpty()) {
            body.append("<table>\n<tr><th>attribute</th><th>turns</th><th>coverage</th></tr>\n");
            attributes.properties().forEach(e -> body.append("<tr><th>").append(escape(e.getKey())).append("</th>")
                    .append(cell(e.getValue().path("turns"))).append(cell(e.getValue().path("coverage")))
                    .append("</tr>\n"));
            body.append("</table>\n");
        }
    }

    /** A section for the comparison of two replay outputs ({@code diff.json}). */
    public HtmlReport comparison(String heading, String labelA, String labelB, JsonNode diff) {
        body.append("<h2>").append(escape(heading)).append("</h2>\n");
        body.append("<p>A = <code>").append(escape(labelA)).append("</code><br>B = <code>").append(escape(labelB))
                .append("</code></p>\n");
        Map<String, JsonNode> counts = new LinkedHashMap<>(fields(diff.path("conversations")));
        counts.put("differingRecords", diff.path("differingRecords"));
        table(counts);

        body.append("<h3>Metrics, A and B</h3>\n");
        body.append("<table>\n<tr><th>metric</th><th>A</th><th>B</th><th>B \u2212 A</th></tr>\n");
        diff.path("replies").properties().forEach(e -> deltaRow("replies: " + label(e.getKey()), e.getValue()));
        diff.path("factRecall").properties().forEach(e -> deltaRow("fact recall: " + label(e.getKey()),
                e.getValue()));
        diff.path("replyQuality").properties().forEach(e -> deltaRow("reply quality: " + label(e.getKey()),
                e.getValue()));
        diff.path("dialogueState").properties().forEach(e -> deltaRow("dialogue state: " + label(e.getKey()),
                e.getValue()));
        body.append("</table>\n");
        chart("diff-deltas.png", "metric deltas, B minus A", Optional.of(ReportCharts.deltas(diff)));
        chart("diff-fact-recall.png", "fact recall of A and B",
                ReportCharts.factRecallSideBySide(diff, labelA, labelB));
        chart("diff-reply-words.png", "reply length histograms of A and B",
                ReportCharts.replyWordsSideBySide(diff, labelA, labelB));

        JsonNode shown = diff.path("firstDifferences");
        body.append("<h3>First differences</h3>\n");
        if (shown.isEmpty()) {
            body.append("<p class=\"note\">None shown.</p>\n");
        }
        for (JsonNode entry : shown) {
            body.append("<h4>").append(escape(entry.path("conversation").asText())).append(" (")
                    .append(escape(entry.path("records").asText())).append(" records)</h4>\n");
            body.append("<pre>A: ").append(escape(entry.path("a").asText("(none)"))).append("</pre>\n");
            body.append("<pre>B: ").append(escape(entry.path("b").asText("(none)"))).append("</pre>\n");
        }
        return this;
    }

    /** Writes the charts and then the page, as {@code dir/fileName}, creating {@code dir}; returns the page. */
    public Path write(String fileName) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, JFreeChart> chart : charts.entrySet()) {
            ReportCharts.writePng(chart.getValue(), dir.resolve(chart.getKey()));
        }
        StringBuilder page = new StringBuilder();
        page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n")
                .append("<body>\n<h1>").append(escape(title)).append("</h1>\n");
        if (!about.isEmpty()) {
            page.append("<table>\n");
            about.forEach((name, value) -> page.append("<tr><th>").append(escape(name)).append("</th><td><code>")
                    .append(escape(value)).append("</code></td></tr>\n"));
            page.append("</table>\n");
        }
        page.append(body).append("</body>\n</html>\n");
        Path file = dir.resolve(fileName);
        Files.writeString(file, page, StandardCharsets.UTF_8);
        return file;
    }

    /** {@code text} with the characters that are markup in HTML replaced by their references. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private void chart(String fileName, String alt, Optional<JFreeChart> chart) {
        if (chart.isEmpty()) {
            return;
        }
        charts.put(fileName, chart.get());
        body.append("<figure><img src=\"").append(escape(fileName)).append("\" width=\"")
                .append(ReportCharts.WIDTH).append("\" height=\"").append(ReportCharts.HEIGHT).append("\" alt=\"")
                .append(escape(alt)).append("\"></figure>\n");
    }

    private void table(Map<String, JsonNode> rows) {
        body.append("<table>\n");
        rows.forEach((key, value) -> {
            if (value.isValueNode() || value.isMissingNode()) {
                body.append("<tr><th>").append(escape(label(key))).append("</th>").append(cell(value))
                        .append("</tr>\n");
            }
        });
        body.append("</table>\n");
    }

    private void methodTable(JsonNode recall) {
        String best = ReportCharts.bestPositional(recall);
        body.append("<table>\n<tr><th>method</th><th>mean fact recall</th></tr>\n");
        for (String method : FactRecall.METHODS) {
            String name = label(method) + (method.equals(best) ? " (best positional baseline)" : "");
            body.append("<tr><th>").append(escape(name)).append("</th>").append(cell(recall.path(method)))
                    .append("</tr>\n");
        }
        body.append("</table>\n");
    }

    private void recallHistogramTable(JsonNode histogram) {
        JsonNode counts = histogram.path("counts");
        if (!counts.isObject()) {
            return;
        }
        double width = histogram.path("binWidth").asDouble(0.1);
        body.append("<details><summary>conversations per fact recall bin</summary>\n<table>\n<tr><th>fact recall"
                + "</th>");
        counts.properties().forEach(e -> body.append("<th>").append(escape(e.getKey())).append("</th>"));
        body.append("</tr>\n");
        int bins = counts.path("summary").size();
        for (int bin = 0; bin < bins; bin++) {
            body.append(String.format(Locale.ROOT, "<tr><th>%.1f \u2013 %.1f%s</th>", bin * width,
                    (bin + 1) * width, bin == bins - 1 ? " (incl.)" : ""));
            final int at = bin;
            counts.properties().forEach(e -> body.append(cell(e.getValue().path(at))));
            body.append("</tr>\n");
        }
        body.append("</table>\n</details>\n");
    }

    private void wordsHistogramTable(JsonNode histogram) {
        JsonNode counts = histogram.path("counts");
        if (!counts.isArray()) {
            return;
        }
        body.append("<details><summary>replies per number of words</summary>\n<table>\n<tr><th>words</th>"
                + "<th>replies</th></tr>\n");
        for (int words = 0; words < counts.size(); words++) {
            body.append("<tr><th>").append(words).append(words == counts.size() - 1 ? " or more" : "")
                    .append("</th>").append(cell(counts.get(words))).append("</tr>\n");
        }
        body.append("</table>\n</details>\n");
    }

    private void deltaRow(String name, JsonNode row) {
        body.append("<tr><th>").append(escape(name)).append("</th>").append(cell(row.path("a")))
                .append(cell(row.path("b"))).append("<td class=\"n\">")
                .append(String.format(Locale.ROOT, "%+.4f", row.path("delta").asDouble())).append("</td></tr>\n");
    }

    /** The fields of a section whose signature the text above its table already shows. */
    private static Map<String, JsonNode> withoutSignature(JsonNode section) {
        Map<String, JsonNode> fields = fields(section);
        fields.remove("signature");
        return fields;
    }

    private static Map<String, JsonNode> fields(JsonNode object) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        object.properties().forEach(e -> fields.put(e.getKey(), e.getValue()));
        return fields;
    }

    private static String cell(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return "<td class=\"n\">\u2013</td>";
        }
        if (value.isIntegralNumber()) {
            return "<td class=\"n\">" + String.format(Locale.ROOT, "%,d", value.asLong()) + "</td>";
        }
        if (value.isNumber()) {
            return "<td class=\"n\">" + BigDecimal.valueOf(value.asDouble()).stripTrailingZeros().toPlainString()
                    + "</td>";
        }
        return "<td>" + escape(value.asText()) + "</td>";
    }

    private static String label(String key) {
        return ReportLabels.of(key);
    }
}
