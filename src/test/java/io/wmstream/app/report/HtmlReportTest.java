package io.wmstream.app.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.app.evaluation.Evaluation;
import io.wmstream.schemas.event.ConversationEvent;
import io.wmstream.schemas.json.CanonicalJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
    @TempDir
    Path dir;

    @Test
    void shouldEscapeEveryCharacterThatIsMarkup() {
        // Given text with each character that means something in HTML
        String text = "<script>alert(\"x\" & 'y')</script>";

        // When it is escaped
        String escaped = HtmlReport.escape(text);

        // Then none of them is left as it was
        assertThat(escaped).isEqualTo("&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;");
    }

    @Test
    void shouldShowNoChartOfWhatWasNotMeasured() throws IOException {
        // Given the report of a replay with replies but no belief states and no perplexity
        Evaluation evaluation = new Evaluation();
        evaluation.onOutput(reply("c-1", "the museum opens at ten"));
        ObjectNode report = evaluation.toJson(2_000_000_000L, 500_000_000L);

        // When its page is written, its source a name with markup in it
        Path page = new HtmlReport(dir, "wmstream replay").about("input", "<log>.jsonl")
                .replay("Evaluation", "", report).write("report.html");

        // Then it shows the replies and the time, says why fact recall has none, and escapes the name
        assertThat(ReportPages.images(page)).containsExactly("reply-words.png", "time-share.png");
        ReportPages.assertChartsBeside(page);
        assertThat(Files.readString(page)).contains("No conversation was scored", "&lt;log&gt;.jsonl")
                .doesNotContain("<log>");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("report.html",
                    "reply-words.png", "time-share.png");
        }
    }

    @Test
    void shouldShowTheDialogueStateFiguresPerSlotAndSayNaWhereNotMeasured() throws IOException {
        // Given a report whose final summary carried a state, and one of a model whose outputs carry none
        ObjectNode withState = annotatedReport(true);
        ObjectNode withoutState = annotatedReport(false);

        // When their pages are written
        Path page = new HtmlReport(dir.resolve("a"), "wmstream replay").replay("Evaluation", "", withState)
                .write("report.html");
        Path bare = new HtmlReport(dir.resolve("b"), "wmstream replay").replay("Evaluation", "", withoutState)
                .write("report.html");

        // Then the first shows the figures and the slot table, the second says n/a and why
        assertThat(Files.readString(page)).contains("<h3>Dialogue state</h3>", "final state per slot",
                "<th>hotel.place</th>", "said-in-conversation");
        assertThat(Files.readString(bare)).contains("<h3>Dialogue state</h3>", "n/a: the final summaries carry no "
                + "state").doesNotContain("final state per slot");
    }

    private static ObjectNode annotatedReport(boolean carriesState) throws IOException {
        Evaluation evaluation = new Evaluation();
        evaluation.onInput(ConversationEvent.utterance("c-1", 0, "user", "a room in the east"),
                CanonicalJson.readTree("{\"annotations\":{\"dialog_act\":{}}}".getBytes(StandardCharsets.UTF_8)));
        evaluation.onInput(ConversationEvent.utterance("c-1", 1, "system", "the east it is"),
                CanonicalJson.readTree("{\"annotations\":{\"belief_state\":{\"hotel\":{\"area\":\"east\"}}}}"
                        .getBytes(StandardCharsets.UTF_8)));
        ObjectNode summary = CanonicalJson.mapper().createObjectNode().put("conversationId", "c-1")
                .put("kind", "final").put("text", "a room in the east");
        if (carriesState) {
            summary.putArray("state").addObject().put("slot", "hotel.place").put("value", "east").put("turn", 0);
        }
        evaluation.onOutput(summary);
        return evaluation.toJson(1, 0);
    }

    @Test
    void shouldChartTheBestPositionalBaselineByItsMean() {
        // Given fact recall where the last user utterances beat the other positional baselines
        ObjectNode recall = CanonicalJson.mapper().createObjectNode();
        recall.put("summary", 0.6);
        recall.put("first", 0.4);
        recall.put("last", 0.2);
        recall.put("first-user", 0.5);
        recall.put("last-user", 0.55);
        recall.put("oracle", 0.9);

        // When the best positional baseline is chosen
        String best = FactRecallSection.bestPositional(recall);

        // Then it is the last user utterances, whatever the summary and the oracle reach
        assertThat(best).isEqualTo("last-user");
    }

    private static ObjectNode reply(String conversation, String text) {
        ObjectNode value = CanonicalJson.mapper().createObjectNode();
        value.put("conversationId", conversation);
        value.putObject("inReplyTo").put("turn", 0);
        value.put("text", text);
        return value;
    }
}
