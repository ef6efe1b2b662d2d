package io.wmstream.app.replay;

import io.wmstream.app.produce.EventLogReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A JSONL event log file, plain or gzip, line by line; its lines carry no record timestamp. */
final class FileEventSource implements EventSource {
    private final CountingInputStream raw;
    private final EventLogReader lines;
    private final long size;

    FileEventSource(Path file) throws IOException {
        this.size = Files.size(file);
        this.raw = new CountingInputStream(Files.newInputStream(file));
        this.lines = new EventLogReader(raw);
    }

    static Opener opener(Path file) {
        return new Opener() {
            @Override
            public EventSource open() throws IOException {
                return new FileEventSource(file);
            }

            @Override
            public String describe() {
                return file.toString();
            }
        };
    }

    @Override
    public SourceRecord next() {
        return lines.hasNext() ? new SourceRecord(lines.next().bytes(), -1) : null;
    }

    @Override
    public boolean recordTimes() {
        return false;
    }

    @Override
    public double done() {
        // Compressed or not, the share of the file read so far is what there is to estimate from.
        return size > 0 ? Math.min(1, (double) raw.count() / size) : 0;
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }

    /** Counts the bytes read from the file. */
    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        long count() {
            return count;
        }
    }
}
