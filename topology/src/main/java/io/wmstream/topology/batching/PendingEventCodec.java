package io.wmstream.topology.batching;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Binary form of a {@link PendingEvent} in the pending store (the sequence is the store key). */
final class PendingEventCodec {
    private static final byte FORMAT = 1;

    private PendingEventCodec() {
    }

    static byte[] encode(PendingEvent event) {
        var bytes = new ByteArrayOutputStream(64 + event.value().length);
        try (var out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            writeBytes(out, event.key());
            writeBytes(out, event.value());
            out.writeUTF(event.topic());
            out.writeInt(event.partition());
            out.writeLong(event.offset());
            out.writeLong(event.timestampMs());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static PendingEvent decode(long sequence, byte[] bytes) {
        try (var in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalStateException("pending event has format " + format + ", expected " + FORMAT);
            }
            return new PendingEvent(sequence, readBytes(in), readBytes(in), in.readUTF(), in.readInt(), in.readLong(),
                    in.readLong());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        if (bytes == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }
}
