package io.wmstream.app.report;

import static io.wmstream.app.report.ChartStyle.SUMMARY;
import static io.wmstream.app.report.ChartStyle.subtitle;
import static io.wmstream.app.report.ChartStyle.wordSeries;
import static io.wmstream.app.report.ChartStyle.wordsChart;
import static io.wmstream.app.report.PageBody.cell;
import static io.wmstream.app.report.PageBody.fields;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Optional;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYIntervalSeriesCollection;

/** The report's section on the replies themselves: their figures, and how long they are. */
final class RepliesSection {
    private RepliesSection() {
    }

    /**
     * What the replies look like ({@code replies}, {@code replyWordsHistogram}); the chart's name starts with
     * {@code prefix}.
     */
    static void write(PageBody body, String prefix, JsonNode report) {
        body.append("<h3>Replies</h3>\n");
        body.table(fields(report.path("replies")));
        if (report.path("replies").path("count").asLong() > 0) {
            body.chart(prefix + "reply-words.png", "reply length histogram", replyWords(report));
            wordsHistogramTable(body, report.path("replyWordsHistogram"));
        }
    }

    private static void wordsHistogramTable(PageBody body, JsonNode histogram) {
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
}
