package io.wmstream.app.report;

import static io.wmstream.app.report.PageBody.cell;
import static io.wmstream.app.report.PageBody.escape;
import static io.wmstream.app.report.PageBody.withoutSignature;

import com.fasterxml.jackson.databind.JsonNode;

/** The report's section on invented values: replies that state a number or code no earlier turn holds. */
final class InventedValuesSection {
    private InventedValuesSection() {
    }

    /** Writes {@code inventedValues} of a replay's report: the figures, and the first replies that invent. */
    static void write(PageBody body, JsonNode invented) {
        body.append("<h3>Invented values</h3>\n");
        body.append("<p class=\"note\">A reply invents a value when it states a number or code (a run of letters "
                + "and digits with a digit) that no earlier turn of its conversation holds. Placeholders are not "
                + "values. Signature: <code>").append(escape(invented.path("signature").asText()))
                .append("</code>.</p>\n");
        body.table(withoutSignature(invented));
        JsonNode examples = invented.path("examples");
        if (!examples.isEmpty()) {
            body.append("<details><summary>first replies with invented values</summary>\n<table>\n<tr>"
                    + "<th>conversation</th><th>turn</th><th>reply</th><th>invented</th></tr>\n");
            examples.forEach(example -> {
                StringBuilder values = new StringBuilder();
                example.path("invented").forEach(v -> values.append(values.isEmpty() ? "" : ", ").append(v.asText()));
                body.append("<tr>").append(cell(example.path("conversationId"))).append(cell(example
                        .path("inReplyTo"))).append(cell(example.path("reply"))).append("<td>")
                        .append(escape(values.toString())).append("</td></tr>\n");
            });
            body.append("</table>\n</details>\n");
        }
    }
}
