package io.wmstream.app.replay;

import io.wmstream.app.cli.CommandFailedException;
import io.wmstream.topology.config.WmConfig;
import java.nio.file.Path;

/** The plain run mode of {@code replay}: one model, one replay, its evaluation as {@code report.json} and a page. */
final class SingleReplay {
    private SingleReplay() {
    }

    static void run(LogReplay replays, ReplayReports reports, WmConfig config, EventSource.Opener input,
            Path output, ReplayOptions options) throws CommandFailedException {
        ReplayResult run = replays.run(config, input, output, options, false);
        reports.writeJson("report.json", run.report());
        if (reports.enabled()) {
            reports.writePage(reports.page(run, output, "").replay("Evaluation", "", run.report()));
        }
    }
}
