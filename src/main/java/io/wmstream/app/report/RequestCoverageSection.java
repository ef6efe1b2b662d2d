package io.wmstream.app.report;

import static io.wmstream.app.report.PageBody.cell;
import static io.wmstream.app.report.PageBody.escape;
import static io.wmstream.app.report.PageBody.withoutSignature;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** The report's section on request coverage: user requests the replies give. */
final class RequestCoverageSection {
    private RequestCoverageSection() {
    }

    /** Writes {@code requestCoverage} of a replay's report, when it has one: overall and per attribute. */
    static void write(PageBody body, JsonNode coverage) {
        if (coverage.isMissingNode()) {
            return;
        }
        body.append("<h3>Request coverage</h3>\n");
        body.append("<p class=\"note\">Of the user turns that request attributes (MultiWOZ <code>*-Request</code> "
                + "dialogue acts, SGD <code>REQUEST</code> actions), the share whose reply gives every one, as a "
                + "placeholder of its type (left or filled), or by name for those no placeholder carries. Signature: "
                + "<code>").append(escape(coverage.path("signature").asText())).append("</code>.</p>\n");
        Map<String, JsonNode> figures = new LinkedHashMap<>(withoutSignature(coverage));
        figures.remove("byAttribute");
        body.table(figures);
        JsonNode attributes = coverage.path("byAttribute");
        if (!attributes.isEmpty()) {
            body.append("<table>\n<tr><th>attribute</th><th>turns</th><th>coverage</th></tr>\n");
            attributes.properties().forEach(e -> body.append("<tr><th>").append(escape(e.getKey())).append("</th>")
                    .append(cell(e.getValue().path("turns"))).append(cell(e.getValue().path("coverage")))
                    .append("</tr>\n"));
            body.append("</table>\n");
        }
    }
}
