package io.wmstream.app.report;

import static io.wmstream.app.report.ChartStyle.SUMMARY;
import static io.wmstream.app.report.ChartStyle.categoryPlot;
import static io.wmstream.app.report.ChartStyle.labelledBars;
import static io.wmstream.app.report.ChartStyle.subtitle;
import static io.wmstream.app.report.PageBody.cell;
import static io.wmstream.app.report.PageBody.escape;
import static io.wmstream.app.report.PageBody.withoutSignature;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;

/** The report's section on replies against the log's own next turns: BLEU-4 and ROUGE-L, overall and per domain. */
final class ReplyReferencesSection {
    /** Most domains the BLEU-per-domain chart draws. */
    static final int MOST_DOMAINS = 12;

    private ReplyReferencesSection() {
    }

    /**
     * Replies against the log's next turns ({@code replyReferences}): overall and per domain, with the BLEU-4 chart
     * per domain, whose name starts with {@code prefix}.
     */
    static void write(PageBody body, String prefix, JsonNode report) {
        JsonNode references = report.path("replyReferences");
        body.append("<h3>Replies against the log's next turns</h3>\n");
        body.append("<p class=\"note\">The reference of a reply is the turn the log has after the one answered, "
                + "when the other side said it. Signature: <code>").append(escape(references.path("signature")
                .asText())).append("</code>.</p>\n");
        body.table(withoutSignature(references));
        if (references.path("count").asLong() == 0) {
            body.append("<p class=\"note\">No reply has a reference: the log has no turn of the other side "
                    + "after the turns answered.</p>\n");
            return;
        }
        JsonNode domains = references.path("byDomain");
        if (!domains.isEmpty()) {
            body.append("<table>\n<tr><th>domain</th><th>replies</th><th>BLEU-4</th><th>ROUGE-L F1</th></tr>\n");
            domains.properties().forEach(e -> body.append("<tr><th>").append(escape(e.getKey())).append("</th>")
                    .append(cell(e.getValue().path("count"))).append(cell(e.getValue().path("bleu4")))
                    .append(cell(e.getValue().path("rougeL"))).append("</tr>\n"));
            body.append("</table>\n");
            body.chart(prefix + "reply-bleu-by-domain.png", "BLEU-4 per domain", bleuByDomain(report));
        }
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
}
