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
        ProtobufReader reader = new ProtobufReader(model, 0, model.length);
        long ir = -1;
        Map<String, Long> opsets = new LinkedHashMap<>();
        while (reader.more()) {
            long key = reader.varint();
            int field = (int) (key >>> 3);
            int wire = (int) (key & 7);
            if (field == MODEL_IR_VERSION && wire == 0) {
                ir = reader.varint();
            } else if (field == MODEL_OPSET_IMPORT && wire == 2) {
                ProtobufReader entry = reader.embedded();
                String domain = "";
                long version = -1;
                while (entry.more()) {
                    long entryKey = entry.varint();
                    int entryField = (int) (entryKey >>> 3);
                    int entryWire = (int) (entryKey & 7);
                    if (entryField == OPSET_DOMAIN && entryWire == 2) {
                        domain = entry.string();
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
}
