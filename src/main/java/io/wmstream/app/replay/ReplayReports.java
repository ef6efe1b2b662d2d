package io.wmstream.app.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.app.cli.CommandContext;
import io.wmstream.app.cli.CommandFailedException;
import io.wmstream.app.report.HtmlReport;
import io.wmstream.schemas.json.CanonicalJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The report directory of a replay ({@code --report DIR}): its JSON reports and its page with charts, each
 * announced on the console when written. Without a directory nothing is written.
 */
final class ReplayReports {
    private final Path dir;
    private final EventSource.Opener input;
    private final LineSelection selection;
    private final CommandContext context;

    /** The reports of a replay of {@code input}'s {@code selection} into {@code dir} (null: no reports). */
    ReplayReports(Path dir, EventSource.Opener input, LineSelection selection, CommandContext context) {
        this.dir = dir;
        this.input = input;
        this.selection = selection;
        this.context = context;
    }

    /** Whether there is a report directory, so a page is worth building. */
    boolean enabled() {
        return dir != null;
    }

    /** Writes {@code report} as {@code DIR/name}, pretty-printed. */
    void writeJson(String name, ObjectNode report) throws CommandFailedException {
        if (dir == null) {
            return;
        }
        Path file = dir.resolve(name);
        try {
            Files.createDirectories(dir);
            Files.write(file, CanonicalJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(report));
        } catch (IOException e) {
            throw new CommandFailedException("cannot write the report " + file + ": " + e.getMessage(), e);
        }
        context.out().println("report: " + file);
    }

    /**
     * The page's start, to add sections to: what ran on what, {@code run} being the replay into {@code output};
     * {@code tag} names the run when there are two.
     */
    HtmlReport page(ReplayResult run, Path output, String tag) {
        return new HtmlReport(dir, "wmstream replay").about("input", input.describe() + selection.describe())
                .about("model" + tag, run.model()).about("output" + tag, output.toString());
    }

    /** Writes {@code page} as {@code DIR/report.html} with its charts. */
    void writePage(HtmlReport page) throws CommandFailedException {
        Path file;
        try {
            file = page.write("report.html");
        } catch (IOException e) {
            throw new CommandFailedException("cannot write the report " + dir.resolve("report.html") + ": "
                    + e.getMessage(), e);
        }
        context.out().println("report: " + file);
    }
}
