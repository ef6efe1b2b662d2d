package io.wmstream.app.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.app.cli.CommandContext;
import io.wmstream.app.cli.CommandFailedException;
import io.wmstream.app.cli.ScratchDirectories;
import io.wmstream.app.evaluation.Evaluation;
import io.wmstream.app.evaluation.EvaluationTable;
import io.wmstream.app.evaluation.PerplexityProbe;
import io.wmstream.model.ConversationModel;
import io.wmstream.model.inference.OnnxConversationModel;
import io.wmstream.schemas.json.CanonicalJson;
import io.wmstream.schemas.serde.ConversationEventSerde;
import io.wmstream.schemas.serde.WmSerdes;
import io.wmstream.topology.config.ModelFactory;
import io.wmstream.topology.config.TopologySettings;
import io.wmstream.topology.config.WmConfig;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;

/**
 * One replay of a log through one model: opens the model, pipes the kept lines through the topology offline into
 * the output file, evaluates the outputs as they come, writes the final memories and the MultiWOZ evaluator's
 * input when asked, and prints the evaluation. Every run mode of {@code replay} is made of these.
 */
final class LogReplay {
    private final long progressEveryNanos;
    private final CommandContext context;

    /** Replays that update their progress line at most every {@code progressEveryNanos}. */
    LogReplay(long progressEveryNanos, CommandContext context) {
        this.progressEveryNanos = progressEveryNanos;
        this.context = context;
    }

    /** One replay; {@code withoutMemory} resets the memory before every utterance ({@link MemorylessModel}). */
    ReplayResult run(WmConfig config, EventSource.Opener input, Path output, ReplayOptions options,
            boolean withoutMemory) throws CommandFailedException {
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
            ObjectNode report = replay(config, model, probe, stateDir, input, output, options);
            context.out().print(EvaluationTable.of(report));
            return new ReplayResult(report, opened.info().name() + " " + opened.info().version());
        } catch (IOException | UncheckedIOException e) {
            throw new CommandFailedException("replay failed: " + e.getMessage(), e);
        } finally {
            ScratchDirectories.deleteQuietly(stateDir);
        }
    }

    private ObjectNode replay(WmConfig config, TimedModel model, PerplexityProbe probe, Path stateDir,
            EventSource.Opener input, Path output, ReplayOptions options) throws IOException {
        Evaluation evaluation = new Evaluation();
        TopologySettings settings = TopologySettings.from(config);
        ConversationEventSerde events = WmSerdes.events(settings.eventLimits());
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
            Feeder feeder = new Feeder(replayer, evaluation, export, options.endEachConversation(), events);
            ArrivalTimes.Sink<LogLine> feed = feeder::feed;
            // A file's lines are held back until the lines after them give them a stand-in arrival time.
            ArrivalTimes<LogLine> arrivals = source.recordTimes() ? null : new ArrivalTimes<>();
            long nextProgress = started + progressEveryNanos;
            for (EventSource.SourceRecord record = source.next(); record != null; record = source.next()) {
                JsonNode json = CanonicalJson.readObjectOrNull(record.value());
                if (!options.selection().keeps(json)) {
                    continue;
                }
                LogLine line = LogLine.read(record.value(), json, events.reader());
                if (arrivals == null) {
                    feed.accept(line, record.timestampMs());
                } else {
                    arrivals.add(line, line.ownTimeMs(), feed);
                }
                if (context.interactive() && System.nanoTime() >= nextProgress) {
                    nextProgress = System.nanoTime() + progressEveryNanos;
                    progress(evaluation.utterances(), feeder.conversations(), started, source.done());
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
                writeMwzeval(export, options.mwzeval());
            }
            if (context.interactive()) {
                context.err().print("\r\033[K");
                context.err().flush();
            }
        }
        long elapsed = System.nanoTime() - started;
        ObjectNode report = evaluation.toJson(elapsed, model.nanos());
        if (probe != null) {
            probe.figures().putInto(report.putObject("perplexity"));
        }
        context.out().printf(Locale.ROOT, "replayed %s: %d lines, %d utterances in %.1f s -> %s%n",
                input.describe(), report.path("input").path("lines").asLong(), evaluation.utterances(),
                elapsed / 1e9, output);
        return report;
    }

    /** Writes the MultiWOZ evaluator's input and says what it holds; a log without a MultiWOZ dialogue fails. */
    private void writeMwzeval(MwzevalExport export, Path file) throws IOException {
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

    private void progress(long utterances, long conversations, long started, double done) {
        double seconds = (System.nanoTime() - started) / 1e9;
        String eta = done > 0 ? String.format(Locale.ROOT, "%.0f s", seconds * (1 - done) / done) : "?";
        double elapsed = Math.max(seconds, 1e-9);
        context.err().printf(Locale.ROOT, "\r%d conversations (%.0f/s), %d utterances (%.0f utterances/s), %.0f%%, "
                + "ETA %s ", conversations, conversations / elapsed, utterances, utterances / elapsed, 100 * done, eta);
        context.err().flush();
    }
}
