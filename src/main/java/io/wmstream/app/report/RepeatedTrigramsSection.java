package io.wmstream.app.report;

import static io.wmstream.app.report.PageBody.escape;
import static io.wmstream.app.report.PageBody.withoutSignature;

import com.fasterxml.jackson.databind.JsonNode;

/** The report's section on repeated 3-grams within a reply. */
final class RepeatedTrigramsSection {
    private RepeatedTrigramsSection() {
    }

    /** Writes {@code repeatedTrigrams} of a replay's report, when it has one. */
    static void write(PageBody body, JsonNode repetition) {
        if (repetition.isMissingNode()) {
            return;
        }
        body.append("<h3>Repeated 3-grams</h3>\n");
        body.append("<p class=\"note\">Each 3-gram of words (placeholders are words, punctuation is not) that a reply "
                + "already said counts once. Signature: <code>").append(escape(repetition.path("signature").asText()))
                .append("</code>.</p>\n");
        body.table(withoutSignature(repetition));
    }
}
