package io.wmstream.app.report;

import static io.wmstream.app.report.ChartStyle.MODEL_A;
import static io.wmstream.app.report.ChartStyle.MODEL_B;
import static io.wmstream.app.report.ChartStyle.categoryPlot;
import static io.wmstream.app.report.ChartStyle.styleBars;
import static io.wmstream.app.report.ChartStyle.subtitle;
import static io.wmstream.app.report.ChartStyle.unitRange;
import static io.wmstream.app.report.ChartStyle.valueLabels;
import static io.wmstream.app.report.ChartStyle.wordSeries;
import static io.wmstream.app.report.ChartStyle.wordsChart;
import static io.wmstream.app.report.PageBody.escape;
import static io.wmstream.app.report.PageBody.fields;
import static io.wmstream.app.report.PageBody.label;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.app.evaluation.FactRecall;
import java.awt.Paint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYIntervalSeriesCollection;

/** The report's section comparing two replay outputs ({@code diff.json}): metrics side by side, deltas, differences. */
final class ComparisonSection {
    /** Delta metrics that are rates in [0, 1], so that their bars share one scale with fact recall. */
    private static final List<String> RATE_METRICS = List.of("distinct1", "distinct2", "emptyRate",
            "degenerateRate");

    private ComparisonSection() {
    }

    /** A section for the comparison of two replay outputs ({@code diff.json}). */
    static void write(PageBody body, String heading, String labelA, String labelB, JsonNode diff) {
        body.append("<h2>").append(escape(heading)).append("</h2>\n");
        body.append("<p>A = <code>").append(escape(labelA)).append("</code><br>B = <code>").append(escape(labelB))
                .append("</code></p>\n");
        Map<String, JsonNode> counts = new LinkedHashMap<>(fields(diff.path("conversations")));
        counts.put("differingRecords", diff.path("differingRecords"));
        body.table(counts);

        body.append("<h3>Metrics, A and B</h3>\n");
        body.append("<table>\n<tr><th>metric</th><th>A</th><th>B</th><th>B \u2212 A</th></tr>\n");
        diff.path("replies").properties().forEach(e -> body.deltaRow("replies: " + label(e.getKey()), e.getValue()));
        diff.path("factRecall").properties().forEach(e -> body.deltaRow("fact recall: " + label(e.getKey()),
                e.getValue()));
        diff.path("replyQuality").properties().forEach(e -> body.deltaRow("reply quality: " + label(e.getKey()),
                e.getValue()));
        diff.path("dialogueState").properties().forEach(e -> body.deltaRow("dialogue state: " + label(e.getKey()),
                e.getValue()));
        body.append("</table>\n");
        body.chart("diff-deltas.png", "metric deltas, B minus A", Optional.of(deltas(diff)));
        body.chart("diff-fact-recall.png", "fact recall of A and B",
                factRecallSideBySide(diff, labelA, labelB));
        body.chart("diff-reply-words.png", "reply length histograms of A and B",
                replyWordsSideBySide(diff, labelA, labelB));

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
    }

    /**
     * Deltas (B - A) of the metrics that are rates, fact recall's included when the comparison has it: counts and
     * lengths have other scales and stay in the table.
     */
    static JFreeChart deltas(JsonNode diff) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        List<Double> values = new ArrayList<>();
        if (hasFactRecall(diff)) {
            diff.path("factRecall").properties().forEach(row -> {
                data.addValue(row.getValue().path("delta").asDouble(), "B - A", "fact recall: " + row.getKey());
                values.add(row.getValue().path("delta").asDouble());
            });
        }
        for (String metric : RATE_METRICS) {
            JsonNode row = diff.path("replies").path(metric);
            if (row.isObject()) {
                data.addValue(row.path("delta").asDouble(), "B - A", "replies: " + ReportLabels.of(metric));
                values.add(row.path("delta").asDouble());
            }
        }
        JFreeChart chart = ChartFactory.createBarChart("Metric deltas (B \u2212 A)", "metric", "B \u2212 A", data,
                PlotOrientation.HORIZONTAL, false, false, false);
        subtitle(chart, "orange: B is higher, blue: A is higher; rates and fact recall (counts and lengths are in "
                + "the table)");
        CategoryPlot plot = categoryPlot(chart);
        BarRenderer renderer = new BarRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                return values.get(column) < 0 ? MODEL_A : MODEL_B;
            }
        };
        plot.setRenderer(renderer);
        styleBars(renderer);
        renderer.setMaximumBarWidth(0.08);
        valueLabels(renderer, "%+.4f");
        // Bars run sideways: values beside their ends, right of positive bars and left of negative ones.
        renderer.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3,
                TextAnchor.CENTER_LEFT));
        renderer.setDefaultNegativeItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE9,
                TextAnchor.CENTER_RIGHT));
        NumberAxis axis = (NumberAxis) plot.getRangeAxis();
        double largest = values.stream().mapToDouble(Math::abs).max().orElse(0);
        double bound = largest == 0 ? 0.01 : largest * 1.4;
        axis.setRange(-bound, bound);
        plot.setRangeZeroBaselineVisible(true);
        plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_LEFT);
        // Room for the last tick label, which sits on the chart's right edge.
        chart.setPadding(new RectangleInsets(4, 8, 4, 20));
        return chart;
    }

    /** Fact recall of model A and model B side by side; empty when the comparison has none (plain diff). */
    static Optional<JFreeChart> factRecallSideBySide(JsonNode diff, String labelA, String labelB) {
        if (!hasFactRecall(diff)) {
            return Optional.empty();
        }
        JsonNode recall = diff.path("factRecall");
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (String method : FactRecall.METHODS) {
            data.addValue(recall.path(method).path("a").asDouble(), "A: " + labelA, method);
        }
        for (String method : FactRecall.METHODS) {
            data.addValue(recall.path(method).path("b").asDouble(), "B: " + labelB, method);
        }
        JFreeChart chart = ChartFactory.createBarChart("Fact recall of final summaries, A and B", "method",
                "mean fact recall", data, PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = categoryPlot(chart);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        styleBars(renderer);
        renderer.setSeriesPaint(0, MODEL_A);
        renderer.setSeriesPaint(1, MODEL_B);
        valueLabels(renderer, "%.2f");
        unitRange(plot);
        return Optional.of(chart);
    }

    /** The reply length histograms of A and B side by side; empty when the comparison has none. */
    static Optional<JFreeChart> replyWordsSideBySide(JsonNode diff, String labelA, String labelB) {
        JsonNode histograms = diff.path("replyWordsHistogram");
        if (!histograms.path("a").path("counts").isArray() || !histograms.path("b").path("counts").isArray()) {
            return Optional.empty();
        }
        XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
        data.addSeries(wordSeries("A: " + labelA, histograms.path("a")));
        data.addSeries(wordSeries("B: " + labelB, histograms.path("b")));
        JFreeChart chart = wordsChart("Reply length, A and B", data, true);
        subtitle(chart, "the last bars count " + histograms.path("a").path("lastBinFrom").asInt()
                + " words or more");
        XYPlot plot = (XYPlot) chart.getPlot();
        plot.getRenderer().setSeriesPaint(0, MODEL_A);
        plot.getRenderer().setSeriesPaint(1, MODEL_B);
        return Optional.of(chart);
    }

    /**
     * Whether a comparison holds fact recall that was measured: a plain diff has none, and two models on a log
     * without belief states have nothing but zeros.
     */
    static boolean hasFactRecall(JsonNode diff) {
        for (JsonNode row : diff.path("factRecall")) {
            if (row.path("a").asDouble() != 0 || row.path("b").asDouble() != 0) {
                return true;
            }
        }
        return false;
    }
}
