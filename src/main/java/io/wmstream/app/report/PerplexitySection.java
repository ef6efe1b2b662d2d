package io.wmstream.app.report;

import static io.wmstream.app.report.ChartStyle.SUMMARY;
import static io.wmstream.app.report.ChartStyle.categoryPlot;
import static io.wmstream.app.report.ChartStyle.labelledBars;
import static io.wmstream.app.report.ChartStyle.subtitle;
import static io.wmstream.app.report.PageBody.fields;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Optional;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;

/** The report's section on the perplexity of the turns the model does not answer. */
final class PerplexitySection {
    private PerplexitySection() {
    }

    /** The perplexity figures ({@code perplexity}) and their chart, whose name starts with {@code prefix}. */
    static void write(PageBody body, String prefix, JsonNode report) {
        body.append("<h3>Perplexity</h3>\n");
        body.table(fields(report.path("perplexity")));
        body.chart(prefix + "perplexity.png", "perplexity given the memory and with the memory reset",
                perplexity(report));
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
}
