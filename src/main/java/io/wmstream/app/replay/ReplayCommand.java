package io.wmstream.app.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.app.cli.Args;
import io.wmstream.app.cli.Command;
import io.wmstream.app.cli.CommandContext;
import io.wmstream.app.cli.CommandFailedException;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.cli.ScratchDirectories;
import io.wmstream.app.cli.UsageException;
import io.wmstream.app.config.ConfigHelp;
import io.wmstream.app.config.ConfigLoader;
import io.wmstream.app.config.StreamsSettings;
import io.wmstream.app.evaluation.Evaluation;
import io.wmstream.app.evaluation.FactRecall;
import io.wmstream.app.evaluation.HeldOutSlice;
import io.wmstream.app.evaluation.MemoryAblation;
import io.wmstream.app.evaluation.PerplexityProbe;
import io.wmstream.app.report.HtmlReport;
import io.wmstream.app.security.KafkaAccessFailures;
import io.wmstream.model.ConversationModel;
import io.wmstream.model.inference.OnnxConversationModel;
import io.wmstream.schemas.event.ConversationEvent;
import io.wmstream.schemas.event.ConversationEventReader;
import io.wmstream.schemas.event.EventType;
import io.wmstream.schemas.event.ReadResult;
import io.wmstream.schemas.json.CanonicalJson;
import io.wmstream.topology.config.ModelFactory;
import io.wmstream.topology.config.TopologySettings;
import io.wmstream.topology.config.WmConfig;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.KafkaException;

/** {@code wmstream replay}: runs a JSONL event log through the topology offline and deterministically. */
public final class ReplayCommand implements Command {
    private static final long PROGRESS_EVERY_NANOS = 1_000_000_000L;
    /** {@code wm.batch.max.size} of a replay unless set: see {@link #replayDefaults()}. */
    static final int REPLAY_BATCH_MAX_SIZE = 8192;

    private final long progressEveryNanos;

    public ReplayCommand() {
        this(PROGRESS_EVERY_NANOS);
    }

    /** A replay command that updates its progress line at most every {@code progressEveryNanos} (tests). */
    ReplayCommand(long progressEveryNanos) {
        this.progressEveryNanos = progressEveryNanos;
    }

    @Override
    public String name() {
        return "replay";
    }

    @Override
    public String summary() {
        return "run a JSONL event log through the topology offline; write outputs and an evaluation";
    }

    @Override
    public String help() {
        return """
                Usage: wmstream replay --input LOG.jsonl[.gz] --output OUT.jsonl [options]
                       wmstream replay --from-topic TOPIC --bootstrap-servers HOST:PORT --output OUT.jsonl [options]

                Runs every line of the log through the same topology as 'run', offline (no broker), with time
                taken from the log: an event's timestamp, else the previous line's. A line has no Kafka timestamp,
                so the earliest time of it and the 1,024 lines after it stands in for one (lines dated before the
                previous line's are late and do not count): a line dated more than wm.event.time.max.skew.ms
                beyond the lines after it is dead-lettered future-timestamp, as live (limits: docs/operations.md,
                "Event time you cannot trust"). Lines are keyed by their conversationId; lines that are not valid
                events are sent with no key and dead-lettered as live.
                Outputs are the same bytes on every run, whatever wm.batch.max.size.
                Offline defaults (any source of settings overrides them): wm.batch.max.size 8192, as model calls
                take one utterance per conversation of a batch, and wm.model.parallel.calls = the cores.

                OUT.jsonl holds one JSON object per output record, in input order (the outputs of the first
                line first): {"topic":..., "key":..., "value":...}. Replies and summaries have their record
                value as a JSON object; dead letters have the original line as a JSON string (null, with
                "valueBase64", when it is not UTF-8) and "reason", the dead-letter reason code.

                An evaluation is printed at the end (docs/evaluation.md defines every figure):
                - fact recall of final summaries where the log carries dialogue states (MultiWOZ's
                  annotations.belief_state or SGD's annotations.frames[].state.slot_values), against
                  positional baselines and a greedy oracle cut to the summary's length;
                - replies against the log's own next turn of the other side: corpus BLEU-4 and mean ROUGE-L
                  F1, overall and per domain the log names (MultiWOZ dialogue acts, SGD services);
                - invented values: replies that state a number or code no earlier turn holds;
                - reply length, distinct-1/2, empty and degenerate rates; throughput, the model's share.

                Options:
                  --input FILE                 the event log (gzip is detected)
                  --from-topic TOPIC           instead of --input: a range of a topic on a live cluster, read
                                               committed, partition after partition (a record's own timestamp
                                               stands in for an event without one)
                  --bootstrap-servers H:P      the cluster of --from-topic (or kafka.bootstrap.servers)
                  --from-offset N, --to-offset N   the range in each partition (to is exclusive; default: all
                                               that is there when the replay starts)
                  --from-time T, --to-time T   the range by record time (RFC 3339 or epoch milliseconds)
                  --output FILE                where to write the outputs (JSONL)
                  --report DIR                 also write the evaluation as DIR/report.json, and as a page with
                                               charts, DIR/report.html (its PNG images beside it: fact recall,
                                               its distribution, reply length, perplexity, time)
                  --model DIR                  model bundle (same as --set wm.model.dir=DIR); give it twice to
                                               compare two models: outputs go to OUT.a.jsonl and OUT.b.jsonl,
                                               then the comparison of 'wmstream diff' follows (with fact
                                               recall deltas; DIR/report-a.json, report-b.json, diff.json, and
                                               report.html with both runs and the deltas)
                  --split NAME                 only lines whose "split" field is NAME (lines without one stay)
                  --slice held-out|training    only the conversations of the held-out slice (a hash of the
                                               conversation id puts one in ten there; docs/evaluation.md), or only
                                               the others (lines without a conversationId stay)
                  --ablate-memory              replay the log a second time with the memory reset before every
                                               utterance (the model sees only the current turn), into
                                               OUT.ablated.jsonl, and report every metric side by side
                  --perplexity                 also measure the perplexity of the turns the model does not
                                               answer (the system's), given the memory and with the memory reset
                                               before each; slower (the throughput then includes it)
                  --memories FILE              also write each conversation's final working memory, as the
                                               store holds it at the end: one JSON line per conversation, in
                                               id order, {"conversationId":..., "memoryBase64":...} (the bytes
                                               a live run's working-memory changelog ends with; with two
                                               --model, FILE.a and FILE.b; with --ablate-memory, the second
                                               run's in FILE.ablated); outputs are unchanged
                  --end-each-conversation      send an end event after each conversation's last line (the log
                                               must be grouped by conversation), so each gets a final summary
                  --export-mwzeval FILE        also write, for a MultiWOZ log, the input of the MultiWOZ end-to-end
                                               evaluator (mwzeval): per dialogue id (lower case, no .json) one
                                               {"response", "state"} per system turn (the reply to each user turn,
                                               delexicalised with mwzeval's placeholder names; the dialogue state
                                               in MultiWOZ 2.2 slot names); conversations whose ids are not
                                               MultiWOZ's are left out and counted, none at all is a failure (with
                                               two --model, FILE.a and FILE.b; with --ablate-memory, FILE.ablated)
                  --config FILE                properties file
                  --set KEY=VALUE              one setting, repeatable
                  -h, --help                   this text

                Progress (utterances/s, ETA) is shown on stderr when it is a terminal.
                Exit codes: 0 replayed; 1 the replay failed (unreadable log, model, output); 2 usage error.

                """ + ConfigHelp.precedence();
    }

    @Override
    public int run(List<String> argv, CommandContext context) throws UsageException, CommandFailedException {
        Args args = Args.spec().option("--input").option("--output").option("--report").repeatable("--model")
                .option("--split").option("--slice").option("--memories").option("--export-mwzeval")
                .flag("--end-each-conversation")
                .flag("--perplexity").flag("--ablate-memory")
                .option("--config").repeatable("--set")
                .option("--from-topic").option("--bootstrap-servers").option("--from-offset").option("--to-offset")
                .option("--from-time").option("--to-time").parse(argv);
        if (args.flag("--help")) {
            context.out().print(help());
            return ExitCode.OK;
        }
        if (args.value("--input").isPresent() == args.value("--from-topic").isPresent()) {
            throw new UsageException("which events? give --input LOG.jsonl or --from-topic TOPIC (one of them)");
        }
        Path output = Path.of(args.value("--output").orElseThrow(() -> new UsageException(
                "where to? give --output OUT.jsonl")));
        if (!Files.isDirectory(output.toAbsolutePath().getParent())) {
            throw new UsageException("no such directory for --output: " + output.toAbsolutePath().getParent());
        }
        EventSource.Opener input = args.value("--input").isPresent() ? fileInput(args.value("--input").get())
                : topicInput(args, context);
        List<String> models = args.values("--model");
        if (models.size() > 2) {
            throw new UsageException("--model compares at most two models, got " + models.size());
        }
        Path mwzeval = args.value("--export-mwzeval").map(Path::of).orElse(null);
        if (mwzeval != null && !Files.isDirectory(mwzeval.toAbsolutePath().getParent())) {
            throw new UsageException("no such directory for --export-mwzeval: " + mwzeval.toAbsolutePath()
                    .getParent());
        }
        Options options = new Options(args.value("--split").orElse(null), slice(args),
                args.flag("--end-each-conversation"), args.value("--report").map(Path::of).orElse(null),
                args.flag("--perplexity"), args.value("--memories").map(Path::of).orElse(null), mwzeval);
        boolean ablate = args.flag("--ablate-memory");
        if (ablate && models.size() == 2) {
            throw new UsageException("--ablate-memory compares one model with and without its memory; "
                    + "give at most one --model");
        }
        if (models.size() < 2) {
            WmConfig config = config(args, context, models.isEmpty() ? null : models.get(0));
            Run run = replayWith(config, input, output, options, false, context);
            if (!ablate) {
                writeReport(options, "report.json", run.report(), context);
                if (options.reportDir() != null) {
                    writePage(options, context, page(options, input, run, output, "")
                            .replay("Evaluation", "", run.report()));
                }
                return ExitCode.OK;
            }
            Path ablatedOutput = sibling(output, "ablated");
            context.out().println("== without memory: the same log, the memory reset before every utterance");
            // The probe already measured perplexity with the memory reset, in the run with memory.
            Run ablated = replayWith(config, input, ablatedOutput, options.withoutMemory(), true, context);
            ObjectNode ablation = MemoryAblation.compare(run.report(), ablated.report());
            context.out().print(MemoryAblation.table(ablation));
            run.report().set("memoryAblation", ablation);
            writeReport(options, "report.json", run.report(), context);
            writeReport(options, "report-ablated.json", ablated.report(), context);
            if (options.reportDir() != null) {
                writePage(options, context, page(options, input, run, output, "")
                        .about("output without memory", ablatedOutput.toString())
                        .ablation("What the memory adds", ablation)
                        .replay("Evaluation with memory", "", run.report())
                        .replay("Evaluation without memory", "ablated-", ablated.report()));
            }
            return ExitCode.OK;
        }
        // Two models: one replay each into OUT.a.jsonl and OUT.b.jsonl, then their comparison.
        Path outA = sibling(output, "a");
        Path outB = sibling(output, "b");
        context.out().println("== model A: " + models.get(0));
        Run runA = replayWith(config(args, context, models.get(0)), input, outA, options.tagged("a"), false,
                context);
        context.out().println("== model B: " + models.get(1));
        Run runB = replayWith(config(args, context, models.get(1)), input, outB, options.tagged("b"), false,
                context);
        ObjectNode reportA = runA.report();
        ObjectNode reportB = runB.report();
        ObjectNode diff = DiffCommand.compare(outA, outB, DiffCommand.SHOWN_DIFFERENCES);
        ObjectNode recall = diff.putObject("factRecall");
        for (String method : FactRecall.METHODS) {
            ObjectNode row = recall.putObject(method);
            double a = reportA.path("factRecall").path(method).asDouble();
            double b = reportB.path("factRecall").path(method).asDouble();
            row.put("a", a);
            row.put("b", b);
            row.put("delta", Math.round((b - a) * 10_000) / 10_000.0);
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
        context.out().println("== A vs B");
        context.out().print(DiffCommand.table(diff, outA, outB));
        writeReport(options, "report-a.json", reportA, context);
        writeReport(options, "report-b.json", reportB, context);
        writeReport(options, "diff.json", diff, context);
        if (options.reportDir() != null) {
            writePage(options, context, page(options, input, runA, outA, " A").about("model B", runB.model())
                    .about("output B", outB.toString())
                    .comparison("A vs B", models.get(0), models.get(1), diff)
                    .replay("Model A: " + models.get(0), "a-", reportA)
                    .replay("Model B: " + models.get(1), "b-", reportB));
        }
        return ExitCode.OK;
    }

    /** A row of a comparison: A's and B's figure and B minus A. */
    private static void deltaRow(ObjectNode section, String name, JsonNode a, JsonNode b) {
        ObjectNode row = section.putObject(name);
        row.put("a", a.asDouble());
        row.put("b", b.asDouble());
        row.put("delta", Math.round((b.asDouble() - a.asDouble()) * 10_000) / 10_000.0);
    }

    /** The report page's start: what ran on what; {@code tag} names the run when there are two. */
    private static HtmlReport page(Options options, EventSource.Opener input, Run run, Path output, String tag) {
        return new HtmlReport(options.reportDir(), "wmstream replay").about("input", input.describe()
                + (options.split() != null ? " (split " + options.split() + ")" : "")
                + (options.slice() != null ? " (slice " + options.slice().label() + ")" : ""))
                .about("model" + tag, run.model()).about("output" + tag, output.toString());
    }

    private static Slice slice(Args args) throws UsageException {
        Optional<String> raw = args.value("--slice");
        if (raw.isEmpty()) {
            return null;
        }
        for (Slice slice : Slice.values()) {
            if (slice.label().equals(raw.get())) {
                return slice;
            }
        }
        throw new UsageException("--slice expects held-out or training, got '" + raw.get() + "'");
    }

    /** The part of a dataset a replay keeps: {@link HeldOutSlice}'s conversations, or all the others. */
    enum Slice {
        HELD_OUT("held-out"),
        TRAINING("training");

        private final String label;

        Slice(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }

        /** Whether the slice keeps a log line: by its conversation id; a line without one is kept. */
        boolean keeps(JsonNode line) {
            JsonNode id = line.path("conversationId");
            return !id.isTextual() || HeldOutSlice.isHeldOut(id.asText()) == (this == HELD_OUT);
        }
    }

    /** Writes {@code report.html} and its charts into the report directory. */
    private static void writePage(Options options, CommandContext context, HtmlReport page)
            throws CommandFailedException {
        Path file;
        try {
            file = page.write("report.html");
        } catch (IOException e) {
            throw new CommandFailedException("cannot write the report " + options.reportDir().resolve("report.html")
                    + ": " + e.getMessage(), e);
        }
        context.out().println("report: " + file);
    }

    private static EventSource.Opener fileInput(String file) throws UsageException {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw new UsageException("no such file: " + file);
        }
        return FileEventSource.opener(path);
    }

    private static EventSource.Opener topicInput(Args args, CommandContext context) throws UsageException {
        String topic = args.value("--from-topic").get();
        WmConfig config = config(args, context, null);
        Properties properties = StreamsSettings.forClients(config);
        args.value("--bootstrap-servers").ifPresent(servers -> properties.put(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers));
        Object servers = properties.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        if (servers == null || servers.toString().isBlank()) {
            throw new UsageException("no Kafka to read from: give --bootstrap-servers HOST:PORT "
                    + "(or kafka.bootstrap.servers)");
        }
        TopicEventSource.Range range = new TopicEventSource.Range(longOption(args, "--from-offset"),
                longOption(args, "--to-offset"), time(args, "--from-time"), time(args, "--to-time"));
        return new EventSource.Opener() {
            @Override
            public EventSource open() throws IOException {
                try {
                    return new TopicEventSource(properties, topic, range);
                } catch (KafkaException | IllegalArgumentException e) {
                    throw new IOException(KafkaAccessFailures.oneLine(config, e, "cannot read topic " + topic + " on "
                            + servers + ": " + e.getMessage()), e);
                }
            }

            @Override
            public String describe() {
                return "topic " + topic;
            }
        };
    }

    private static Long longOption(Args args, String name) throws UsageException {
        Optional<String> raw = args.value(name);
        if (raw.isEmpty()) {
            return null;
        }
        try {
            long value = Long.parseLong(raw.get().trim());
            if (value < 0) {
                throw new UsageException(name + " must not be negative, got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " expects an offset, got '" + raw.get() + "'");
        }
    }

    /** An RFC 3339 time or epoch milliseconds. */
    private static Long time(Args args, String name) throws UsageException {
        Optional<String> raw = args.value(name);
        if (raw.isEmpty()) {
            return null;
        }
        String text = raw.get().trim();
        try {
            return text.chars().allMatch(Character::isDigit) ? Long.parseLong(text)
                    : OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new UsageException(name + " expects an RFC 3339 time or epoch milliseconds, got '" + text + "'");
        }
    }

    private static WmConfig config(Args args, CommandContext context, String modelDir) throws UsageException {
        Map<String, String> overrides = new HashMap<>();
        if (modelDir != null) {
            overrides.put(WmConfig.MODEL_DIR_CONFIG, modelDir);
        }
        return new ConfigLoader(context.environment()).load(args, replayDefaults(), overrides);
    }

    /**
     * Where a replay's defaults differ from the service's, below every setting the user gives. Nobody waits for a
     * reply, so batches are as large as waves can fill: a log holds its conversations one after the other, and a
     * model call takes one utterance of each conversation in the batch, so 8192 lines (about 560 MultiWOZ
     * conversations) make calls of up to 560 rows where the service's 64 make calls of about 3 (larger calls also
     * let the model group utterances of nearly equal length, as it pads a call to its longest). And no Kafka threads
     * share the cores, so the model has them all, as one call per core (independent calls need no wake-ups inside
     * an operator, which two intra-op threads do). Outputs are the same bytes whatever these settings are.
     */
    static Map<String, String> replayDefaults() {
        return Map.of(WmConfig.BATCH_MAX_SIZE_CONFIG, Integer.toString(REPLAY_BATCH_MAX_SIZE),
                WmConfig.MODEL_PARALLEL_CALLS_CONFIG, Integer.toString(Runtime.getRuntime().availableProcessors()),
                WmConfig.MODEL_INTRA_OP_THREADS_CONFIG, "1");
    }

    /** {@code out.jsonl} with {@code tag}: {@code out.a.jsonl}. */
    private static Path sibling(Path output, String tag) {
        String name = output.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String renamed = dot > 0 ? name.substring(0, dot) + "." + tag + name.substring(dot) : name + "." + tag;
        return output.resolveSibling(renamed);
    }

    /** A replay's evaluation and the model that ran it, by name and version. */
    private record Run(ObjectNode report, String model) {
    }

    /** One replay; {@code withoutMemory} resets the memory before every utterance ({@link MemorylessModel}). */
    private Run replayWith(WmConfig config, EventSource.Opener input, Path output, Options options,
            boolean withoutMemory, CommandContext context) throws CommandFailedException {
        ConversationModel opened;
        try {
            opened = ModelFactory.open(config);
        } catch (RuntimeException e) {
            throw new CommandFailedException("cannot open the model: " + e.getMessage(), e);
        }
        Path stateDir = null;
        try (TimedModel model = new TimedModel(withoutMemory ? new MemorylessModel(opened) : opened)) {
            PerplexityProbe probe = null;
            if (options.perplexity()) {
                if (!(opened instanceof OnnxConversationModel onnx)) {
                    throw new CommandFailedException("--perplexity needs the ONNX model runtime");
                }
                probe = new PerplexityProbe(model, onnx);
            }
            // Next to the output rather than in the OS temp directory, which Streams warns about (it may be cleared).
            Path parent = output.toAbsolutePath().getParent();
            stateDir = Files.createTempDirectory(parent, ".wmstream-replay-state-");
            ObjectNode report = replay(config, model, probe, stateDir, input, output, options, context);
            context.out().print(Evaluation.table(report));
            return new Run(report, opened.info().name() + " " + opened.info().version());
        } catch (IOException | UncheckedIOException e) {
            throw new CommandFailedException("replay failed: " + e.getMessage(), e);
        } finally {
            ScratchDirectories.deleteQuietly(stateDir);
        }
    }

    private static void writeReport(Options options, String name, ObjectNode report, CommandContext context)
            throws CommandFailedException {
        if (options.reportDir() == null) {
            return;
        }
        Path file = options.reportDir().resolve(name);
        try {
            Files.createDirectories(options.reportDir());
            Files.write(file, CanonicalJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(report));
        } catch (IOException e) {
            throw new CommandFailedException("cannot write the report " + file + ": " + e.getMessage(), e);
        }
        context.out().println("report: " + file);
    }

    /**
     * What a replay does beyond piping the log; {@code memories} is null when final memories are not written,
     * {@code mwzeval} when the evaluator's input is not.
     */
    private record Options(String split, Slice slice, boolean endEachConversation, Path reportDir,
            boolean perplexity, Path memories, Path mwzeval) {
        /** The options of one of two models' replays: its memories and export go to their own files. */
        Options tagged(String tag) {
            return new Options(split, slice, endEachConversation, reportDir, perplexity,
                    memories == null ? null : sibling(memories, tag), mwzeval == null ? null : sibling(mwzeval, tag));
        }

        /** The options of the replay without memory: no perplexity (measured in the first), its own files. */
        Options withoutMemory() {
            return new Options(split, slice, endEachConversation, reportDir, false,
                    memories == null ? null : sibling(memories, "ablated"),
                    mwzeval == null ? null : sibling(mwzeval, "ablated"));
        }
    }

    private ObjectNode replay(WmConfig config, TimedModel model, PerplexityProbe probe, Path stateDir,
            EventSource.Opener input, Path output, Options options, CommandContext context) throws IOException {
        Evaluation evaluation = new Evaluation();
        TopologySettings settings = TopologySettings.from(config);
        ConversationEventReader reader = new ConversationEventReader(settings.eventLimits());
        MwzevalExport export = options.mwzeval() != null ? new MwzevalExport(settings.replyRoles()) : null;
        long started = System.nanoTime();
        try (EventSource source = input.open();
                OutputStream out = new BufferedOutputStream(Files.newOutputStream(output), 1 << 16);
                Replayer replayer = new Replayer(config, probe != null ? probe : model, stateDir, record -> {
                    out.write(CanonicalJson.mapper().writeValueAsBytes(record.toJson()));
                    out.write('\n');
                    if (record.deadLetter()) {
                        evaluation.onDeadLetter();
                    } else {
                        evaluation.onOutput(record.valueJson());
                        if (export != null && record.topic().equals(settings.topics().replies())) {
                            export.onReply(record.valueJson());
                        }
                    }
                })) {
            Feeder feeder = new Feeder(replayer, evaluation, export, options.endEachConversation());
            ArrivalTimes.Sink<Line> feed = (line, arrivalMs) -> feeder.feed(line, arrivalMs);
            // A file's lines are held back until the lines after them give them a stand-in arrival time.
            ArrivalTimes<Line> arrivals = source.recordTimes() ? null : new ArrivalTimes<>();
            long nextProgress = started + progressEveryNanos;
            for (EventSource.SourceRecord record = source.next(); record != null; record = source.next()) {
                JsonNode json = CanonicalJson.readObjectOrNull(record.value());
                if (options.split() != null && json != null && json.path("split").isTextual()
                        && !options.split().equals(json.path("split").asText())) {
                    continue;
                }
                if (options.slice() != null && json != null && !options.slice().keeps(json)) {
                    continue;
                }
                Line line = Line.read(record.value(), json, reader);
                if (arrivals == null) {
                    feed.accept(line, record.timestampMs());
                } else {
                    arrivals.add(line, line.ownTimeMs(), feed);
                }
                if (context.interactive() && System.nanoTime() >= nextProgress) {
                    nextProgress = System.nanoTime() + progressEveryNanos;
                    progress(context, evaluation.utterances(), feeder.conversations(), started, source.done());
                }
            }
            if (arrivals != null) {
                arrivals.finish(feed);
            }
            feeder.finish();
            if (options.memories() != null) {
                writeMemories(replayer, options.memories());
            }
            if (export != null) {
                writeMwzeval(export, options.mwzeval(), context);
            }
            if (context.interactive()) {
                context.err().print("\r\033[K");
                context.err().flush();
            }
        }
        long elapsed = System.nanoTime() - started;
        ObjectNode report = evaluation.toJson(elapsed, model.nanos());
        if (probe != null) {
            Evaluation.putPerplexity(report, probe.withMemory(), probe.reset(), probe.tokens(), probe.nanos());
        }
        context.out().printf(Locale.ROOT, "replayed %s: %d lines, %d utterances in %.1f s -> %s%n",
                input.describe(), report.path("input").path("lines").asLong(), evaluation.utterances(),
                elapsed / 1e9, output);
        return report;
    }

    /** Writes the MultiWOZ evaluator's input and says what it holds; a log without a MultiWOZ dialogue fails. */
    private static void writeMwzeval(MwzevalExport export, Path file, CommandContext context) throws IOException {
        MwzevalExport.Written written = export.write(file);
        if (written.dialogues() == 0) {
            Files.deleteIfExists(file);
            throw new IOException("--export-mwzeval: none of the " + written.leftOut() + " conversations has a "
                    + "MultiWOZ dialogue id (such as PMUL4398 or SNG0073.json, the first was '"
                    + written.firstLeftOut() + "'); mwzeval scores MultiWOZ dialogues only");
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "mwzeval: %d dialogues, %d system turns -> %s; placeholders:", written.dialogues(), written.turns(),
                file));
        written.placeholders().forEach((name, count) -> line.append(' ').append(name).append(' ').append(count));
        if (written.unanswered() > 0) {
            line.append("; ").append(written.unanswered()).append(" user turns had no reply (empty response)");
        }
        if (written.leftOut() > 0) {
            line.append("; left out ").append(written.leftOut()).append(" conversations whose ids are not "
                    + "MultiWOZ's (the first: ").append(written.firstLeftOut()).append(')');
        }
        context.out().println(line);
    }

    /**
     * The final memories, so that a live run can be checked against them (its working-memory changelog ends with
     * the same bytes): base64, since the stored form is binary.
     */
    private static void writeMemories(Replayer replayer, Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            replayer.eachMemory((id, memory) -> {
                ObjectNode line = CanonicalJson.mapper().createObjectNode();
                line.put("conversationId", id);
                line.put("memoryBase64", Base64.getEncoder().encodeToString(memory));
                out.write(CanonicalJson.mapper().writeValueAsBytes(line));
                out.write('\n');
            });
        }
    }

    private static void progress(CommandContext context, long utterances, long conversations, long started,
            double done) {
        double seconds = (System.nanoTime() - started) / 1e9;
        String eta = done > 0 ? String.format(Locale.ROOT, "%.0f s", seconds * (1 - done) / done) : "?";
        double elapsed = Math.max(seconds, 1e-9);
        context.err().printf(Locale.ROOT, "\r%d conversations (%.0f/s), %d utterances (%.0f utterances/s), %.0f%%, "
                + "ETA %s ", conversations, conversations / elapsed, utterances, utterances / elapsed, 100 * done, eta);
        context.err().flush();
    }

    /** One line of the source: its bytes, its JSON (null when it is not an object) and its event, if it is one. */
    private record Line(byte[] value, JsonNode json, ConversationEvent event) {
        static Line read(byte[] value, JsonNode json, ConversationEventReader reader) {
            ConversationEvent event = value != null && reader.read(value) instanceof ReadResult.Accepted accepted
                    ? accepted.event() : null;
            return new Line(value, json, event);
        }

        /** The event's own time, or -1 when it is no event or has none. */
        long ownTimeMs() {
            return event != null && event.timestampMillis() != null && event.timestampMillis() >= 0
                    ? event.timestampMillis() : -1;
        }
    }

    /** Keys, times and (optionally) closes conversations, then pipes each line. */
    private static final class Feeder {
        private final Replayer replayer;
        private final Evaluation evaluation;
        private final MwzevalExport export;
        private final boolean endEachConversation;
        private long timestampMs;
        private String current;
        private long conversations;

        /** {@code export} is null when the MultiWOZ evaluator's input is not written. */
        Feeder(Replayer replayer, Evaluation evaluation, MwzevalExport export, boolean endEach) {
            this.replayer = replayer;
            this.evaluation = evaluation;
            this.export = export;
            this.endEachConversation = endEach;
        }

        /**
         * Pipes one line; {@code recordTimestampMs} is its record's time (a topic's own, or a JSONL line's stand-in
         * arrival time from {@link ArrivalTimes}), or -1 when it has none: then the previous line's stands in.
         */
        void feed(Line line, long recordTimestampMs) throws IOException {
            ConversationEvent event = line.event();
            if (recordTimestampMs >= 0) {
                timestampMs = recordTimestampMs;
            }
            if (event == null) {
                // Not an event: no key, so it is dead-lettered exactly as a live run does.
                evaluation.onInput(null, line.json());
                replayer.pipe(null, line.value(), timestampMs);
                return;
            }
            if (!event.conversationId().equals(current)) {
                endCurrent();
                current = event.conversationId();
                conversations++;
            }
            // The record's time is the reference the topology judges the event's own time against, as live: one too
            // far ahead of it (and of the stream's time) is dead-lettered future-timestamp.
            evaluation.onInput(event, line.json());
            if (export != null) {
                export.onInput(event);
            }
            replayer.pipe(event.conversationId().getBytes(StandardCharsets.UTF_8), line.value(), timestampMs);
            if (event.type() == EventType.END || event.type() == EventType.FORGET) {
                // Already closed by the log itself: another end would summarize an empty conversation.
                current = null;
            }
        }

        void finish() throws IOException {
            endCurrent();
            replayer.flush();
        }

        long conversations() {
            return conversations;
        }

        private void endCurrent() throws IOException {
            if (endEachConversation && current != null) {
                ObjectNode end = CanonicalJson.mapper().createObjectNode();
                end.put("type", "end");
                end.put("conversationId", current);
                replayer.pipe(current.getBytes(StandardCharsets.UTF_8),
                        CanonicalJson.mapper().writeValueAsBytes(end), timestampMs);
            }
            current = null;
        }
    }
}
