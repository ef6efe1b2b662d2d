package io.wmstream.app.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;

/**
 * A self-contained HTML page (inline style, no scripts, no external addresses) of a replay's JSON reports: their
 * tables in readable form and their charts, as PNG files beside the page. Built from the JSON objects alone, so
 * {@code replay} and {@code diff} (which reads two outputs) write the same page. The page is its sections in
 * order, one class each ({@link FactRecallSection}, {@link DialogueStateSection}, ...), drawing their charts in
 * {@link ChartStyle}. Every text is escaped: conversation ids and output lines come from the log.
 */
public final class HtmlReport {
    static {
        // Before any section builds a chart.
        ChartStyle.drawOffScreen();
    }

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
    private final PageBody body = new PageBody();

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
        return List.copyOf(body.charts().keySet());
    }

    /**
     * A section for one replay's report ({@code report.json}); its charts' file names start with {@code prefix}
     * (empty for a single replay, {@code a-} and {@code b-} for two models).
     */
    public HtmlReport replay(String heading, String prefix, JsonNode report) {
        body.append("<h2>").append(escape(heading)).append("</h2>\n");
        inputAndOutputs(report);
        FactRecallSection.write(body, prefix, report);
        DialogueStateSection.write(body, report);
        RepliesSection.write(body, prefix, report);
        ReplyReferencesSection.write(body, prefix, report);
        InventedValuesSection.write(body, report.path("inventedValues"));
        RepeatedTrigramsSection.write(body, report.path("repeatedTrigrams"));
        RequestCoverageSection.write(body, report.path("requestCoverage"));
        PerplexitySection.write(body, prefix, report);
        ThroughputSection.write(body, prefix, report);
        return this;
    }

    /**
     * A section for what the memory adds ({@code memoryAblation} of {@code report.json}): every metric with and
     * without the memory, its gain, and a chart of those on a 0-100 scale.
     */
    public HtmlReport ablation(String heading, JsonNode ablation) {
        AblationSection.write(body, heading, ablation);
        return this;
    }

    /** A section for the comparison of two replay outputs ({@code diff.json}). */
    public HtmlReport comparison(String heading, String labelA, String labelB, JsonNode diff) {
        ComparisonSection.write(body, heading, labelA, labelB, diff);
        return this;
    }

    /** Writes the charts and then the page, as {@code dir/fileName}, creating {@code dir}; returns the page. */
    public Path write(String fileName) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, JFreeChart> chart : body.charts().entrySet()) {
            ChartStyle.writePng(chart.getValue(), dir.resolve(chart.getKey()));
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
        page.append(body.html()).append("</body>\n</html>\n");
        Path file = dir.resolve(fileName);
        Files.writeString(file, page, StandardCharsets.UTF_8);
        return file;
    }

    /** {@code text} with the characters that are markup in HTML replaced by their references. */
    static String escape(String text) {
        return PageBody.escape(text);
    }

    /** What went in and came out: the input's lines and utterances, the outputs by kind. */
    private void inputAndOutputs(JsonNode report) {
        body.append("<h3>Input and outputs</h3>\n");
        Map<String, JsonNode> counts = new LinkedHashMap<>();
        report.path("input").properties().forEach(e -> counts.put(e.getKey(), e.getValue()));
        report.path("outputs").properties().forEach(e -> counts.put(e.getKey(), e.getValue()));
        body.table(counts);
    }
}
