package io.wmstream.model.bundle;

import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked cursor over protobuf wire data, enough to walk ONNX's messages without a protobuf library.
 * Malformed data raises {@link IllegalArgumentException}.
 */
final class ProtobufReader {
    static final int VARINT = 0;
    static final int LENGTH_DELIMITED = 2;

    private final byte[] data;
    private final int end;
    private int position;

    ProtobufReader(byte[] data, int start, int end) {
        if (end > data.length || start < 0 || start > end) {
            throw new IllegalArgumentException("truncated protobuf field");
        }
        this.data = data;
        this.position = start;
        this.end = end;
    }

    boolean more() {
        return position < end;
    }

    int position() {
        return position;
    }

    long varint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= end) {
                throw new IllegalArgumentException("truncated varint");
            }
            byte b = data[position++];
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("malformed varint");
    }

    /** Reads a length prefix and checks that the field fits. */
    int length() {
        long n = varint();
        if (n < 0 || n > end - position) {
            throw new IllegalArgumentException("field length " + n + " runs past the end of the data");
        }
        return (int) n;
    }

    /** A reader over the next length-delimited field's payload; this reader moves past it. */
    ProtobufReader embedded() {
        int n = length();
        ProtobufReader inner = new ProtobufReader(data, position, position + n);
        position += n;
        return inner;
    }

    /** The next length-delimited field's payload as UTF-8 text. */
    String string() {
        int n = length();
        String value = new String(data, position, n, StandardCharsets.UTF_8);
        position += n;
        return value;
    }

    /** Skips the value of a field of this wire type. */
    void skip(int wire) {
        switch (wire) {
            case VARINT -> varint();
            case 1 -> skipBytes(8);
            case LENGTH_DELIMITED -> skipBytes(length());
            case 5 -> skipBytes(4);
            default -> throw new IllegalArgumentException("unsupported protobuf wire type " + wire);
        }
    }

    void skipBytes(int n) {
        if (n > end - position) {
            throw new IllegalArgumentException("truncated protobuf field");
        }
        position += n;
    }
}
