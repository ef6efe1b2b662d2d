package io.wmstream.app.replay;

import io.wmstream.app.cli.Args;
import io.wmstream.app.cli.Command;
import io.wmstream.app.cli.CommandContext;
import io.wmstream.app.cli.CommandFailedException;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.cli.UsageException;
import io.wmstream.app.config.ConfigHelp;
import io.wmstream.app.config.ConfigLoader;
import io.wmstream.topology.config.WmConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code wmstream replay}: runs a JSONL event log through the topology offline and deterministically. The command
 * is its options and their checks; {@link ReplayInputs} opens the events, {@link SingleReplay},
 * {@link AblationReplay} and {@link ComparisonReplay} are its run modes, each made of {@link LogReplay}s, and
 * {@link ReplayReports} writes what they report.
 */
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
        EventSource.Opener input = args.value("--input").isPresent() ? ReplayInputs.file(args.value("--input").get())
                : ReplayInputs.topic(args, config(args, context, null));
        List<String> models = args.values("--model");
        if (models.size() > 2) {
            throw new UsageException("--model compares at most two models, got " + models.size());
        }
        Path mwzeval = args.value("--export-mwzeval").map(Path::of).orElse(null);
        if (mwzeval != null && !Files.isDirectory(mwzeval.toAbsolutePath().getParent())) {
            throw new UsageException("no such directory for --export-mwzeval: " + mwzeval.toAbsolutePath()
                    .getParent());
        }
        ReplayOptions options = new ReplayOptions(ReplayInputs.selection(args), args.flag("--end-each-conversation"),
                args.value("--report").map(Path::of).orElse(null), args.flag("--perplexity"),
                args.value("--memories").map(Path::of).orElse(null), mwzeval);
        boolean ablate = args.flag("--ablate-memory");
        if (ablate && models.size() == 2) {
            throw new UsageException("--ablate-memory compares one model with and without its memory; "
                    + "give at most one --model");
        }
        LogReplay replays = new LogReplay(progressEveryNanos, context);
        ReplayReports reports = new ReplayReports(options.reportDir(), input, options.selection(), context);
        if (models.size() == 2) {
            ComparisonReplay.run(replays, reports, input, output, options, models.get(0),
                    config(args, context, models.get(0)), models.get(1), config(args, context, models.get(1)),
                    context);
        } else if (ablate) {
            AblationReplay.run(replays, reports, config(args, context, models.isEmpty() ? null : models.get(0)),
                    input, output, options, context);
        } else {
            SingleReplay.run(replays, reports, config(args, context, models.isEmpty() ? null : models.get(0)),
                    input, output, options);
        }
        return ExitCode.OK;
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
}
