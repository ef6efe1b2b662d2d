package io.wmstream.topology.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SalienceLexiconTest {
    private static SalienceLexicon read(String text) throws IOException {
        return SalienceLexicon.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test.tsv");
    }

    @Test
    void shouldReadWhatItWritesByteForByte() throws IOException {
        // Given a lexicon with provenance, a default and words
        var lexicon = new SalienceLexicon(Map.of("tuesday", 0.975, "the", 0.0123456789), 0.095,
                List.of("made for a test"));

        // When written and read back
        StringWriter first = new StringWriter();
        lexicon.write(first);
        StringWriter second = new StringWriter();
        read(first.toString()).write(second);

        // Then the bytes and the weights survive (six decimals)
        assertThat(second.toString()).isEqualTo(first.toString())
                .isEqualTo("# made for a test\n*\t0.095000\nthe\t0.012346\ntuesday\t0.975000\n");
        assertThat(read(first.toString()).weight("unseen")).isEqualTo(0.095);
    }

    @Test
    void shouldRefuseAFaultyFileNamingTheLineAndTheFault() {
        // Given files with one fault each, then each is read
        // Then each refusal names the file, the line and what is wrong
        assertThatThrownBy(() -> read("*\t0.1\ncheap\t1.5\n")).hasMessage(
                "Salience lexicon test.tsv line 2: weight 1.5 is outside [0, 1]");
        assertThatThrownBy(() -> read("*\t0.1\ncheap\tlots\n")).hasMessageContaining("line 2: weight 'lots' is not");
        assertThatThrownBy(() -> read("*\t0.1\ncheap\t0.5\ncheap\t0.6\n")).hasMessageContaining(
                "line 3: 'cheap' appears twice");
        assertThatThrownBy(() -> read("*\t0.1\nCheap Hotel\t0.5\n")).hasMessageContaining(
                "line 2: 'Cheap Hotel' is not one lowercase word");
        assertThatThrownBy(() -> read("cheap\t0.5\n")).hasMessage(
                "Salience lexicon test.tsv has no default ('*') line");
        assertThatThrownBy(() -> read("*\t0.1\ncheap 0.5\n")).hasMessageContaining("line 2: expected");
    }

    @Test
    void shouldSayWhichFileIsMissing(@TempDir Path dir) {
        // Given a path with no file, when loaded, then the message names it
        Path missing = dir.resolve("nope.tsv");
        assertThatThrownBy(() -> SalienceLexicon.load(missing)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Salience lexicon " + missing + " does not exist");
    }

    @Test
    void shouldShipALexiconLearnedFromMultiwozVal() {
        // Given the bundled lexicon, when loaded
        SalienceLexicon lexicon = SalienceLexicon.defaultLexicon();

        // Then it says where it comes from, and days and places weigh more than function words
        assertThat(String.join("\n", lexicon.comments())).contains("utterances.jsonl", "split val");
        assertThat(lexicon.size()).isGreaterThan(1000);
        assertThat(lexicon.weight("tuesday")).isGreaterThan(0.9);
        assertThat(lexicon.weight("cambridge")).isGreaterThan(lexicon.weight("the") * 3);
    }
}
