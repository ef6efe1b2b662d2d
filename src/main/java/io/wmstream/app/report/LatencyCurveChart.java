package io.wmstream.app.report;

import static io.wmstream.app.report.ChartStyle.BASELINE;
import static io.wmstream.app.report.ChartStyle.MODEL_B;
import static io.wmstream.app.report.ChartStyle.ORACLE;
import static io.wmstream.app.report.ChartStyle.SUMMARY;
import static io.wmstream.app.report.ChartStyle.subtitle;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The latency-throughput curve of {@code wmstream bench} as a chart, drawn from the {@code latencyCurve} object of
 * its JSON: p50, p99 and the largest latency against the offered load, on a logarithmic scale (a pipeline that keeps
 * up answers in tens of milliseconds, one that falls behind in seconds), with the share of the offered load that was
 * answered on a second axis.
 */
public final class LatencyCurveChart {
    static {
        ChartStyle.drawOffScreen();
    }

    private static final Color GRID = new Color(0xdd, 0xdd, 0xdd);
    private static final Font MARKER = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    private LatencyCurveChart() {
    }

    /** Draws {@code curve} (bench's {@code latencyCurve}) into {@code file}: a PNG of the report's chart size. */
    public static void write(JsonNode curve, Path file) throws IOException {
        ChartStyle.writePng(chart(curve), file);
    }

    static JFreeChart chart(JsonNode curve) {
        double saturation = curve.path("saturationPerSecond").asDouble();
        XYSeries p50 = new XYSeries("p50");
        XYSeries p99 = new XYSeries("p99");
        XYSeries max = new XYSeries("max");
        XYSeries answered = new XYSeries("answered / offered");
        for (JsonNode point : curve.path("points")) {
            double offered = point.path("offeredPerSecond").asDouble();
            // A level without a latency (nothing answered) has no place on a logarithmic scale: its share says it.
            addLatency(p50, offered, point.path("p50Ms"));
            addLatency(p99, offered, point.path("p99Ms"));
            addLatency(max, offered, point.path("maxMs"));
            if (point.path("answeredShare").isNumber()) {
                answered.add(offered, point.path("answeredShare").asDouble());
            }
        }
        XYSeriesCollection latencies = new XYSeriesCollection();
        latencies.addSeries(p50);
        latencies.addSeries(p99);
        latencies.addSeries(max);

        NumberAxis load = new NumberAxis(String.format(Locale.ROOT, "offered turns/s (saturation: %,.0f replies/s;"
                + " dashed: 50%% and 90%% of it)", saturation));
        load.setAutoRangeIncludesZero(true);
        LogAxis latency = new OneTwoFiveAxis("latency, ms (log scale)");
        XYPlot plot = new XYPlot(latencies, load, latency, lines(2f, SUMMARY, MODEL_B, BASELINE));

        NumberAxis share = new NumberAxis("answered / offered");
        share.setRange(0, 1.1);
        plot.setRangeAxis(1, share);
        plot.setDataset(1, new XYSeriesCollection(answered));
        plot.mapDatasetToRangeAxis(1, 1);
        XYLineAndShapeRenderer shareLine = lines(1.5f, ORACLE);
        shareLine.setSeriesStroke(0, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f));
        plot.setRenderer(1, shareLine);

        if (saturation > 0) {
            for (double fraction : new double[] {0.5, 0.9}) {
                plot.addDomainMarker(marker(fraction * saturation,
                        String.format(Locale.ROOT, "%.0f%%", fraction * 100)));
            }
        }
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setDomainGridlineStroke(new BasicStroke(1f));
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        plot.setOutlineVisible(false);

        JFreeChart chart = new JFreeChart("Latency against load, open loop", JFreeChart.DEFAULT_TITLE_FONT, plot,
                true);
        chart.setBackgroundPaint(Color.WHITE);
        subtitle(chart, "from the append to the reply visible to a read_committed consumer, exactly-once;"
                + " a share below 1 means a backlog grew");
        return chart;
    }

    private static void addLatency(XYSeries series, double offered, JsonNode ms) {
        if (ms.isNumber() && ms.asDouble() > 0) {
            series.add(offered, ms.asDouble());
        }
    }

    private static XYLineAndShapeRenderer lines(float width, Color... colours) {
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int series = 0; series < colours.length; series++) {
            renderer.setSeriesPaint(series, colours[series]);
            renderer.setSeriesStroke(series, new BasicStroke(width));
        }
        return renderer;
    }

    /** A dashed vertical line at {@code x}, labelled at its top. */
    private static ValueMarker marker(double x, String label) {
        ValueMarker marker = new ValueMarker(x, BASELINE, new BasicStroke(1f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 10f, new float[] {3f, 3f}, 0f));
        marker.setLabel(label);
        marker.setLabelFont(MARKER);
        marker.setLabelPaint(Color.DARK_GRAY);
        marker.setLabelBackgroundColor(new Color(255, 255, 255, 0));
        marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        marker.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
        return marker;
    }

    /**
     * A logarithmic axis labelled at 1, 2 and 5 times each power of ten: the latencies of one run often span less
     * than a decade or two, where ticks at powers of ten alone would leave one label or none.
     */
    private static final class OneTwoFiveAxis extends LogAxis {
        private static final long serialVersionUID = 1L;

        OneTwoFiveAxis(String label) {
            super(label);
            setBase(10);
            setSmallestValue(1);
        }

        @Override
        protected List<ValueTick> refreshTicksVertical(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
            List<ValueTick> ticks = new ArrayList<>();
            Range range = getRange();
            double decade = Math.pow(10, Math.floor(Math.log10(Math.max(1, range.getLowerBound()))));
            for (; decade <= range.getUpperBound(); decade *= 10) {
                for (int step : new int[] {1, 2, 5}) {
                    double value = decade * step;
                    if (range.contains(value)) {
                        ticks.add(new NumberTick(value, String.format(Locale.ROOT, "%,.0f", value),
                                TextAnchor.CENTER_RIGHT, TextAnchor.CENTER_RIGHT, 0.0));
                    }
                }
            }
            return ticks;
        }
    }
}
