package io.wmstream.app.salience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wmstream.app.Main;
import io.wmstream.app.cli.ExitCode;
import io.wmstream.app.testing.Console;
import io.wmstream.app.testing.EchoPipelineFactory;
import io.wmstream.app.testing.RepoRoot;
import io.wmstream.topology.summary.SalienceLexicon;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainSalienceCommandTest {
    /** Two MultiWOZ-style conversations (one of another split) whose belief states name their facts. */
    private static final String LOG = """
            {"conversationId":"a","turn":0,"speaker":"user","text":"I want a cheap hotel in the north .","split":"val"}
            {"conversationId":"a","turn":1,"speaker":"system","text":"The hotel Acorn is cheap .","split":"val",\
            "annotations":{"belief_state":{"hotel":{"pricerange":"cheap","area":"north","name":"not mentioned"}}}}
            {"conversationId":"a","turn":2,"speaker":"user","text":"Thank you , goodbye .","split":"val"}
            {"conversationId":"b","turn":0,"speaker":"user","text":"A train to london on tuesday please .",\
            "split":"val"}
            {"conversationId":"b","turn":1,"speaker":"system","text":"Thank you , booked for tuesday .","split":"val",\
            "annotations":{"belief_state":{"train":{"destination":"london","day":"tuesday"}}}}
            {"conversationId":"c","turn":0,"speaker":"user","text":"the the the","split":"test",\
            "annotations":{"belief_state":{"x":{"y":"the"}}}}
            """;

    @TempDir
    Path dir;

    private static Main main(Console console) {
        return new Main(console.context(Map.of(), new EchoPipelineFactory()));
    }

    @Test
    void shouldWeighFactWordsAboveTheDefaultAndOtherWordsBelowIt() throws IOException {
        // Given a log of one split with belief states
        Path log = Files.writeString(dir.resolve("log.jsonl"), LOG);
        Path out = dir.resolve("lexicon.tsv");
        Console console = new Console();

        // When a lexicon is learned from split val
        int code = main(console).execute("train-salience", "--input", log.toString(), "--output", out.toString(),
                "--split", "val");

        // Then fact words weigh more than the default, small talk less, and the test split was left out
        assertThat(code).isEqualTo(ExitCode.OK);
        SalienceLexicon lexicon = SalienceLexicon.load(out);
        // 28 word occurrences, 6 of them fact words: cheap x2, north, london, tuesday x2
        double prior = 6.0 / 28;
        assertThat(lexicon.defaultWeight()).isCloseTo(prior, within(1e-6));
        assertThat(lexicon.weight("tuesday")).isCloseTo((2 + 2 * prior) / (2 + 2), within(1e-6));
        assertThat(lexicon.weight("cheap")).isGreaterThan(lexicon.defaultWeight());
        assertThat(lexicon.weight("thank")).isLessThan(lexicon.defaultWeight());
        assertThat(lexicon.weight("the")).isLessThan(lexicon.defaultWeight());
        assertThat(console.out()).contains("learned 21 words from 2 conversations (2 with facts), 5 utterances");
        assertThat(Files.readString(out)).contains("from log.jsonl (sha256 ", ", split val");
    }

    @Test
    void shouldWriteTheSameBytesOnEveryRun() throws IOException {
        // Given a log, when the lexicon is learned twice
        Path log = Files.writeString(dir.resolve("log.jsonl"), LOG);
        main(new Console()).execute("train-salience", "--input", log.toString(), "--output",
                dir.resolve("one.tsv").toString());
        main(new Console()).execute("train-salience", "--input", log.toString(), "--output",
                dir.resolve("two.tsv").toString());

        // Then both files hold the same bytes
        assertThat(Files.readAllBytes(dir.resolve("one.tsv"))).isEqualTo(Files.readAllBytes(dir.resolve("two.tsv")));
    }

    @Test
    void shouldFailClearlyWhenTheLogHoldsNoFacts() throws IOException {
        // Given a log without belief states
        Path log = Files.writeString(dir.resolve("plain.jsonl"),
                "{\"conversationId\":\"a\",\"turn\":0,\"speaker\":\"user\",\"text\":\"hello\"}\nnot json\n");
        Console console = new Console();

        // When a lexicon is learned from it
        int code = main(console).execute("train-salience", "--input", log.toString(), "--output",
                dir.resolve("x.tsv").toString());

        // Then it fails saying why, and writes nothing
        assertThat(code).isEqualTo(ExitCode.FAILURE);
        assertThat(console.err()).contains("no conversation of the log has a belief state with facts");
        assertThat(dir.resolve("x.tsv")).doesNotExist();
    }

    @Test
    void shouldRefuseMissingOptionsAndBadSmoothing() throws IOException {
        // Given a log, when options are missing or wrong, then each is a usage error
        Path log = Files.writeString(dir.resolve("log.jsonl"), LOG);
        Console console = new Console();
        assertThat(main(console).execute("train-salience", "--input", log.toString())).isEqualTo(ExitCode.USAGE);
        assertThat(main(console).execute("train-salience", "--input", log.toString(), "--output", "x.tsv",
                "--smoothing", "-1")).isEqualTo(ExitCode.USAGE);
        assertThat(main(console).execute("train-salience", "--input", dir.resolve("none.jsonl").toString(),
                "--output", "x.tsv")).isEqualTo(ExitCode.USAGE);
        assertThat(console.err()).contains("--output is required", "--smoothing must be a number above 0",
                "no such file");
    }

    @Test
    void shouldReproduceTheBundledLexiconFromTheDataset() throws IOException {
        // Given the MultiWOZ 2.1 log beside the repository (as in CI)
        Path dataset = RepoRoot.path().resolve("../shared/datasets/multiwoz21/utterances.jsonl").normalize();
        assumeTrue(Files.isRegularFile(dataset), "the dataset is not at " + dataset);
        Path out = dir.resolve("lexicon.tsv");

        // When the lexicon is learned as the bundled one was
        int code = main(new Console()).execute("train-salience", "--input", dataset.toString(), "--output",
                out.toString(), "--split", "val");

        // Then it is the bundled file, byte for byte
        assertThat(code).isEqualTo(ExitCode.OK);
        Path bundled = RepoRoot.path().resolve("topology/src/main/resources" + SalienceLexicon.DEFAULT_RESOURCE);
        assertThat(Files.readString(out)).isEqualTo(Files.readString(bundled));
    }
}
