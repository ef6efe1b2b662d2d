package io.wmstream.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.app.Main;
import io.wmstream.app.cli.CommandContext;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.evaluation.FactRecall;
import io.wmstream.app.report.ReportPages;
import io.wmstream.app.testing.Console;
import io.wmstream.app.testing.EchoPipelineFactory;
import io.wmstream.app.testing.RepoRoot;
import io.wmstream.app.testing.UntaggedBundle;
import io.wmstream.schemas.json.CanonicalJson;
import io.wmstream.topology.memory.WorkingMemory;
import io.wmstream.topology.memory.WorkingMemoryCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code wmstream replay} with the real topology and the bundled model. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ReplayCommandTest {
    @TempDir
    Path dir;

    @Test
    void shouldWriteByteIdenticalOutputsOnTwoRuns() throws IOException {
        // Given a log of interleaved conversations with bad lines
        Path log = Files.writeString(dir.resolve("log.jsonl"), ReplayLogs.interleaved(5, 9));

        // When it is replayed twice
        byte[] first = replay(log, "first.jsonl");
        byte[] second = replay(log, "second.jsonl");

        // Then both outputs are the same bytes, and not empty
        assertThat(first).isNotEmpty().isEqualTo(second);
    }

    @Test
    void shouldWriteTheSameOutputsWhateverTheBatchSize() throws IOException {
        // Given a log of interleaved conversations with bad lines
        Path log = Files.writeString(dir.resolve("log.jsonl"), ReplayLogs.interleaved(6, 9));

        // When it is replayed one event per batch and 64 per batch
        byte[] single = replay(log, "single.jsonl", "--set", "wm.batch.max.size=1");
        byte[] batched = replay(log, "batched.jsonl", "--set", "wm.batch.max.size=64");
        byte[] odd = replay(log, "odd.jsonl", "--set", "wm.batch.max.size=7");

        // Then the outputs are the same bytes in the same order
        assertThat(new String(single, StandardCharsets.UTF_8))
                .isEqualTo(new String(batched, StandardCharsets.UTF_8))
                .isEqualTo(new String(odd, StandardCharsets.UTF_8));
    }

    @Test
    void shouldExpireIdleConversationsAtTheSamePlaceWhateverTheBatchSize() throws IOException {
        // Given conversations with timestamps, some of which go quiet for longer than the idle expiry
        StringBuilder text = new StringBuilder();
        for (int c = 0; c < 6; c++) {
            for (int turn = 0; turn < 3; turn++) {
                long at = c * 120_000L + turn * 1_000L;
                text.append(String.format(Locale.ROOT, "{\"conversationId\":\"quiet-%d\",\"turn\":%d,"
                        + "\"speaker\":\"user\",\"text\":\"Is the ferry running on time today?\","
                        + "\"timestamp\":%d}%n", c % 3, c / 3 * 3 + turn, at));
            }
        }
        Path log = Files.writeString(dir.resolve("log.jsonl"), text.toString());

        // When it is replayed one event per batch and 64 per batch, with a one-minute expiry
        byte[] single = replay(log, "single.jsonl", "--set", "wm.batch.max.size=1", "--set",
                "wm.idle.expiry.ms=60000");
        byte[] batched = replay(log, "batched.jsonl", "--set", "wm.batch.max.size=64", "--set",
                "wm.idle.expiry.ms=60000");

        // Then idle conversations got final summaries, at the same place in the same output
        assertThat(lines(single)).anyMatch(l -> l.contains("\"reason\":\"idle\""));
        assertThat(new String(single, StandardCharsets.UTF_8)).isEqualTo(new String(batched,
                StandardCharsets.UTF_8));
    }

    @Test
    void shouldRefuseAnEventDatedFarAheadThatLinesAfterItContradict() throws IOException {
        // Given conversation A's two turns, one event of conversation B dated 2099, then A's next turn
        Path log = Files.writeString(dir.resolve("log.jsonl"), String.join("\n",
                timed("A", 0, "user", "I need a table for two at seven tonight.", "2026-03-01T10:00:00Z"),
                timed("A", 1, "system", "Which part of town would you like?", "2026-03-01T10:00:20Z"),
                timed("B", 0, "user", "Hello, is anyone there?", "2099-01-01T00:00:00Z"),
                timed("A", 2, "user", "The centre, please.", "2026-03-01T10:00:40Z")) + "\n");

        // When it is replayed
        List<String> lines = lines(replay(log, "out.jsonl"));

        // Then B's event is dead-lettered as too far ahead, and A is not expired: its next turn is answered
        assertThat(lines).filteredOn(l -> l.contains("\"key\":\"B\"")).singleElement().asString()
                .contains("\"topic\":\"conversation-dead-letters\"", "\"reason\":\"future-timestamp\"");
        assertThat(lines).noneMatch(l -> l.contains("\"reason\":\"idle\""))
                .anyMatch(l -> l.contains("\"key\":\"A\"") && l.contains("\"inReplyTo\":{\"turn\":2}"));
    }

    @Test
    void shouldAcceptAnEventAfterAQuietHourAndExpireTheConversationsIdleSince() throws IOException {
        // Given conversation A's turn, then an hour without events, then conversation B's two turns
        Path log = Files.writeString(dir.resolve("log.jsonl"), String.join("\n",
                timed("A", 0, "user", "I need a table for two at seven tonight.", "2026-03-01T10:00:00Z"),
                timed("B", 0, "user", "Is there a train to Ely after six?", "2026-03-01T11:00:00Z"),
                timed("B", 2, "user", "Just one ticket, please.", "2026-03-01T11:00:30Z")) + "\n");

        // When it is replayed with the default 30-minute idle expiry
        List<String> lines = lines(replay(log, "out.jsonl"));

        // Then nothing is dead-lettered, B is answered, and A, quiet for an hour, gets its final summary
        assertThat(lines).noneMatch(l -> l.contains("conversation-dead-letters"))
                .anyMatch(l -> l.contains("\"key\":\"B\"") && l.contains("\"inReplyTo\":{\"turn\":2}"))
                .anyMatch(l -> l.contains("\"key\":\"A\"") && l.contains("\"reason\":\"idle\""));
    }

    @Test
    void shouldDeadLetterLinesThatAreNotEventsInInputOrder() throws IOException {
        // Given a log with a line of the wrong type and a line that is not JSON
        Path log = Files.writeString(dir.resolve("log.jsonl"), ReplayLogs.interleaved(3, 7));

        // When it is replayed
        List<String> lines = lines(replay(log, "out.jsonl"));

        // Then both are in the output as dead letters with their original text and reason
        List<String> deadLetters = lines.stream().filter(l -> l.contains("\"topic\":\"conversation-dead-letters\""))
                .toList();
        assertThat(deadLetters).hasSize(2);
        assertThat(deadLetters.get(0)).contains("\"key\":null").contains("\\\"turn\\\":\\\"late\\\"")
                .contains("\"reason\":\"schema-violation\"");
        assertThat(deadLetters.get(1)).contains("\"value\":\"this line is not json at all\"")
                .contains("\"reason\":\"malformed-json\"");
        // And they sit where their lines were: after the replies to the turns before them
        int firstDeadLetter = lines.indexOf(deadLetters.get(0));
        assertThat(lines.subList(0, firstDeadLetter)).anyMatch(l -> l.contains("\"inReplyTo\":{\"turn\":2}"))
                .noneMatch(l -> l.contains("\"inReplyTo\":{\"turn\":4}"));
    }

    @Test
    void shouldWriteEachOpenConversationsFinalMemoryWithoutChangingTheOutputs() throws IOException {
        // Given a log of five interleaved conversations of nine turns, the even ones ended
        Path log = Files.writeString(dir.resolve("log.jsonl"), ReplayLogs.interleaved(5, 9));
        Path memories = dir.resolve("memories.jsonl");

        // When it is replayed with and without --memories
        byte[] plain = replay(log, "plain.jsonl");
        byte[] withMemories = replay(log, "with.jsonl", "--memories", memories.toString());

        // Then the outputs are the same bytes
        assertThat(withMemories).isEqualTo(plain);
        // And the file holds the open conversations' memories, in id order, each with all nine turns
        List<String> lines = Files.readAllLines(memories, StandardCharsets.UTF_8);
        List<String> ids = new ArrayList<>();
        for (String line : lines) {
            JsonNode json = CanonicalJson.readTree(line.getBytes(StandardCharsets.UTF_8));
            ids.add(json.get("conversationId").asText());
            WorkingMemory memory = WorkingMemoryCodec.decode(Base64.getDecoder().decode(
                    json.get("memoryBase64").asText()));
            assertThat(memory.utterances()).as(line).isEqualTo(9);
            assertThat(memory.lastTurn()).isEqualTo(8);
            assertThat(memory.state()).isNotNull();
        }
        assertThat(ids).containsExactly("trip-1", "trip-3");
    }

    @Test
    void shouldGiveEachConversationAFinalSummaryWhenAskedToEndThem() throws IOException {
        // Given a log of four conversations one after the other, none ended, with a belief state
        Path log = logWithBeliefState(4, 5);
        Path report = dir.resolve("report");

        // When it is replayed with an end after each conversation's last line and a report
        List<String> lines = lines(replay(log, "out.jsonl", "--end-each-conversation", "--report",
                report.toString()));

        // Then every conversation has exactly one final summary
        for (int c = 0; c < 4; c++) {
            String key = "\"key\":\"stay-" + c + "\"";
            assertThat(lines).filteredOn(l -> l.contains(key) && l.contains("\"kind\":\"final\"")).hasSize(1);
        }
        // And the report scores the summaries of the two conversations whose text holds the fact
        String json = Files.readString(report.resolve("report.json"));
        assertThat(json).contains("\"conversations\" : 2", "\"finalSummaries\" : 4", "\"oracle\" : 1.0",
                "\"distinct2\"", "\"utterancesPerSecond\"");
    }

    @Test
    void shouldWriteAnHtmlReportWithAChartOfEachMeasurement() throws IOException {
        // Given a log of four conversations whose text holds a fact of their belief state in two of them
        Path log = logWithBeliefState(4, 5);
        Path report = dir.resolve("report");
        Console console = new Console();

        // When it is replayed with final summaries, perplexity and a report
        int code = main(console).execute("replay", "--input", log.toString(), "--output",
                dir.resolve("out.jsonl").toString(), "--end-each-conversation", "--perplexity", "--report",
                report.toString());

        // Then report.html shows a chart of each measurement, each a PNG of the chart size beside it
        assertThat(code).as(console.err()).isEqualTo(ExitCode.OK);
        Path page = report.resolve("report.html");
        assertThat(console.out()).contains("report: " + page);
        assertThat(ReportPages.images(page)).containsExactly("fact-recall.png", "fact-recall-distribution.png",
                "reply-words.png", "perplexity.png", "time-share.png");
        ReportPages.assertChartsBeside(page);
        assertThat(Files.readString(page)).contains("<table>", "greedy oracle", "distinct-2")
                .doesNotContain("http://", "https://", "<script");
        // And report.json holds the histograms: one count per scored conversation and per reply
        JsonNode json = CanonicalJson.readTree(Files.readAllBytes(report.resolve("report.json")));
        for (String method : FactRecall.METHODS) {
            assertThat(sum(json.path("factRecallHistogram").path("counts").path(method))).as(method)
                    .isEqualTo(json.path("factRecall").path("conversations").asLong()).isEqualTo(2);
        }
        assertThat(sum(json.path("replyWordsHistogram").path("counts")))
                .isEqualTo(json.path("replies").path("count").asLong()).isPositive();
    }

    @Test
    void shouldPrintOnlyResultsWhenStderrIsNotATerminal() throws IOException {
        // Given a log and a console that is not a terminal
        Path log = Files.writeString(dir.resolve("log.jsonl"), ReplayLogs.grouped(2, 3));
        Console console = new Console();

        // When it is replayed
        int code = main(console).execute("replay", "--input", log.toString(), "--output",
                dir.resolve("out.jsonl").toString());

        // Then stderr stays empty (no progress line), stdout holds the results, and no state is left behind
        assertThat(code).isEqualTo(ExitCode.OK);
        assertThat(console.err()).isEmpty();
        assertThat(console.out()).contains("replayed ", "6 utterances", "fact recall", "throughput:");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("log.jsonl",
                    "out.jsonl");
        }
    }

    @Test
    void shouldCompareTwoModelsOnOneLog() throws IOException {
        // Given a log with a belief state and the bundled model named twice (by its default and by its directory)
        Path log = logWithBeliefState(2, 3);
        Path bundle = RepoRoot.path().resolve("model-runtime/models/wm-gru-dialogue-3");
        Console console = new Console();

        // When the log is replayed with both, to the end of each conversation
        int code = main(console).execute("replay", "--input", log.toString(), "--output",
                dir.resolve("out.jsonl").toString(), "--model", bundle.toString(), "--model", bundle.toString(),
                "--end-each-conversation", "--report", dir.resolve("report").toString());

        // Then each has its output, the same bytes, and the comparison finds no difference
        assertThat(code).as(console.err()).isEqualTo(ExitCode.OK);
        assertThat(Files.readAllBytes(dir.resolve("out.a.jsonl"))).isNotEmpty()
                .isEqualTo(Files.readAllBytes(dir.resolve("out.b.jsonl")));
        assertThat(console.out()).contains("== model A", "== model B", "identical 2, different 0", "fact recall",
                "reply quality", "bleu4", "inventedRate");
        assertThat(dir.resolve("report/diff.json")).exists();
        assertThat(dir.resolve("report/report-b.json")).exists();
        // And one page shows the deltas and both runs, each with its own charts
        Path page = dir.resolve("report/report.html");
        assertThat(console.out()).contains("report: " + page);
        assertThat(Files.readString(page)).contains("A vs B", "Model A: ", "Model B: ", "B \u2212 A");
        assertThat(ReportPages.images(page)).contains("diff-deltas.png", "diff-fact-recall.png",
                "diff-reply-words.png", "a-reply-words.png", "a-time-share.png", "b-reply-words.png",
                "b-time-share.png");
        ReportPages.assertChartsBeside(page);
    }

    @Test
    void shouldShowProgressOnATerminal() throws IOException {
        // Given a log, a terminal, and a replay that updates its progress line after every event
        Path log = Files.writeString(dir.resolve("log.jsonl"), ReplayLogs.grouped(6, 10));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandContext terminal = new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), true, new EchoPipelineFactory(),
                new Console().context(Map.of(), new EchoPipelineFactory()).shutdownHooks());

        // When it is replayed
        int code = new Main(terminal, List.of(new ReplayCommand(0))).execute("replay", "--input", log.toString(),
                "--output", dir.resolve("out.jsonl").toString());

        // Then stderr showed a progress line, cleared at the end, and stdout the results
        assertThat(code).isEqualTo(ExitCode.OK);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("conversations (", "/s), ", "utterances/s", "ETA")
                .endsWith("\r\033[K");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("60 utterances");
    }

    @Test
    void shouldMeasurePerplexityWithoutChangingTheOutputs() throws IOException {
        // Given a log of conversations with agent turns
        Path log = Files.writeString(dir.resolve("log.jsonl"), ReplayLogs.grouped(3, 6));
        Path report = dir.resolve("report");

        // When it is replayed with and without measuring perplexity
        byte[] plain = replay(log, "plain.jsonl");
        byte[] measured = replay(log, "measured.jsonl", "--perplexity", "--report", report.toString());

        // Then the outputs are the same bytes and the report holds both perplexities, over the agent turns' tokens
        assertThat(measured).isEqualTo(plain);
        JsonNode perplexity = CanonicalJson.readTree(Files.readAllBytes(report.resolve("report.json")))
                .path("perplexity");
        assertThat(perplexity.path("tokens").asLong()).isPositive();
        assertThat(perplexity.path("withMemory").asDouble()).isGreaterThan(1.0);
        assertThat(perplexity.path("memoryResetPerUtterance").asDouble()).isGreaterThan(1.0);
    }

    @Test
    void shouldReportEveryMetricWithAndWithoutTheMemoryWhenAskedToAblateIt() throws IOException {
        // Given a log of conversations with agent turns (the replies' references) and a belief state
        Path log = logWithBeliefState(3, 6);
        Path report = dir.resolve("report");
        byte[] plain = replay(log, "plain.jsonl", "--end-each-conversation");
        Console console = new Console();

        // When it is replayed with the memory ablated, perplexity measured and a report
        int code = main(console).execute("replay", "--input", log.toString(), "--output",
                dir.resolve("out.jsonl").toString(), "--end-each-conversation", "--perplexity", "--ablate-memory",
                "--report", report.toString());

        // Then the run with memory wrote what a plain replay writes, and the run without memory other replies
        assertThat(code).as(console.err()).isEqualTo(ExitCode.OK);
        assertThat(Files.readAllBytes(dir.resolve("out.jsonl"))).isEqualTo(plain);
        assertThat(Files.readAllBytes(dir.resolve("out.ablated.jsonl"))).isNotEmpty().isNotEqualTo(plain);
        // And the report sets every metric with memory beside the same metric without it
        JsonNode metrics = CanonicalJson.readTree(Files.readAllBytes(report.resolve("report.json")))
                .path("memoryAblation").path("metrics");
        for (String metric : List.of("perplexity", "bleu4", "rougeL", "inventedRate", "repeatedTrigrams",
                "factRecall")) {
            assertThat(metrics.path(metric).path("withMemory").isNumber()).as(metric).isTrue();
            assertThat(metrics.path(metric).path("withoutMemory").isNumber()).as(metric).isTrue();
            assertThat(metrics.path(metric).path("memoryGain").isNumber()).as(metric).isTrue();
        }
        assertThat(metrics.path("rougeL").path("withMemory").asDouble()).isPositive();
        assertThat(console.out()).contains("== without memory", "memory ablation", "BLEU-4", "invented values");
        // And the page opens with the comparison and its chart, then both runs with their charts
        Path page = report.resolve("report.html");
        assertThat(Files.readString(page)).contains("What the memory adds", "Evaluation with memory",
                "Evaluation without memory", "Replies against the log", "Invented values");
        assertThat(ReportPages.images(page)).contains("memory-ablation.png",
                "perplexity.png", "ablated-reply-words.png");
        ReportPages.assertChartsBeside(page);
    }

    @Test
    void shouldRefuseToAblateTheMemoryOfTwoModels() {
        // Given two models
        Path bundle = RepoRoot.path().resolve("model-runtime/models/wm-gru-dialogue-3");
        Console console = new Console();

        // When an ablation of both is asked for
        int code = main(console).execute("replay", "--input", bundle.resolve("manifest.json").toString(),
                "--output", dir.resolve("out.jsonl").toString(), "--model", bundle.toString(), "--model",
                bundle.toString(), "--ablate-memory");

        // Then it is a usage error that says why
        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(console.err()).contains("--ablate-memory", "one --model");
    }

    @Test
    void shouldKeepOnlyTheConversationsOfTheSliceAskedFor() throws IOException {
        // Given a log of three conversations: c-1 is in the held-out slice, 1_00000 and 1_00001 are not
        String text = ReplayLogs.grouped(3, 2).replace("stay-0", "c-1").replace("stay-1", "1_00000")
                .replace("stay-2", "1_00001");
        Path log = Files.writeString(dir.resolve("log.jsonl"), text);

        // When it is replayed once with each slice
        String heldOut = new String(replay(log, "held-out.jsonl", "--slice", "held-out"), StandardCharsets.UTF_8);
        String training = new String(replay(log, "training.jsonl", "--slice", "training"), StandardCharsets.UTF_8);

        // Then each output holds the replies of its own conversations only
        assertThat(heldOut).contains("\"key\":\"c-1\"").doesNotContain("1_0000");
        assertThat(training).contains("\"key\":\"1_00000\"", "\"key\":\"1_00001\"").doesNotContain("c-1");
    }

    @Test
    void shouldExportTheRepliesAndStatesOfAMultiwozLogForMwzeval() throws IOException {
        // Given a log of two MultiWOZ dialogues (ids as MultiWOZ writes them) and an SGD conversation
        String text = ReplayLogs.grouped(3, 5).replace("stay-0", "PMUL0612.json").replace("stay-1", "SNG0073")
                .replace("stay-2", "1_00000");
        Path log = Files.writeString(dir.resolve("log.jsonl"), text);
        Path export = dir.resolve("mwzeval.json");
        Console console = new Console();

        // When it is replayed with --export-mwzeval
        int code = main(console).execute("replay", "--input", log.toString(), "--output",
                dir.resolve("out.jsonl").toString(), "--export-mwzeval", export.toString());

        // Then the file holds each MultiWOZ dialogue by its lower-case id, one turn per user turn (three of five),
        // each a response with only mwzeval's placeholders and a state of MultiWOZ domains
        assertThat(code).as(console.err()).isEqualTo(ExitCode.OK);
        JsonNode json = CanonicalJson.readTree(Files.readAllBytes(export));
        assertThat(json.fieldNames()).toIterable().containsExactly("pmul0612", "sng0073");
        for (JsonNode turns : json) {
            assertThat(turns).hasSize(3);
            for (JsonNode turn : turns) {
                assertThat(turn.get("response").asText()).isNotBlank()
                        .doesNotContainPattern("\\[(?!value_[a-z]+\\])");
                assertThat(turn.get("state").fieldNames()).toIterable()
                        .isSubsetOf("restaurant", "hotel", "attraction", "train", "taxi");
            }
        }
        // And the console says what it wrote and what it left out
        assertThat(console.out()).contains("mwzeval: 2 dialogues, 6 system turns -> " + export,
                "left out 1 conversations whose ids are not MultiWOZ's (the first: 1_00000)");
    }

    @Test
    void shouldFailTheMwzevalExportOfALogWithoutAMultiwozDialogue() throws IOException {
        // Given a log whose conversations have no MultiWOZ ids
        Path log = Files.writeString(dir.resolve("log.jsonl"), ReplayLogs.grouped(2, 3));
        Path export = dir.resolve("mwzeval.json");
        Console console = new Console();

        // When it is replayed with --export-mwzeval
        int code = main(console).execute("replay", "--input", log.toString(), "--output",
                dir.resolve("out.jsonl").toString(), "--export-mwzeval", export.toString());

        // Then it fails in one line that says why, and writes no export
        assertThat(code).isEqualTo(ExitCode.FAILURE);
        assertThat(console.err()).contains("none of the 2 conversations has a MultiWOZ dialogue id",
                "the first was 'stay-0'");
        assertThat(export).doesNotExist();
    }

    @Test
    void shouldExitWithAUsageErrorForAnUnknownSlice() {
        // Given a console
        Console console = new Console();

        // When a slice that does not exist is asked for
        int code = main(console).execute("replay", "--input", RepoRoot.path().resolve("README.md").toString(),
                "--output", dir.resolve("out.jsonl").toString(), "--slice", "test");

        // Then it says which slices there are and exits 2
        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(console.err()).contains("--slice expects held-out or training");
    }

    @Test
    void shouldPrintHelpAndExitZero() {
        // Given a console
        Console console = new Console();

        // When replay --help runs
        int code = main(console).execute("replay", "--help");

        // Then it prints its usage and exits 0
        assertThat(code).isEqualTo(ExitCode.OK);
        assertThat(console.out()).contains("Usage: wmstream replay", "--input", "--output", "Exit codes");
    }

    @Test
    void shouldExitWithAUsageErrorWhenTheInputIsMissing() {
        // Given a path where no log is
        Console console = new Console();

        // When replay is asked to read it
        int code = main(console).execute("replay", "--input", dir.resolve("absent.jsonl").toString(), "--output",
                dir.resolve("out.jsonl").toString());

        // Then it says so in one line and exits 2
        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(console.err().lines().toList()).hasSize(1);
        assertThat(console.err()).contains("no such file");
    }

    @Test
    void shouldReportTheDialogueStateAsNotMeasuredWhenTheModelTracksNone() throws IOException {
        // Given a log whose first user turns carry an SGD-style dialogue state, and a model whose outputs carry none
        // (a generated bundle without a tagger or state heads)
        Path log = Files.writeString(dir.resolve("log.jsonl"), ReplayLogs.grouped(2, 4).replace("\"turn\":0,",
                "\"turn\":0,\"annotations\":{\"frames\":[{\"service\":\"Hotels_1\",\"slots\":[],\"actions\":[],"
                        + "\"state\":{\"slot_values\":{\"area\":[\"river\"]}}}]},"));
        Path report = dir.resolve("report");
        Console console = new Console();
        Path bundle = UntaggedBundle.writeTo(dir.resolve("untagged"));

        // When it is replayed with the memory ablated and a report
        int code = main(console).execute("replay", "--input", log.toString(), "--output",
                dir.resolve("out.jsonl").toString(), "--end-each-conversation", "--ablate-memory", "--report",
                report.toString(), "--model", bundle.toString());

        // Then every state figure is null with the reason, in the report, the table, the page and the ablation
        assertThat(code).as(console.err()).isEqualTo(ExitCode.OK);
        JsonNode json = CanonicalJson.readTree(Files.readAllBytes(report.resolve("report.json")));
        assertThat(json.path("finalState").path("f1").isNull()).isTrue();
        assertThat(json.path("finalState").path("conversationsWithoutState").asLong()).isEqualTo(2);
        assertThat(json.path("jointAccuracy").path("accuracy").isNull()).isTrue();
        assertThat(json.path("jointAccuracy").path("turnsWithoutState").asLong()).isEqualTo(2);
        assertThat(json.path("requestAccuracy").path("turnsWithoutRequested").asLong()).isEqualTo(2);
        assertThat(json.path("memoryAblation").path("metrics").path("finalStateF1").path("withMemory").isNull())
                .isTrue();
        assertThat(console.out()).contains("dialogue state: n/a", "per-turn joint accuracy: n/a",
                "request accuracy: n/a");
        assertThat(Files.readString(report.resolve("report.html"))).contains("<h3>Dialogue state</h3>",
                "n/a: the replies carry no state");
    }

    /**
     * A log of {@code conversations} one after the other, with {@code turns} each, whose turn 2 carries a belief
     * state (hotel area "river").
     */
    private Path logWithBeliefState(int conversations, int turns) throws IOException {
        return Files.writeString(dir.resolve("log.jsonl"), ReplayLogs.grouped(conversations, turns)
                .replace("\"turn\":2,", "\"turn\":2,\"annotations\":{\"belief_state\":{\"hotel\":{\"area\":"
                        + "\"river\"}}},"));
    }

    /** One utterance of a log, with its own time. */
    private static String timed(String conversation, int turn, String speaker, String text, String timestamp) {
        return String.format(Locale.ROOT, "{\"conversationId\":\"%s\",\"turn\":%d,\"speaker\":\"%s\","
                + "\"text\":\"%s\",\"timestamp\":\"%s\"}", conversation, turn, speaker, text, timestamp);
    }

    private byte[] replay(Path log, String output, String... options) throws IOException {
        Console console = new Console();
        Path out = dir.resolve(output);
        List<String> args = new ArrayList<>(List.of("replay", "--input", log.toString(), "--output", out.toString(),
                "--set", "kafka.application.id=replay-test"));
        args.addAll(List.of(options));
        int code = main(console).execute(args.toArray(String[]::new));
        assertThat(code).as(console.err()).isEqualTo(ExitCode.OK);
        return Files.readAllBytes(out);
    }

    private static Main main(Console console) {
        return new Main(console.context(Map.of(), new EchoPipelineFactory()));
    }

    private static long sum(JsonNode counts) {
        long sum = 0;
        for (JsonNode count : counts) {
            sum += count.asLong();
        }
        return sum;
    }

    private static List<String> lines(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8).lines().toList();
    }
}
