package io.wmstream.app.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.app.evaluation.FactRecall;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.ClusteredXYBarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;

/**
 * The charts of a replay report, drawn with JFreeChart from the JSON that {@code report.json} and
 * {@code diff.json} hold, and written as PNG files of one fixed size.
 */
final class ReportCharts {
    static {
        // Before any AWT class initializes (Color below is the first): charts are drawn off screen, and the
        // AWT must not look for a display, which a replay on a server or in a container does not have.
        System.setProperty("java.awt.headless", "true");
    }

    static final int WIDTH = 800;
    static final int HEIGHT = 450;

    /** Most domains the BLEU-per-domain chart draws. */
    static final int MOST_DOMAINS = 12;

    /** Positional baselines of fact recall, of which the distribution chart shows the best. */
    static final List<String> POSITIONAL = List.of("first", "last", "first-user", "last-user");

    private static final Color SUMMARY = new Color(0x1f, 0x77, 0xb4);
    private static final Color BASELINE = new Color(0x9e, 0x9e, 0x9e);
    private static final Color ORACLE = new Color(0x2c, 0xa0, 0x2c);
    private static final Color MODEL_A = new Color(0x1f, 0x77, 0xb4);
    private static final Color MODEL_B = new Color(0xff, 0x7f, 0x0e);
    private static final Color REST = new Color(0xc7, 0xc7, 0xc7);
    private static final Color PROBE = new Color(0x94, 0x67, 0xbd);
    private static final Color GRID = new Color(0xdd, 0xdd, 0xdd);
    private static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    /** Delta metrics that are rates in [0, 1], so that their bars share one scale with fact recall. */
    private static final List<String> RATE_METRICS = List.of("distinct1", "distinct2", "emptyRate",
            "degenerateRate");

    private ReportCharts() {
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

    /** How many words the replies have; empty when the report has no histogram. */
    static Optional<JFreeChart> replyWords(JsonNode report) {
        JsonNode histogram = report.path("replyWordsHistogram");
        if (!histogram.path("counts").isArray()) {
            return Optional.empty();
        }
        XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
        data.addSeries(wordSeries("replies", histogram));
        JFreeChart chart = wordsChart("Reply length", data, false);
        JsonNode replies = report.path("replies");
        subtitle(chart, String.format(Locale.ROOT, "%,d replies, %.1f words on average; the last bar counts %d "
                + "words or more", replies.path("count").asLong(), replies.path("meanWords").asDouble(),
                histogram.path("lastBinFrom").asInt()));
        ((XYPlot) chart.getPlot()).getRenderer().setSeriesPaint(0, SUMMARY);
        return Optional.of(chart);
    }

    /**
     * BLEU-4 per domain the log names, beside the overall figure; empty without references. At most the
     * {@value #MOST_DOMAINS} domains with the most replies are drawn (SGD names 26 services), the table has all.
     */
    static Optional<JFreeChart> bleuByDomain(JsonNode report) {
        JsonNode references = report.path("replyReferences");
        if (references.path("count").asLong() == 0 || references.path("byDomain").isEmpty()) {
            return Optional.empty();
        }
        List<Map.Entry<String, JsonNode>> domains = new ArrayList<>();
        references.path("byDomain").properties().forEach(domains::add);
        domains.sort((a, b) -> Long.compare(b.getValue().path("count").asLong(), a.getValue().path("count")
                .asLong()));
        List<Map.Entry<String, JsonNode>> shown = new ArrayList<>(domains.subList(0,
                Math.min(MOST_DOMAINS, domains.size())));
        shown.sort(Map.Entry.comparingByKey());
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        data.addValue(references.path("bleu4").asDouble(), "BLEU-4", "all");
        shown.forEach(e -> data.addValue(e.getValue().path("bleu4").asDouble(), "BLEU-4", e.getKey()));
        JFreeChart chart = ChartFactory.createBarChart("BLEU-4 of replies against the log's next turns", "domain",
                "corpus BLEU-4", data, PlotOrientation.VERTICAL, false, false, false);
        subtitle(chart, String.format(Locale.ROOT, "%,d replies with a reference%s",
                references.path("count").asLong(), domains.size() > shown.size()
                        ? "; the " + shown.size() + " domains with the most replies" : ""));
        CategoryPlot plot = categoryPlot(chart);
        plot.getDomainAxis().setCategoryLabelPositions(shown.size() > 6 ? CategoryLabelPositions.UP_45
                : CategoryLabelPositions.STANDARD);
        labelledBars(plot, "%.1f", SUMMARY);
        return Optional.of(chart);
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

    /** Perplexity given the memory against the memory reset; empty when the replay did not measure it. */
    static Optional<JFreeChart> perplexity(JsonNode report) {
        JsonNode perplexity = report.path("perplexity");
        if (!perplexity.path("withMemory").isNumber()) {
            return Optional.empty();
        }
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        data.addValue(perplexity.path("withMemory").asDouble(), "perplexity", "given the memory");
        data.addValue(perplexity.path("memoryResetPerUtterance").asDouble(), "perplexity",
                "memory reset before each utterance");
        JFreeChart chart = ChartFactory.createBarChart("Perplexity of the turns the model does not answer",
                "condition", "perplexity (lower is better)", data, PlotOrientation.VERTICAL, false, false, false);
        subtitle(chart, String.format(Locale.ROOT, "%,d tokens, teacher-forced",
                perplexity.path("tokens").asLong()));
        labelledBars(categoryPlot(chart), "%.2f", SUMMARY).setMaximumBarWidth(0.25);
        return Optional.of(chart);
    }

    /** Where the replay's time went: the model, the perplexity probe (when measured) and the rest. */
    static Optional<JFreeChart> timeShare(JsonNode report) {
        JsonNode throughput = report.path("throughput");
        if (!throughput.path("seconds").isNumber()) {
            return Optional.empty();
        }
        double seconds = throughput.path("seconds").asDouble();
        double model = seconds * throughput.path("modelShare").asDouble();
        double probe = Math.min(seconds - model, report.path("perplexity").path("seconds").asDouble(0));
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        data.addValue(model, "model (replies and summaries)", "replay");
        if (report.path("perplexity").path("seconds").isNumber()) {
            data.addValue(probe, "perplexity probe", "replay");
        }
        data.addValue(Math.max(0, seconds - model - probe), "rest (topology, log, evaluation)", "replay");
        JFreeChart chart = ChartFactory.createStackedBarChart(String.format(Locale.ROOT,
                "Time: %,.0f utterances/s over %.1f s", throughput.path("utterancesPerSecond").asDouble(),
                seconds), "", "seconds", data, PlotOrientation.HORIZONTAL, true, false, false);
        subtitle(chart, String.format(Locale.ROOT, "model %.0f %% of the time",
                100 * throughput.path("modelShare").asDouble()));
        CategoryPlot plot = categoryPlot(chart);
        StackedBarRenderer renderer = (StackedBarRenderer) plot.getRenderer();
        styleBars(renderer);
        renderer.setMaximumBarWidth(0.35);
        renderer.setSeriesPaint(0, SUMMARY);
        renderer.setSeriesPaint(data.getRowCount() - 1, REST);
        if (data.getRowCount() == 3) {
            renderer.setSeriesPaint(1, PROBE);
        }
        renderer.setDefaultItemLabelGenerator(labels("%.1f s"));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.CENTER,
                TextAnchor.CENTER));
        // One bar: its category needs no axis, and seconds read best below it.
        plot.getDomainAxis().setVisible(false);
        plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_LEFT);
        return Optional.of(chart);
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

    /** Draws {@code chart} into {@code file} as a PNG of {@link #WIDTH} by {@link #HEIGHT}. */
    static void writePng(JFreeChart chart, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
        }
    }

    private static XYIntervalSeries wordSeries(String name, JsonNode histogram) {
        XYIntervalSeries series = new XYIntervalSeries(name);
        JsonNode counts = histogram.path("counts");
        for (int words = 0; words < counts.size(); words++) {
            double count = counts.get(words).asDouble();
            series.add(words, words - 0.5, words + 0.5, count, count, count);
        }
        return series;
    }

    private static JFreeChart wordsChart(String title, XYIntervalSeriesCollection data, boolean legend) {
        JFreeChart chart = ChartFactory.createXYBarChart(title, "words per reply", false, "replies", data,
                PlotOrientation.VERTICAL, legend, false, false);
        XYPlot plot = (XYPlot) chart.getPlot();
        ClusteredXYBarRenderer renderer = new ClusteredXYBarRenderer(0.1, false);
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        plot.setRenderer(renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinePaint(GRID);
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        NumberAxis words = (NumberAxis) plot.getDomainAxis();
        words.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        words.setRange(-0.5, data.getSeries(0).getItemCount() - 0.5);
        NumberAxis replies = (NumberAxis) plot.getRangeAxis();
        replies.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        return chart;
    }

    private static CategoryPlot categoryPlot(JFreeChart chart) {
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(GRID);
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setOutlineVisible(false);
        CategoryAxis axis = plot.getDomainAxis();
        axis.setCategoryLabelPositions(CategoryLabelPositions.STANDARD);
        axis.setMaximumCategoryLabelLines(2);
        return plot;
    }

    /** Flat bars in the given series colours, each labelled with its value, with room above for the labels. */
    private static BarRenderer labelledBars(CategoryPlot plot, String format, Color... seriesColours) {
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        styleBars(renderer);
        for (int series = 0; series < seriesColours.length; series++) {
            renderer.setSeriesPaint(series, seriesColours[series]);
        }
        valueLabels(renderer, format);
        ((NumberAxis) plot.getRangeAxis()).setUpperMargin(0.15);
        return renderer;
    }

    private static void styleBars(BarRenderer renderer) {
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);
    }

    private static void valueLabels(BarRenderer renderer, String format) {
        renderer.setDefaultItemLabelGenerator(labels(format));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12,
                TextAnchor.BOTTOM_CENTER));
    }

    /**
     * Labels of values formatted like the terminal table's {@code String.format} (a DecimalFormat rounds the binary
     * value instead, and would show 0.4365 as 0.436 where the table says 0.437).
     */
    private static StandardCategoryItemLabelGenerator labels(String format) {
        return new StandardCategoryItemLabelGenerator() {
            @Override
            public String generateLabel(CategoryDataset dataset, int row, int column) {
                Number value = dataset.getValue(row, column);
                return value == null ? "" : String.format(Locale.ROOT, format, value.doubleValue());
            }
        };
    }

    private static void unitRange(CategoryPlot plot) {
        plot.getRangeAxis().setRange(0, 1.05);
    }

    private static void integerRange(CategoryPlot plot) {
        ((NumberAxis) plot.getRangeAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    }

    private static void subtitle(JFreeChart chart, String text) {
        chart.addSubtitle(new TextTitle(text, SUBTITLE));
    }

    private static Paint methodColor(String method) {
        return switch (method) {
            case "summary" -> SUMMARY;
            case "oracle" -> ORACLE;
            default -> BASELINE;
        };
    }

    private static String seriesName(String method, String best) {
        return switch (method) {
            case "summary" -> "summary";
            case "oracle" -> "oracle";
            default -> "best positional (" + best + ")";
        };
    }

    private static String binLabel(int bin, double width) {
        return String.format(Locale.ROOT, "%.1f\u2013%.1f", bin * width, (bin + 1) * width);
    }
}
