package io.wmstream.app.report;

import static io.wmstream.app.report.ChartStyle.PROBE;
import static io.wmstream.app.report.ChartStyle.REST;
import static io.wmstream.app.report.ChartStyle.SUMMARY;
import static io.wmstream.app.report.ChartStyle.categoryPlot;
import static io.wmstream.app.report.ChartStyle.labels;
import static io.wmstream.app.report.ChartStyle.styleBars;
import static io.wmstream.app.report.ChartStyle.subtitle;
import static io.wmstream.app.report.PageBody.fields;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Optional;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;

/** The report's section on throughput: how fast the replay went, and where its time went. */
final class ThroughputSection {
    private ThroughputSection() {
    }

    /** The throughput figures ({@code throughput}), when there are some, and where the time went. */
    static void write(PageBody body, String prefix, JsonNode report) {
        if (report.has("throughput")) {
            body.append("<h3>Throughput</h3>\n");
            body.table(fields(report.path("throughput")));
            body.chart(prefix + "time-share.png", "where the replay's time went", timeShare(report));
        }
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
}
