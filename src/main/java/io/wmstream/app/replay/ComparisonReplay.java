package io.wmstream.app.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.app.cli.CommandContext;
import io.wmstream.app.cli.CommandFailedException;
import io.wmstream.app.evaluation.FactRecall;
import io.wmstream.topology.config.WmConfig;
import java.nio.file.Path;

/**
 * The run mode of {@code replay} with two {@code --model}: one replay each into {@code OUT.a.jsonl} and
 * {@code OUT.b.jsonl}, then their comparison as {@code wmstream diff} makes it, with the deltas (B minus A) of
 * fact recall and reply quality from the two evaluations.
 */
final class ComparisonReplay {
    private ComparisonReplay() {
    }

    /** Model A ({@code modelA}, run with {@code configA}) against model B. */
    static void run(LogReplay replays, ReplayReports reports, EventSource.Opener input, Path output,
            ReplayOptions options, String modelA, WmConfig configA, String modelB, WmConfig configB,
            CommandContext context) throws CommandFailedException {
        Path outA = ReplayOptions.sibling(output, "a");
        Path outB = ReplayOptions.sibling(output, "b");
        context.out().println("== model A: " + modelA);
        ReplayResult runA = replays.run(configA, input, outA, options.tagged("a"), false);
        context.out().println("== model B: " + modelB);
        ReplayResult runB = replays.run(configB, input, outB, options.tagged("b"), false);
        ObjectNode diff = compare(outA, outB, runA.report(), runB.report());
        context.out().println("== A vs B");
        context.out().print(DiffCommand.table(diff, outA, outB));
        reports.writeJson("report-a.json", runA.report());
        reports.writeJson("report-b.json", runB.report());
        reports.writeJson("diff.json", diff);
        if (reports.enabled()) {
            reports.writePage(reports.page(runA, outA, " A").about("model B", runB.model())
                    .about("output B", outB.toString())
                    .comparison("A vs B", modelA, modelB, diff)
                    .replay("Model A: " + modelA, "a-", runA.report())
                    .replay("Model B: " + modelB, "b-", runB.report()));
        }
    }

    /**
     * The comparison of the two outputs ({@link DiffCommand#compare}), with the deltas of fact recall per method,
     * of reply quality and of the dialogue state from their evaluations.
     */
    static ObjectNode compare(Path outA, Path outB, JsonNode reportA, JsonNode reportB)
            throws CommandFailedException {
        ObjectNode diff = DiffCommand.compare(outA, outB, DiffCommand.SHOWN_DIFFERENCES);
        ObjectNode recall = diff.putObject("factRecall");
        for (String method : FactRecall.METHODS) {
            deltaRow(recall, method, reportA.path("factRecall").path(method), reportB.path("factRecall")
                    .path(method));
        }
        ObjectNode quality = diff.putObject("replyQuality");
        deltaRow(quality, "bleu4", reportA.path("replyReferences").path("bleu4"),
                reportB.path("replyReferences").path("bleu4"));
        deltaRow(quality, "rougeL", reportA.path("replyReferences").path("rougeL"),
                reportB.path("replyReferences").path("rougeL"));
        deltaRow(quality, "inventedRate", reportA.path("inventedValues").path("rate"),
                reportB.path("inventedValues").path("rate"));
        ObjectNode state = DiffCommand.dialogueState(reportA, reportB);
        if (!state.isEmpty()) {
            diff.set("dialogueState", state);
        }
        return diff;
    }

    /** A row of a comparison: A's and B's figure and B minus A. */
    private static void deltaRow(ObjectNode section, String name, JsonNode a, JsonNode b) {
        ObjectNode row = section.putObject(name);
        row.put("a", a.asDouble());
        row.put("b", b.asDouble());
        row.put("delta", Math.round((b.asDouble() - a.asDouble()) * 10_000) / 10_000.0);
    }
}
