package io.wmstream.model.bundle;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The top-level fields of an ONNX {@code ModelProto} that say which operator sets a model needs, read from the
 * protobuf wire format without a protobuf library (the graph itself is skipped).
 */
record OnnxModelHeader(long irVersion, Map<String, Long> opsetImports) {
    private static final int MODEL_IR_VERSION = 1;
    private static final int MODEL_OPSET_IMPORT = 8;
    private static final int OPSET_DOMAIN = 1;
    private static final int OPSET_VERSION = 2;

    /** The version of the default ONNX domain ({@code ""} or {@code ai.onnx}), or -1 when not imported. */
    long onnxOpset() {
        Long version = opsetImports.get("");
        if (version == null) {
            version = opsetImports.get("ai.onnx");
        }
        return version == null ? -1 : version;
    }

    static OnnxModelHeader parse(byte[] model) {
        Reader reader = new Reader(model, 0, model.length);
        long ir = -1;
        Map<String, Long> opsets = new LinkedHashMap<>();
        while (reader.more()) {
            long key = reader.varint();
            int field = (int) (key >>> 3);
            int wire = (int) (key & 7);
            if (field == MODEL_IR_VERSION && wire == 0) {
                ir = reader.varint();
            } else if (field == MODEL_OPSET_IMPORT && wire == 2) {
                int length = reader.length();
                Reader entry = new Reader(model, reader.position, reader.position + length);
                reader.position += length;
                String domain = "";
                long version = -1;
                while (entry.more()) {
                    long entryKey = entry.varint();
                    int entryField = (int) (entryKey >>> 3);
                    int entryWire = (int) (entryKey & 7);
                    if (entryField == OPSET_DOMAIN && entryWire == 2) {
                        int n = entry.length();
                        domain = new String(model, entry.position, n, java.nio.charset.StandardCharsets.UTF_8);
                        entry.position += n;
                    } else if (entryField == OPSET_VERSION && entryWire == 0) {
                        version = entry.varint();
                    } else {
                        entry.skip(entryWire);
                    }
                }
                opsets.put(domain, version);
            } else {
                reader.skip(wire);
            }
        }
        if (ir < 0) {
            throw new IllegalArgumentException("no ir_version field: not an ONNX model");
        }
        return new OnnxModelHeader(ir, opsets);
    }

    /** A bounds-checked cursor over protobuf wire data. */
    private static final class Reader {
        private final byte[] data;
        private final int end;
        private int position;

        Reader(byte[] data, int start, int end) {
            if (end > data.length || start > end) {
                throw new IllegalArgumentException("truncated protobuf field");
            }
            this.data = data;
            this.position = start;
            this.end = end;
        }

        boolean more() {
            return position < end;
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

        int length() {
            long n = varint();
            if (n < 0 || n > end - position) {
                throw new IllegalArgumentException("field length " + n + " runs past the end of the data");
            }
            return (int) n;
        }

        void skip(int wire) {
            switch (wire) {
                case 0 -> varint();
                case 1 -> advance(8);
                case 2 -> advance(length());
                case 5 -> advance(4);
                default -> throw new IllegalArgumentException("unsupported protobuf wire type " + wire);
            }
        }

        private void advance(int n) {
            if (n > end - position) {
                throw new IllegalArgumentException("truncated protobuf field");
            }
            position += n;
        }
    }
}
