package io.wmstream.app.produce;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;

/**
 * Reads a JSONL event log line by line as raw bytes (so invalid UTF-8 reaches the validator as it is, not
 * repaired), gunzipping it when it starts with the gzip magic number whatever its name. Blank lines are skipped;
 * line numbers count every line, so a report points at the right place in the file.
 */
public final class EventLogReader implements Iterator<EventLogReader.Line>, AutoCloseable {
    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    private final InputStream in;
    private long lineNumber;
    private Line next;
    private boolean done;

    /** One non-blank line of the log, without its line terminator. */
    public record Line(long number, byte[] bytes) {
    }

    public EventLogReader(InputStream raw) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        int first = buffered.read();
        int second = buffered.read();
        buffered.reset();
        this.in = first == GZIP_MAGIC_1 && second == GZIP_MAGIC_2
                ? new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16) : buffered;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            next = readLine();
        }
        return next != null;
    }

    @Override
    public Line next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Line line = next;
        next = null;
        return line;
    }

    private Line readLine() {
        try {
            while (true) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
                int b = in.read();
                if (b < 0) {
                    done = true;
                    return null;
                }
                while (b >= 0 && b != '\n') {
                    bytes.write(b);
                    b = in.read();
                }
                lineNumber++;
                byte[] line = stripCarriageReturn(bytes.toByteArray());
                if (!isBlank(line)) {
                    return new Line(lineNumber, line);
                }
                if (b < 0) {
                    done = true;
                    return null;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the event log at line " + (lineNumber + 1), e);
        }
    }

    private static byte[] stripCarriageReturn(byte[] line) {
        if (line.length > 0 && line[line.length - 1] == '\r') {
            byte[] shorter = new byte[line.length - 1];
            System.arraycopy(line, 0, shorter, 0, shorter.length);
            return shorter;
        }
        return line;
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
