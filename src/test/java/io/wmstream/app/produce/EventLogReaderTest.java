package io.wmstream.app.produce;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class EventLogReaderTest {
    @Test
    void shouldReadLinesWithTheirNumbersSkippingBlankOnes() throws IOException {
        // Given a log with a blank line, a CRLF line ending and no final newline
        byte[] log = "{\"a\":1}\n\n{\"b\":2}\r\n  \n{\"c\":3}".getBytes(StandardCharsets.UTF_8);

        // When it is read
        List<EventLogReader.Line> lines = readAll(log);

        // Then blank lines are skipped but still counted, and line terminators are removed
        assertThat(lines).extracting(EventLogReader.Line::number).containsExactly(1L, 3L, 5L);
        assertThat(lines).extracting(line -> new String(line.bytes(), StandardCharsets.UTF_8))
                .containsExactly("{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
    }

    @Test
    void shouldGunzipALogThatStartsWithTheGzipMagicNumber() throws IOException {
        // Given a gzip-compressed log
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write("{\"a\":1}\n{\"b\":2}\n".getBytes(StandardCharsets.UTF_8));
        }

        // When it is read
        List<EventLogReader.Line> lines = readAll(compressed.toByteArray());

        // Then the lines come out decompressed
        assertThat(lines).hasSize(2);
        assertThat(new String(lines.get(1).bytes(), StandardCharsets.UTF_8)).isEqualTo("{\"b\":2}");
    }

    @Test
    void shouldKeepInvalidUtf8BytesAsTheyAre() throws IOException {
        // Given a line with a byte that is not UTF-8
        byte[] log = {'{', (byte) 0xff, '}', '\n'};

        // Then the reader does not repair it: the validator must see it
        assertThat(readAll(log).get(0).bytes()).containsExactly('{', (byte) 0xff, '}');
    }

    @Test
    void shouldReadAnEmptyLogAsNoLines() throws IOException {
        assertThat(readAll(new byte[0])).isEmpty();
    }

    private static List<EventLogReader.Line> readAll(byte[] log) throws IOException {
        List<EventLogReader.Line> lines = new ArrayList<>();
        try (EventLogReader reader = new EventLogReader(new ByteArrayInputStream(log))) {
            reader.forEachRemaining(lines::add);
        }
        return lines;
    }
}
