package io.wmstream.app.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.app.cli.CommandContext;
import io.wmstream.app.cli.CommandFailedException;
import io.wmstream.app.evaluation.MemoryAblation;
import io.wmstream.topology.config.WmConfig;
import java.nio.file.Path;

/**
 * The run mode of {@code replay --ablate-memory}: the log replayed with the working memory, then again with it
 * reset before every utterance into {@code OUT.ablated.jsonl}, and every metric side by side.
 */
final class AblationReplay {
    private AblationReplay() {
    }

    static void run(LogReplay replays, ReplayReports reports, WmConfig config, EventSource.Opener input,
            Path output, ReplayOptions options, CommandContext context) throws CommandFailedException {
        ReplayResult run = replays.run(config, input, output, options, false);
        Path ablatedOutput = ReplayOptions.sibling(output, "ablated");
        context.out().println("== without memory: the same log, the memory reset before every utterance");
        // The probe already measured perplexity with the memory reset, in the run with memory.
        ReplayResult ablated = replays.run(config, input, ablatedOutput, options.withoutMemory(), true);
        ObjectNode ablation = MemoryAblation.compare(run.report(), ablated.report());
        context.out().print(MemoryAblation.table(ablation));
        run.report().set("memoryAblation", ablation);
        reports.writeJson("report.json", run.report());
        reports.writeJson("report-ablated.json", ablated.report());
        if (reports.enabled()) {
            reports.writePage(reports.page(run, output, "")
                    .about("output without memory", ablatedOutput.toString())
                    .ablation("What the memory adds", ablation)
                    .replay("Evaluation with memory", "", run.report())
                    .replay("Evaluation without memory", "ablated-", ablated.report()));
        }
    }
}
