package io.wmstream.app.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
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
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.ClusteredXYBarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;

/**
 * How every chart of the report looks and is written: one size, one palette, flat bars labelled as the terminal
 * table prints values, as PNG files. Each section draws its own charts with it, from the JSON that
 * {@code report.json} and {@code diff.json} hold.
 */
final class ChartStyle {
    static {
        drawOffScreen();
    }

    static final int WIDTH = 800;
    static final int HEIGHT = 450;

    static final Color SUMMARY = new Color(0x1f, 0x77, 0xb4);
    static final Color BASELINE = new Color(0x9e, 0x9e, 0x9e);
    static final Color ORACLE = new Color(0x2c, 0xa0, 0x2c);
    static final Color MODEL_A = new Color(0x1f, 0x77, 0xb4);
    static final Color MODEL_B = new Color(0xff, 0x7f, 0x0e);
    static final Color REST = new Color(0xc7, 0xc7, 0xc7);
    static final Color PROBE = new Color(0x94, 0x67, 0xbd);
    private static final Color GRID = new Color(0xdd, 0xdd, 0xdd);
    private static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private ChartStyle() {
    }

    /**
     * Before any AWT class initializes (a colour above is the first): charts are drawn off screen, and the AWT must
     * not look for a display, which a replay on a server or in a container does not have.
     */
    static void drawOffScreen() {
        System.setProperty("java.awt.headless", "true");
    }

    /** Draws {@code chart} into {@code file} as a PNG of {@link #WIDTH} by {@link #HEIGHT}. */
    static void writePng(JFreeChart chart, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
        }
    }

    static XYIntervalSeries wordSeries(String name, JsonNode histogram) {
        XYIntervalSeries series = new XYIntervalSeries(name);
        JsonNode counts = histogram.path("counts");
        for (int words = 0; words < counts.size(); words++) {
            double count = counts.get(words).asDouble();
            series.add(words, words - 0.5, words + 0.5, count, count, count);
        }
        return series;
    }

    static JFreeChart wordsChart(String title, XYIntervalSeriesCollection data, boolean legend) {
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

    static CategoryPlot categoryPlot(JFreeChart chart) {
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
    static BarRenderer labelledBars(CategoryPlot plot, String format, Color... seriesColours) {
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        styleBars(renderer);
        for (int series = 0; series < seriesColours.length; series++) {
            renderer.setSeriesPaint(series, seriesColours[series]);
        }
        valueLabels(renderer, format);
        ((NumberAxis) plot.getRangeAxis()).setUpperMargin(0.15);
        return renderer;
    }

    static void styleBars(BarRenderer renderer) {
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);
    }

    static void valueLabels(BarRenderer renderer, String format) {
        renderer.setDefaultItemLabelGenerator(labels(format));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12,
                TextAnchor.BOTTOM_CENTER));
    }

    /**
     * Labels of values formatted like the terminal table's {@code String.format} (a DecimalFormat rounds the binary
     * value instead, and would show 0.4365 as 0.436 where the table says 0.437).
     */
    static StandardCategoryItemLabelGenerator labels(String format) {
        return new StandardCategoryItemLabelGenerator() {
            @Override
            public String generateLabel(CategoryDataset dataset, int row, int column) {
                Number value = dataset.getValue(row, column);
                return value == null ? "" : String.format(Locale.ROOT, format, value.doubleValue());
            }
        };
    }

    static void unitRange(CategoryPlot plot) {
        plot.getRangeAxis().setRange(0, 1.05);
    }

    static void integerRange(CategoryPlot plot) {
        ((NumberAxis) plot.getRangeAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    }

    static void subtitle(JFreeChart chart, String text) {
        chart.addSubtitle(new TextTitle(text, SUBTITLE));
    }
}
