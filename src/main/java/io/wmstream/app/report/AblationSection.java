package io.wmstream.app.report;

import static io.wmstream.app.report.ChartStyle.BASELINE;
import static io.wmstream.app.report.ChartStyle.SUMMARY;
import static io.wmstream.app.report.ChartStyle.categoryPlot;
import static io.wmstream.app.report.ChartStyle.labelledBars;
import static io.wmstream.app.report.ChartStyle.subtitle;
import static io.wmstream.app.report.PageBody.cell;
import static io.wmstream.app.report.PageBody.escape;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;

/** The report's section on what the memory adds: every metric with and without it. */
final class AblationSection {
    private AblationSection() {
    }

    /**
     * A section for what the memory adds ({@code memoryAblation} of {@code report.json}): every metric with and
     * without the memory, its gain, and a chart of those on a 0-100 scale.
     */
    static void write(PageBody body, String heading, JsonNode ablation) {
        body.append("<h2>").append(escape(heading)).append("</h2>\n");
        body.append("<p class=\"note\">").append(escape(ablation.path("note").asText())).append(".</p>\n");
        body.append("<table>\n<tr><th>metric</th><th>with memory</th><th>without memory</th><th>memory gain</th>"
                + "<th>better</th></tr>\n");
        ablation.path("metrics").forEach(row -> body.append("<tr><th>").append(escape(row.path("label").asText()))
                .append("</th>").append(cell(row.path("withMemory"))).append(cell(row.path("withoutMemory")))
                .append(cell(row.path("memoryGain"))).append(cell(row.path("better"))).append("</tr>\n"));
        body.append("</table>\n");
        body.chart("memory-ablation.png", "metrics with and without the memory", memoryAblation(ablation));
    }

    /**
     * Each metric of the memory ablation with and without the memory, on one 0-100 scale (BLEU-4 as it is, ROUGE-L,
     * invented values, request coverage and fact recall in percent); perplexity has its own chart, repeated 3-grams
     * (a count per reply) only the table. Empty when nothing was measured.
     */
    static Optional<JFreeChart> memoryAblation(JsonNode ablation) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (String metric : List.of("bleu4", "rougeL", "inventedRate", "requestCoverage", "factRecall",
                "finalStateF1", "jointAccuracy", "requestAccuracy")) {
            JsonNode row = ablation.path("metrics").path(metric);
            if (!row.path("withMemory").isNumber() || !row.path("withoutMemory").isNumber()) {
                continue;
            }
            double scale = metric.equals("bleu4") ? 1 : 100;
            String name = row.path("label").asText() + (scale == 1 ? "" : " (%)") + ", " + row.path("better")
                    .asText() + " is better";
            data.addValue(scale * row.path("withMemory").asDouble(), "with memory", name);
            data.addValue(scale * row.path("withoutMemory").asDouble(), "memory reset before every utterance", name);
        }
        if (data.getColumnCount() == 0) {
            return Optional.empty();
        }
        JFreeChart chart = ChartFactory.createBarChart("What the memory adds", "metric", "value (0-100)", data,
                PlotOrientation.VERTICAL, true, false, false);
        subtitle(chart, "the same log replayed twice: with the working memory, and with it reset before every "
                + "utterance");
        labelledBars(categoryPlot(chart), "%.1f", SUMMARY, BASELINE);
        return Optional.of(chart);
    }
}
