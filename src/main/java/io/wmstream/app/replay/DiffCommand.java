package io.wmstream.app.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.app.cli.Args;
import io.wmstream.app.cli.Command;
import io.wmstream.app.cli.CommandContext;
import io.wmstream.app.cli.CommandFailedException;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.cli.UsageException;
import io.wmstream.app.evaluation.Evaluation;
import io.wmstream.app.produce.EventLogReader;
import io.wmstream.app.report.HtmlReport;
import io.wmstream.schemas.json.CanonicalJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** {@code wmstream diff}: compares two replay outputs conversation by conversation, with metric deltas. */
public final class DiffCommand implements Command {
    static final int SHOWN_DIFFERENCES = 5;
    private static final int SHOWN_CHARS = 160;
    private static final List<String> REPLY_METRICS = List.of("count", "meanWords", "meanTokens", "distinct1",
            "distinct2", "emptyRate", "degenerateRate");

    @Override
    public String name() {
        return "diff";
    }

    @Override
    public String summary() {
        return "compare two replay outputs conversation by conversation";
    }

    @Override
    public String help() {
        return """
                Usage: wmstream diff [options] A.jsonl B.jsonl

                Compares two outputs of 'wmstream replay' (for instance of two models, or two configurations,
                on one log): which conversations differ, how many of their records, the first differences, and
                the reply metrics of each side with their deltas (B - A).

                Options:
                  --report DIR    also write the comparison as DIR/diff.json, and as a page with charts,
                                  DIR/diff.html (its PNG images beside it)
                  --show N        how many differing conversations to show (default 5)
                  -h, --help      this text

                Exit codes: 0 compared (whether or not they differ); 1 a file could not be read; 2 usage error.
                """;
    }

    @Override
    public int run(List<String> argv, CommandContext context) throws UsageException, CommandFailedException {
        Args args = Args.spec().option("--report").option("--show").positionals(2, "files").parse(argv);
        if (args.flag("--help")) {
            context.out().print(help());
            return ExitCode.OK;
        }
        if (args.positionals().size() != 2) {
            throw new UsageException("give two replay outputs: A.jsonl B.jsonl");
        }
        int show = args.intValue("--show", 0, 1_000_000).orElse(SHOWN_DIFFERENCES);
        Path a = existing(args.positionals().get(0));
        Path b = existing(args.positionals().get(1));
        ObjectNode diff = compare(a, b, show);
        context.out().print(table(diff, a, b));
        if (args.value("--report").isPresent()) {
            Path dir = Path.of(args.value("--report").get());
            Path page;
            try {
                Files.createDirectories(dir);
                Files.write(dir.resolve("diff.json"),
                        CanonicalJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(diff));
                page = new HtmlReport(dir, "wmstream diff").about("A", a.toString()).about("B", b.toString())
                        .comparison("A vs B", a.toString(), b.toString(), diff).write("diff.html");
            } catch (IOException e) {
                throw new CommandFailedException("cannot write the report to " + dir + ": " + e.getMessage(), e);
            }
            context.out().println("report: " + dir.resolve("diff.json"));
            context.out().println("report: " + page);
        }
        return ExitCode.OK;
    }

    private static Path existing(String file) throws UsageException {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw new UsageException("no such file: " + file);
        }
        return path;
    }

    /** One replay output: its records' lines per conversation, in output order, and its metrics. */
    private record Side(Map<String, List<String>> conversations, ObjectNode metrics) {
    }

    private static Side read(Path file) throws CommandFailedException {
        Map<String, List<String>> conversations = new TreeMap<>();
        Evaluation evaluation = new Evaluation();
        try (InputStream in = Files.newInputStream(file); EventLogReader lines = new EventLogReader(in)) {
            while (lines.hasNext()) {
                EventLogReader.Line line = lines.next();
                JsonNode record;
                try {
                    record = CanonicalJson.readTree(line.bytes());
                } catch (IOException e) {
                    throw new CommandFailedException(file + " line " + line.number() + " is not a replay output "
                            + "record: " + e.getMessage(), e);
                }
                String key = record.path("key").isTextual() ? record.path("key").asText() : "(no key)";
                conversations.computeIfAbsent(key, k -> new ArrayList<>())
                        .add(new String(line.bytes(), StandardCharsets.UTF_8));
                feed(evaluation, record);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new CommandFailedException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return new Side(conversations, evaluation.toJson(0, 0));
    }

    /** An output line to the evaluation: dead letters carry a reason, replies and summaries an object value. */
    private static void feed(Evaluation evaluation, JsonNode record) {
        if (record.has("reason")) {
            evaluation.onDeadLetter();
        } else if (record.path("value").isObject()) {
            evaluation.onOutput(record.path("value"));
        }
    }

    /** The comparison of two replay outputs, as {@code diff.json} holds it. */
    static ObjectNode compare(Path a, Path b, int show) throws CommandFailedException {
        return compare(read(a), read(b), show);
    }

    private static ObjectNode compare(Side a, Side b, int show) {
        ObjectNode diff = CanonicalJson.mapper().createObjectNode();
        TreeSet<String> all = new TreeSet<>(a.conversations().keySet());
        all.addAll(b.conversations().keySet());
        int onlyA = 0;
        int onlyB = 0;
        int same = 0;
        int different = 0;
        long differingRecords = 0;
        var shown = CanonicalJson.mapper().createArrayNode();
        for (String id : all) {
            List<String> left = a.conversations().getOrDefault(id, List.of());
            List<String> right = b.conversations().getOrDefault(id, List.of());
            if (left.isEmpty()) {
                onlyB++;
            } else if (right.isEmpty()) {
                onlyA++;
            }
            if (left.equals(right)) {
                same++;
                continue;
            }
            different++;
            int first = -1;
            for (int i = 0; i < Math.max(left.size(), right.size()); i++) {
                String x = i < left.size() ? left.get(i) : null;
                String y = i < right.size() ? right.get(i) : null;
                if (x == null || !x.equals(y)) {
                    differingRecords++;
                    if (first < 0) {
                        first = i;
                    }
                }
            }
            if (shown.size() < show) {
                ObjectNode entry = shown.addObject();
                entry.put("conversation", id);
                entry.put("records", left.size() + " vs " + right.size());
                entry.put("a", first < left.size() ? left.get(first) : null);
                entry.put("b", first < right.size() ? right.get(first) : null);
            }
        }
        ObjectNode conversations = diff.putObject("conversations");
        conversations.put("total", all.size());
        conversations.put("identical", same);
        conversations.put("different", different);
        conversations.put("onlyInA", onlyA);
        conversations.put("onlyInB", onlyB);
        diff.put("differingRecords", differingRecords);
        ObjectNode replies = diff.putObject("replies");
        for (String metric : REPLY_METRICS) {
            ObjectNode row = replies.putObject(metric);
            double x = a.metrics().path("replies").path(metric).asDouble();
            double y = b.metrics().path("replies").path(metric).asDouble();
            row.put("a", x);
            row.put("b", y);
            row.put("delta", Math.round((y - x) * 10_000) / 10_000.0);
        }
        ObjectNode words = diff.putObject("replyWordsHistogram");
        words.set("a", a.metrics().path("replyWordsHistogram"));
        words.set("b", b.metrics().path("replyWordsHistogram"));
        diff.set("firstDifferences", shown);
        return diff;
    }

    /** The comparison as a terminal table. */
    static String table(JsonNode diff, Path a, Path b) {
        StringBuilder text = new StringBuilder();
        JsonNode conversations = diff.path("conversations");
        text.append(String.format(Locale.ROOT, "A = %s%nB = %s%n", a, b));
        text.append(String.format(Locale.ROOT, "conversations: %d, identical %d, different %d (only in A %d, only "
                + "in B %d); %d records differ%n", conversations.path("total").asInt(),
                conversations.path("identical").asInt(), conversations.path("different").asInt(),
                conversations.path("onlyInA").asInt(), conversations.path("onlyInB").asInt(),
                diff.path("differingRecords").asLong()));
        text.append(String.format(Locale.ROOT, "%n%-16s %12s %12s %12s%n", "replies", "A", "B", "B - A"));
        diff.path("replies").properties().forEach(row -> text.append(String.format(Locale.ROOT,
                "%-16s %12.4f %12.4f %+12.4f%n", row.getKey(), row.getValue().path("a").asDouble(),
                row.getValue().path("b").asDouble(), row.getValue().path("delta").asDouble())));
        if (diff.has("factRecall")) {
            text.append(String.format(Locale.ROOT, "%n%-16s %12s %12s %12s%n", "fact recall", "A", "B", "B - A"));
            diff.path("factRecall").properties().forEach(row -> text.append(String.format(Locale.ROOT,
                    "%-16s %12.4f %12.4f %+12.4f%n", row.getKey(), row.getValue().path("a").asDouble(),
                    row.getValue().path("b").asDouble(), row.getValue().path("delta").asDouble())));
        }
        if (diff.has("replyQuality")) {
            text.append(String.format(Locale.ROOT, "%n%-16s %12s %12s %12s%n", "reply quality", "A", "B", "B - A"));
            diff.path("replyQuality").properties().forEach(row -> text.append(String.format(Locale.ROOT,
                    "%-16s %12.4f %12.4f %+12.4f%n", row.getKey(), row.getValue().path("a").asDouble(),
                    row.getValue().path("b").asDouble(), row.getValue().path("delta").asDouble())));
        }
        if (diff.has("dialogueState")) {
            text.append(String.format(Locale.ROOT, "%n%-16s %12s %12s %12s%n", "dialogue state", "A", "B", "B - A"));
            diff.path("dialogueState").properties().forEach(row -> text.append(String.format(Locale.ROOT,
                    "%-16s %12.4f %12.4f %+12.4f%n", row.getKey(), row.getValue().path("a").asDouble(),
                    row.getValue().path("b").asDouble(), row.getValue().path("delta").asDouble())));
        }
        for (JsonNode entry : diff.path("firstDifferences")) {
            text.append(String.format(Locale.ROOT, "%n%s (%s records):%n  A: %s%n  B: %s%n",
                    entry.path("conversation").asText(), entry.path("records").asText(),
                    clip(entry.path("a").asText("(none)")), clip(entry.path("b").asText("(none)"))));
        }
        return text.toString();
    }

    /**
     * The dialogue-state figures of two replay reports, A's, B's and B minus A, each only where both reports have it
     * (a model that tracks no state has no figure, not a zero): {@code finalStateF1}, {@code jointAccuracy},
     * {@code requestAccuracy}.
     */
    static ObjectNode dialogueState(JsonNode reportA, JsonNode reportB) {
        ObjectNode state = CanonicalJson.mapper().createObjectNode();
        for (String[] metric : new String[][] {{"finalStateF1", "finalState", "f1"},
                {"jointAccuracy", "jointAccuracy", "accuracy"}, {"requestAccuracy", "requestAccuracy", "accuracy"}}) {
            JsonNode a = reportA.path(metric[1]).path(metric[2]);
            JsonNode b = reportB.path(metric[1]).path(metric[2]);
            if (a.isNumber() && b.isNumber()) {
                ObjectNode row = state.putObject(metric[0]);
                row.put("a", a.asDouble());
                row.put("b", b.asDouble());
                row.put("delta", Math.round((b.asDouble() - a.asDouble()) * 10_000) / 10_000.0);
            }
        }
        return state;
    }

    private static String clip(String line) {
        return line.length() <= SHOWN_CHARS ? line : line.substring(0, SHOWN_CHARS) + "...";
    }
}
