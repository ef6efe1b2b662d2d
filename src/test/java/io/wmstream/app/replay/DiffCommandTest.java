package io.wmstream.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.app.Main;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.report.ReportPages;
import io.wmstream.app.testing.Console;
import io.wmstream.app.testing.EchoPipelineFactory;
import io.wmstream.schemas.json.CanonicalJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiffCommandTest {
    private static final String A = """
            {"topic":"conversation-replies","key":"desk-1","value":{"conversationId":"desk-1","inReplyTo":{"turn":0},\
            "text":"the lamp is on the left shelf","tokens":7}}
            {"topic":"conversation-replies","key":"desk-2","value":{"conversationId":"desk-2","inReplyTo":{"turn":0},\
            "text":"yes we open at nine","tokens":5}}
            {"topic":"conversation-dead-letters","key":null,"value":"not an event","reason":"malformed-json"}
            """;
    private static final String B = """
            {"topic":"conversation-replies","key":"desk-1","value":{"conversationId":"desk-1","inReplyTo":{"turn":0},\
            "text":"the lamp is on the left shelf","tokens":7}}
            {"topic":"conversation-replies","key":"desk-2","value":{"conversationId":"desk-2","inReplyTo":{"turn":0},\
            "text":"nine nine nine nine","tokens":4}}
            {"topic":"conversation-dead-letters","key":null,"value":"not an event","reason":"malformed-json"}
            """;

    @TempDir
    Path dir;

    @Test
    void shouldReportWhichConversationsDifferAndTheReplyMetricDeltas() throws IOException {
        // Given two replay outputs that differ in one conversation's reply
        Path a = Files.writeString(dir.resolve("a.jsonl"), A);
        Path b = Files.writeString(dir.resolve("b.jsonl"), B);
        Console console = new Console();

        // When they are compared with a report
        int code = main(console).execute("diff", a.toString(), b.toString(), "--report", dir.toString());

        // Then one of three conversations differs, by one record, and the degenerate reply shows in the deltas
        assertThat(code).as(console.err()).isEqualTo(ExitCode.OK);
        assertThat(console.out()).contains("conversations: 3, identical 2, different 1", "1 records differ",
                "desk-2 (1 vs 1 records)");
        assertThat(console.out().lines().filter(l -> l.startsWith("degenerateRate")))
                .containsExactly("degenerateRate         0.0000       0.5000      +0.5000");
        assertThat(Files.readString(dir.resolve("diff.json"))).contains("\"different\" : 1");
    }

    @Test
    void shouldWriteAnHtmlPageWithChartsWhereTextFromTheLogIsEscaped() throws IOException {
        // Given two replay outputs that differ in a dead letter whose original line is markup with a script
        Path a = Files.writeString(dir.resolve("a.jsonl"), A);
        Path b = Files.writeString(dir.resolve("b.jsonl"), B.replace("\"value\":\"not an event\"",
                "\"value\":\"<script>alert('wm')</script> & <b>bold</b>\""));
        Path report = dir.resolve("report");
        Console console = new Console();

        // When they are compared with a report
        int code = main(console).execute("diff", a.toString(), b.toString(), "--report", report.toString());

        // Then diff.html is written beside diff.json and shows the deltas and the reply lengths as charts
        assertThat(code).as(console.err()).isEqualTo(ExitCode.OK);
        Path page = report.resolve("diff.html");
        assertThat(console.out()).contains("report: " + report.resolve("diff.json"), "report: " + page);
        assertThat(ReportPages.images(page)).containsExactly("diff-deltas.png", "diff-reply-words.png");
        ReportPages.assertChartsBeside(page);
        // And the line from the log is shown as text, never as markup
        String html = Files.readString(page);
        assertThat(html).contains("&lt;script&gt;alert(&#39;wm&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;")
                .doesNotContain("<script", "<b>");
    }

    @Test
    void shouldDrawTheChartsWhereThereIsNoDisplay() throws IOException, InterruptedException {
        // Given two replay outputs, and a JVM whose DISPLAY names an X server that does not exist
        Path a = Files.writeString(dir.resolve("a.jsonl"), A);
        Path b = Files.writeString(dir.resolve("b.jsonl"), B);
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder diff = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, Main.class.getName(), "diff", a.toString(), b.toString(), "--report",
                dir.resolve("report").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("diff-output.txt").toFile());
        diff.environment().put("DISPLAY", "wmstream-no-such-host:99");

        // When diff writes its report there
        Process process = diff.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        // Then it draws the charts headless: it does not look for the display, and the page shows them
        assertThat(process.exitValue()).as(Files.readString(dir.resolve("diff-output.txt"))).isZero();
        ReportPages.assertChartsBeside(dir.resolve("report/diff.html"));
        assertThat(ReportPages.images(dir.resolve("report/diff.html"))).isNotEmpty();
    }

    @Test
    void shouldFindNoDifferenceBetweenAnOutputAndItself() throws IOException {
        // Given one replay output
        Path a = Files.writeString(dir.resolve("a.jsonl"), A);
        Console console = new Console();

        // When it is compared with itself
        int code = main(console).execute("diff", a.toString(), a.toString());

        // Then every conversation is identical
        assertThat(code).isEqualTo(ExitCode.OK);
        assertThat(console.out()).contains("identical 3, different 0", "0 records differ");
    }

    @Test
    void shouldExitWithAUsageErrorForAMissingFileOrASingleArgument() throws IOException {
        // Given one existing output
        Path a = Files.writeString(dir.resolve("a.jsonl"), A);
        Console console = new Console();

        // When diff is given a missing second file, or only one
        int missing = main(console).execute("diff", a.toString(), dir.resolve("absent.jsonl").toString());
        int single = main(console).execute("diff", a.toString());

        // Then both are usage errors, each said in one line
        assertThat(missing).isEqualTo(ExitCode.USAGE);
        assertThat(single).isEqualTo(ExitCode.USAGE);
        assertThat(console.err().lines()).hasSize(2);
    }

    private static Main main(Console console) {
        return new Main(console.context(Map.of(), new EchoPipelineFactory()));
    }

    @Test
    void shouldCompareTheDialogueStateOnlyWhereBothModelsCarryOne() {
        // Given report A with final state F1 and joint accuracy, and report B with final state F1 only
        var reportA = CanonicalJson.mapper().createObjectNode();
        reportA.putObject("finalState").put("f1", 0.6);
        reportA.putObject("jointAccuracy").put("accuracy", 0.3);
        var reportB = CanonicalJson.mapper().createObjectNode();
        reportB.putObject("finalState").put("f1", 0.75);
        reportB.putObject("jointAccuracy").putNull("accuracy");

        // When their dialogue-state figures are compared
        var state = DiffCommand.dialogueState(reportA, reportB);

        // Then only the figure both have is there, with B minus A
        assertThat(state.fieldNames()).toIterable().containsExactly("finalStateF1");
        assertThat(state.path("finalStateF1").path("delta").asDouble()).isEqualTo(0.15);
    }
}
