package io.wmstream.app.report;

import static io.wmstream.app.report.ChartStyle.BASELINE;
import static io.wmstream.app.report.ChartStyle.ORACLE;
import static io.wmstream.app.report.ChartStyle.SUMMARY;
import static io.wmstream.app.report.ChartStyle.categoryPlot;
import static io.wmstream.app.report.ChartStyle.integerRange;
import static io.wmstream.app.report.ChartStyle.styleBars;
import static io.wmstream.app.report.ChartStyle.subtitle;
import static io.wmstream.app.report.ChartStyle.unitRange;
import static io.wmstream.app.report.ChartStyle.valueLabels;
import static io.wmstream.app.report.PageBody.cell;
import static io.wmstream.app.report.PageBody.escape;
import static io.wmstream.app.report.PageBody.label;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.app.evaluation.FactRecall;
import java.awt.Paint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;

/** The report's section on fact recall of final summaries: its tables and charts. */
final class FactRecallSection {
    /** Positional baselines of fact recall, of which the distribution chart shows the best. */
    static final List<String> POSITIONAL = List.of("first", "last", "first-user", "last-user");

    private FactRecallSection() {
    }

    /**
     * Fact recall of a replay's final summaries ({@code factRecall}, {@code factRecallUserStated},
     * {@code factRecallHistogram}): what the facts are, each method's mean and its chart, how the conversations
     * spread over recall, and the same over only the facts the user stated; its charts' names start with
     * {@code prefix}.
     */
    static void write(PageBody body, String prefix, JsonNode report) {
        body.append("<h3>Fact recall of final summaries</h3>\n");
        JsonNode recall = report.path("factRecall");
        body.append("<p class=\"note\">Facts: values of the conversation's final dialogue state (MultiWOZ belief "
                + "state or SGD dialogue state) that occur in its text. Every method is cut to the summary's number "
                + "of words.</p>\n");
        Map<String, JsonNode> recallFacts = new LinkedHashMap<>();
        for (String key : List.of("source", "conversations", "meanSummaryWords", "notScoredTooManyOpen")) {
            recallFacts.put(key, recall.path(key));
        }
        body.table(recallFacts);
        if (recall.path("conversations").asLong() == 0) {
            body.append("<p class=\"note\">No conversation was scored: the log carries no dialogue state "
                    + "(annotations.belief_state, or annotations.frames[].state) whose values occur in its text, or "
                    + "no conversation got a final summary (replay --end-each-conversation gives each one).</p>\n");
        } else {
            methodTable(body, recall);
            body.chart(prefix + "fact-recall.png", "fact recall of the summary, the baselines and the oracle",
                    Optional.of(factRecall(report)));
            body.chart(prefix + "fact-recall-distribution.png", "fact recall per conversation",
                    factRecallDistribution(report));
            recallHistogramTable(body, report.path("factRecallHistogram"));
            JsonNode stated = report.path("factRecallUserStated");
            if (stated.path("conversations").asLong() > 0) {
                body.append("<p class=\"note\">Counting only the facts that occur in the user's own turns (what "
                        + "the user stated, not what the other side offered): ").append(String.format(Locale.ROOT,
                        "%,d", stated.path("conversations").asLong())).append(" conversations.</p>\n");
                methodTable(body, stated);
            }
        }
    }

    private static void methodTable(PageBody body, JsonNode recall) {
        String best = bestPositional(recall);
        body.append("<table>\n<tr><th>method</th><th>mean fact recall</th></tr>\n");
        for (String method : FactRecall.METHODS) {
            String name = label(method) + (method.equals(best) ? " (best positional baseline)" : "");
            body.append("<tr><th>").append(escape(name)).append("</th>").append(cell(recall.path(method)))
                    .append("</tr>\n");
        }
        body.append("</table>\n");
    }

    private static void recallHistogramTable(PageBody body, JsonNode histogram) {
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

    /** Mean fact recall of the summary against the positional baselines and the oracle. */
    static JFreeChart factRecall(JsonNode report) {
        JsonNode recall = report.path("factRecall");
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (String method : FactRecall.METHODS) {
            data.addValue(recall.path(method).asDouble(), "fact recall", method);
        }
        JFreeChart chart = ChartFactory.createBarChart("Fact recall of final summaries", "method",
                "mean fact recall", data, PlotOrientation.VERTICAL, false, false, false);
        subtitle(chart, String.format(Locale.ROOT, "%d conversations with facts; every method cut to the "
                + "summary's length (%.1f words on average)", recall.path("conversations").asLong(),
                recall.path("meanSummaryWords").asDouble()));
        CategoryPlot plot = categoryPlot(chart);
        BarRenderer renderer = new BarRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                return methodColor(FactRecall.METHODS.get(column));
            }
        };
        plot.setRenderer(renderer);
        styleBars(renderer);
        valueLabels(renderer, "%.3f");
        unitRange(plot);
        return chart;
    }

    /**
     * How the conversations' fact recall is distributed, for the summary, the best positional baseline (by mean)
     * and the oracle; empty when the report has no histogram.
     */
    static Optional<JFreeChart> factRecallDistribution(JsonNode report) {
        JsonNode counts = report.path("factRecallHistogram").path("counts");
        if (!counts.isObject()) {
            return Optional.empty();
        }
        String best = bestPositional(report.path("factRecall"));
        List<String> shown = List.of("summary", best, "oracle");
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        double width = report.path("factRecallHistogram").path("binWidth").asDouble(0.1);
        for (String method : shown) {
            JsonNode bins = counts.path(method);
            for (int bin = 0; bin < bins.size(); bin++) {
                data.addValue(bins.get(bin).asLong(), seriesName(method, best), binLabel(bin, width));
            }
        }
        JFreeChart chart = ChartFactory.createBarChart("Fact recall per conversation", "fact recall",
                "conversations", data, PlotOrientation.VERTICAL, true, false, false);
        subtitle(chart, "best positional baseline by mean: " + best + "; bins of " + width
                + ", the last one includes 1");
        CategoryPlot plot = categoryPlot(chart);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        styleBars(renderer);
        renderer.setItemMargin(0.05);
        renderer.setSeriesPaint(0, SUMMARY);
        renderer.setSeriesPaint(1, BASELINE);
        renderer.setSeriesPaint(2, ORACLE);
        integerRange(plot);
        return Optional.of(chart);
    }

    /** The positional baseline with the highest mean fact recall (the first of equals). */
    static String bestPositional(JsonNode recall) {
        String best = POSITIONAL.get(0);
        for (String method : POSITIONAL) {
            if (recall.path(method).asDouble() > recall.path(best).asDouble()) {
                best = method;
            }
        }
        return best;
    }

    static Paint methodColor(String method) {
        return switch (method) {
            case "summary" -> SUMMARY;
            case "oracle" -> ORACLE;
            default -> BASELINE;
        };
    }

    static String seriesName(String method, String best) {
        return switch (method) {
            case "summary" -> "summary";
            case "oracle" -> "oracle";
            default -> "best positional (" + best + ")";
        };
    }

    static String binLabel(int bin, double width) {
        return String.format(Locale.ROOT, "%.1f\u2013%.1f", bin * width, (bin + 1) * width);
    }
}
