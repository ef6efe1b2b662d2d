package io.wmstream.app.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jfree.chart.JFreeChart;

/**
 * The body of a report page as its sections write it: the HTML so far and the charts it shows, by file name, in
 * page order; with the tables and cells every section writes the same way. Every text is escaped.
 */
final class PageBody {
    private final StringBuilder html = new StringBuilder();
    private final Map<String, JFreeChart> charts = new LinkedHashMap<>();

    /** Appends {@code text} as it is (markup), returning the HTML to go on appending to. */
    StringBuilder append(String text) {
        return html.append(text);
    }

    String html() {
        return html.toString();
    }

    /** The charts to write beside the page, by file name, in page order. */
    Map<String, JFreeChart> charts() {
        return charts;
    }

    /** Shows {@code chart}, when there is one, as the image {@code fileName} written beside the page. */
    void chart(String fileName, String alt, Optional<JFreeChart> chart) {
        if (chart.isEmpty()) {
            return;
        }
        charts.put(fileName, chart.get());
        html.append("<figure><img src=\"").append(escape(fileName)).append("\" width=\"")
                .append(ChartStyle.WIDTH).append("\" height=\"").append(ChartStyle.HEIGHT).append("\" alt=\"")
                .append(escape(alt)).append("\"></figure>\n");
    }

    /** A table of one row per value among {@code rows} (objects and arrays are left out), labelled by its key. */
    void table(Map<String, JsonNode> rows) {
        html.append("<table>\n");
        rows.forEach((key, value) -> {
            if (value.isValueNode() || value.isMissingNode()) {
                html.append("<tr><th>").append(escape(label(key))).append("</th>").append(cell(value))
                        .append("</tr>\n");
            }
        });
        html.append("</table>\n");
    }

    /** A row of a comparison: A's figure, B's and B minus A. */
    void deltaRow(String name, JsonNode row) {
        html.append("<tr><th>").append(escape(name)).append("</th>").append(cell(row.path("a")))
                .append(cell(row.path("b"))).append("<td class=\"n\">")
                .append(String.format(Locale.ROOT, "%+.4f", row.path("delta").asDouble())).append("</td></tr>\n");
    }

    /** {@code text} with the characters that are markup in HTML replaced by their references. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** The fields of a section whose signature the text above its table already shows. */
    static Map<String, JsonNode> withoutSignature(JsonNode section) {
        Map<String, JsonNode> fields = fields(section);
        fields.remove("signature");
        return fields;
    }

    static Map<String, JsonNode> fields(JsonNode object) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        object.properties().forEach(e -> fields.put(e.getKey(), e.getValue()));
        return fields;
    }

    /** A table cell of a figure: numbers to the right, a dash where there is none. */
    static String cell(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return "<td class=\"n\">\u2013</td>";
        }
        if (value.isIntegralNumber()) {
            return "<td class=\"n\">" + String.format(Locale.ROOT, "%,d", value.asLong()) + "</td>";
        }
        if (value.isNumber()) {
            return "<td class=\"n\">" + BigDecimal.valueOf(value.asDouble()).stripTrailingZeros().toPlainString()
                    + "</td>";
        }
        return "<td>" + escape(value.asText()) + "</td>";
    }

    static String label(String key) {
        return ReportLabels.of(key);
    }
}
