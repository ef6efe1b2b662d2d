package io.wmstream.app.salience;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.app.cli.Args;
import io.wmstream.app.cli.Command;
import io.wmstream.app.cli.CommandContext;
import io.wmstream.app.cli.CommandFailedException;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.cli.UsageException;
import io.wmstream.app.produce.EventLogReader;
import io.wmstream.schemas.json.CanonicalJson;
import io.wmstream.topology.summary.SalienceLexicon;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * {@code wmstream train-salience}: learns the salience lexicon summaries rank turns by
 * ({@code wm.summary.salience.lexicon}) from a log whose lines carry belief states.
 */
public final class TrainSalienceCommand implements Command {
    @Override
    public String name() {
        return "train-salience";
    }

    @Override
    public String summary() {
        return "learn the summaries' salience lexicon from a log with belief states";
    }

    @Override
    public String help() {
        return """
                Usage: wmstream train-salience --input LOG.jsonl[.gz] --output LEXICON.tsv [options]

                Learns how likely each word is to belong to a fact a conversation states, from a log whose
                utterance lines carry annotations.belief_state (MultiWOZ, as in ../shared/datasets/multiwoz21).
                A conversation's facts are the values of its last belief state found verbatim in its text, the
                rule 'wmstream replay' scores summaries by. Use the file with --set wm.summary.salience.lexicon=FILE.
                The bundled lexicon was made with:
                  wmstream train-salience --input ../shared/datasets/multiwoz21/utterances.jsonl --split val \\
                      --output topology/src/main/resources/io/wmstream/topology/summary/salience-lexicon.tsv
                The output depends only on the input (same bytes on every run); evaluate on another split.

                Options:
                  --input FILE      JSONL event log, plain or gzip (required)
                  --output FILE     where to write the lexicon (required)
                  --split NAME      only lines whose "split" field is NAME (lines without one stay)
                  --smoothing A     pseudo-count pulling rare words toward the default weight (default 2)
                  -h, --help        this text

                Exit codes: 0 written; 1 the input could not be read or holds no facts; 2 usage error.
                """;
    }

    @Override
    public int run(List<String> argv, CommandContext context) throws UsageException, CommandFailedException {
        Args args = Args.spec().option("--input").option("--output").option("--split").option("--smoothing")
                .parse(argv);
        if (args.flag("--help")) {
            context.out().print(help());
            return ExitCode.OK;
        }
        Path input = Path.of(args.value("--input").orElseThrow(() -> new UsageException("--input is required")));
        Path output = Path.of(args.value("--output").orElseThrow(() -> new UsageException("--output is required")));
        if (!Files.isRegularFile(input)) {
            throw new UsageException("no such file: " + input);
        }
        String split = args.value("--split").orElse(null);
        double smoothing = smoothing(args.value("--smoothing").orElse(null));

        SalienceLexiconTrainer trainer = new SalienceLexiconTrainer();
        long lines = 0;
        long skipped = 0;
        String sha256;
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream raw = new DigestInputStream(Files.newInputStream(input), digest);
                    EventLogReader reader = new EventLogReader(raw)) {
                while (reader.hasNext()) {
                    EventLogReader.Line line = reader.next();
                    lines++;
                    JsonNode json = CanonicalJson.readObjectOrNull(line.bytes());
                    if (json == null) {
                        skipped++;
                        continue;
                    }
                    if (split != null && json.path("split").isTextual() && !split.equals(json.path("split").asText())) {
                        continue;
                    }
                    if (!trainer.accept(json)) {
                        skipped++;
                    }
                }
                // Whatever the reader left unread still belongs to the file's digest.
                raw.transferTo(OutputStream.nullOutputStream());
            }
            sha256 = HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new CommandFailedException("cannot read " + input + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }

        List<String> provenance = new ArrayList<>();
        provenance.add("wmstream salience lexicon (word<TAB>weight; '*' = default for unseen words)");
        provenance.add("learned by 'wmstream train-salience' from " + input.getFileName() + " (sha256 " + sha256 + ")"
                + (split == null ? "" : ", split " + split));
        SalienceLexiconTrainer.Result result;
        try {
            result = trainer.train(smoothing, provenance);
        } catch (IllegalArgumentException e) {
            throw new CommandFailedException(input + ": " + e.getMessage(), e);
        }
        SalienceLexicon lexicon = result.lexicon();
        try {
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (Writer out = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
                lexicon.write(out);
            }
        } catch (IOException e) {
            throw new CommandFailedException("cannot write " + output + ": " + e.getMessage(), e);
        }
        context.out().printf(Locale.ROOT, "read %d lines (%d skipped: not utterances with text, or not JSON)%n",
                lines, skipped);
        context.out().printf(Locale.ROOT, "learned %d words from %d conversations (%d with facts), %d utterances; "
                + "default weight %.4f%n", lexicon.size(), trainer.conversations(), result.conversationsWithFacts(),
                trainer.utterances(), lexicon.defaultWeight());
        context.out().println("wrote " + output);
        return ExitCode.OK;
    }

    private static double smoothing(String value) throws UsageException {
        if (value == null) {
            return SalienceLexiconTrainer.DEFAULT_SMOOTHING;
        }
        try {
            double smoothing = Double.parseDouble(value);
            if (smoothing > 0 && smoothing <= 1_000_000) {
                return smoothing;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--smoothing must be a number above 0, not '" + value + "'");
    }
}
