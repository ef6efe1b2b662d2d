package io.wmstream.app.report;

import static io.wmstream.app.report.PageBody.cell;
import static io.wmstream.app.report.PageBody.escape;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The report's section on the dialogue state the outputs carry, against the log's annotated one. */
final class DialogueStateSection {
    private DialogueStateSection() {
    }

    /**
     * The dialogue state the outputs carry against the log's annotated one: the final summaries' state (precision,
     * recall, F1, value only, per slot), the replies' state after each user turn (joint accuracy) and their
     * requested types; "n/a" with the reason where the outputs carry none.
     */
    static void write(PageBody body, JsonNode report) {
        JsonNode state = report.path("finalState");
        JsonNode joint = report.path("jointAccuracy");
        JsonNode requests = report.path("requestAccuracy");
        if (state.isMissingNode() && joint.isMissingNode() && requests.isMissingNode()) {
            return;
        }
        body.append("<h3>Dialogue state</h3>\n");
        body.append("<p class=\"note\">The state the outputs carry against the log's annotated dialogue state "
                + "(SGD <code>state.slot_values</code>, MultiWOZ <code>belief_state</code>), slots "
                + "<code>domain.type[.role]</code>, gold values only where they occur in the conversation's text. "
                + "Signature: <code>").append(escape(state.path("signature").asText())).append("</code>.</p>\n");
        body.append("<table>\n<tr><th>measure</th><th>scored</th><th>not scored (no state in the output)</th>"
                + "<th>precision</th><th>recall</th><th>F1</th><th>accuracy</th></tr>\n");
        JsonNode values = state.path("valueOnly");
        body.append("<tr><th>final state, (slot, value) pairs</th>").append(cell(state.path("conversations")))
                .append(cell(state.path("conversationsWithoutState"))).append(cell(state.path("precision")))
                .append(cell(state.path("recall"))).append(cell(state.path("f1"))).append(cell(null))
                .append("</tr>\n");
        body.append("<tr><th>final state, value only</th>").append(cell(state.path("conversations")))
                .append(cell(state.path("conversationsWithoutState"))).append(cell(values.path("precision")))
                .append(cell(values.path("recall"))).append(cell(values.path("f1"))).append(cell(null))
                .append("</tr>\n");
        body.append("<tr><th>state after each user turn (joint)</th>").append(cell(joint.path("turns")))
                .append(cell(joint.path("turnsWithoutState"))).append(cell(null)).append(cell(null))
                .append(cell(null)).append(cell(joint.path("accuracy"))).append("</tr>\n");
        body.append("<tr><th>requested types of each user turn</th>").append(cell(requests.path("turns")))
                .append(cell(requests.path("turnsWithoutRequested"))).append(cell(requests.path("precision")))
                .append(cell(requests.path("recall"))).append(cell(null)).append(cell(requests.path("accuracy")))
                .append("</tr>\n");
        body.append("<tr><th>\u2026 only the turns that ask for something</th>").append(cell(requests
                .path("turnsAsking"))).append(cell(null)).append(cell(null)).append(cell(null)).append(cell(null))
                .append(cell(requests.path("accuracyAsking"))).append("</tr>\n");
        body.append("<tr><th>\u2026 baseline: never reading a request</th>").append(cell(requests.path("turns")))
                .append(cell(null)).append(cell(null)).append(cell(null)).append(cell(null))
                .append(cell(requests.path("emptyBaseline"))).append("</tr>\n</table>\n");
        for (JsonNode section : List.of(state, joint, requests)) {
            if (section.has("note")) {
                body.append("<p class=\"note\">").append(escape(section.path("note").asText())).append(".</p>\n");
            }
        }
        JsonNode slots = state.path("bySlot");
        if (!slots.isEmpty()) {
            body.append("<details><summary>final state per slot</summary>\n<table>\n<tr><th>slot</th>"
                    + "<th>gold values</th><th>predicted</th><th>precision</th><th>recall</th></tr>\n");
            slots.properties().forEach(e -> body.append("<tr><th>").append(escape(e.getKey())).append("</th>")
                    .append(cell(e.getValue().path("gold"))).append(cell(e.getValue().path("predicted")))
                    .append(cell(e.getValue().path("precision"))).append(cell(e.getValue().path("recall")))
                    .append("</tr>\n"));
            body.append("</table>\n</details>\n");
        }
    }
}
