package io.wmstream.model.bundle;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Derives from an ONNX model one that computes only some of its graph outputs: the other outputs, the nodes only
 * they need, and the initializers only those nodes read are left out; everything kept is copied byte for byte.
 * The runtime reads utterances into states with it, because ONNX Runtime runs every node of a graph whatever
 * outputs a call asks for, and next-token logits that nobody reads cost as much as a GRU step. Works on the
 * protobuf wire format without a protobuf library.
 */
public final class OnnxGraphPruner {
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    private static final int GRAPH_VALUE_INFO = 13;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int ATTRIBUTE_GRAPH = 6;
    private static final int ATTRIBUTE_GRAPHS = 11;
    private static final int TENSOR_NAME = 8;
    private static final int VALUE_INFO_NAME = 1;

    private OnnxGraphPruner() {
    }

    /**
     * The model computing only the graph outputs {@code keep}, in a direct buffer (for
     * {@code OrtEnvironment.createSession(ByteBuffer, ...)}); empty when nothing can be left out, or when a node
     * holds a subgraph (whose references to outer names this does not follow). Throws
     * {@link IllegalArgumentException} when {@code keep} names an output the graph does not have, or when the
     * bytes are not an ONNX model.
     */
    public static Optional<ByteBuffer> keepOutputs(byte[] model, Set<String> keep) {
        List<Field> modelFields = fields(model, 0, model.length);
        Field graphField = null;
        for (Field field : modelFields) {
            if (field.number() == MODEL_GRAPH && field.wire() == ProtobufReader.LENGTH_DELIMITED) {
                graphField = field;
            }
        }
        if (graphField == null) {
            throw new IllegalArgumentException("no graph field: not an ONNX model");
        }
        List<Field> graphFields = fields(model, graphField.payloadStart(), graphField.end());
        List<Node> nodes = new ArrayList<>();
        Set<String> outputs = new HashSet<>();
        for (Field field : graphFields) {
            if (field.number() == GRAPH_NODE) {
                Node node = node(model, field);
                if (node.hasSubgraph()) {
                    return Optional.empty();
                }
                nodes.add(node);
            } else if (field.number() == GRAPH_OUTPUT) {
                outputs.add(name(model, field, VALUE_INFO_NAME));
            }
        }
        if (!outputs.containsAll(keep)) {
            Set<String> missing = new HashSet<>(keep);
            missing.removeAll(outputs);
            throw new IllegalArgumentException("the graph has no output(s) " + missing + "; it has " + outputs);
        }
        // ONNX keeps nodes in topological order, so one backward pass finds what the kept outputs depend on.
        Set<String> needed = new HashSet<>(keep);
        Set<Field> deadNodes = new HashSet<>();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node node = nodes.get(i);
            if (node.outputs().stream().anyMatch(needed::contains)) {
                needed.addAll(node.inputs());
            } else {
                deadNodes.add(node.field());
            }
        }
        if (deadNodes.isEmpty() && keep.equals(outputs)) {
            return Optional.empty();
        }
        Set<String> produced = new HashSet<>(needed);
        nodes.stream().filter(node -> !deadNodes.contains(node.field()))
                .forEach(node -> produced.addAll(node.outputs()));
        List<Field> kept = new ArrayList<>();
        long graphLength = 0;
        for (Field field : graphFields) {
            boolean keepField = switch (field.number()) {
                case GRAPH_NODE -> !deadNodes.contains(field);
                case GRAPH_OUTPUT -> keep.contains(name(model, field, VALUE_INFO_NAME));
                case GRAPH_INITIALIZER -> needed.contains(name(model, field, TENSOR_NAME));
                case GRAPH_INPUT -> needed.contains(name(model, field, VALUE_INFO_NAME));
                case GRAPH_VALUE_INFO -> produced.contains(name(model, field, VALUE_INFO_NAME));
                default -> true;
            };
            if (keepField) {
                kept.add(field);
                graphLength += field.end() - field.start();
            }
        }
        // Written straight into a direct buffer of the final size, which ONNX Runtime reads in place: the weights are
        // most of the model, and another copy of them on the heap would double what opening a bundle needs there.
        long graphKey = ((long) MODEL_GRAPH << 3) | ProtobufReader.LENGTH_DELIMITED;
        long size = model.length - (graphField.end() - graphField.start()) + varintSize(graphKey)
                + varintSize(graphLength) + graphLength;
        ByteBuffer out = ByteBuffer.allocateDirect(Math.toIntExact(size));
        for (Field field : modelFields) {
            if (field == graphField) {
                writeVarint(out, graphKey);
                writeVarint(out, graphLength);
                for (Field inner : kept) {
                    out.put(model, inner.start(), inner.end() - inner.start());
                }
            } else {
                out.put(model, field.start(), field.end() - field.start());
            }
        }
        return Optional.of(out.flip());
    }

    /** One field of a message: its number and wire type, where it starts (key) and ends, and its payload. */
    private record Field(int number, int wire, int start, int payloadStart, int end) {
    }

    private record Node(Field field, List<String> inputs, List<String> outputs, boolean hasSubgraph) {
    }

    private static List<Field> fields(byte[] data, int start, int end) {
        List<Field> fields = new ArrayList<>();
        ProtobufReader reader = new ProtobufReader(data, start, end);
        while (reader.more()) {
            int fieldStart = reader.position();
            long key = reader.varint();
            int wire = (int) (key & 7);
            int payloadStart = reader.position();
            if (wire == ProtobufReader.LENGTH_DELIMITED) {
                int length = reader.length();
                payloadStart = reader.position();
                reader.skipBytes(length);
            } else {
                reader.skip(wire);
            }
            fields.add(new Field((int) (key >>> 3), wire, fieldStart, payloadStart, reader.position()));
        }
        return fields;
    }

    private static Node node(byte[] data, Field field) {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        boolean subgraph = false;
        for (Field inner : fields(data, field.payloadStart(), field.end())) {
            if (inner.number() == NODE_INPUT) {
                inputs.add(text(data, inner));
            } else if (inner.number() == NODE_OUTPUT) {
                outputs.add(text(data, inner));
            } else if (inner.number() == NODE_ATTRIBUTE) {
                subgraph |= fields(data, inner.payloadStart(), inner.end()).stream()
                        .anyMatch(a -> a.number() == ATTRIBUTE_GRAPH || a.number() == ATTRIBUTE_GRAPHS);
            }
        }
        return new Node(field, inputs, outputs, subgraph);
    }

    /** The string field {@code number} of the message in {@code field}, or "" when it has none. */
    private static String name(byte[] data, Field field, int number) {
        for (Field inner : fields(data, field.payloadStart(), field.end())) {
            if (inner.number() == number && inner.wire() == ProtobufReader.LENGTH_DELIMITED) {
                return text(data, inner);
            }
        }
        return "";
    }

    private static String text(byte[] data, Field field) {
        return new String(data, field.payloadStart(), field.end() - field.payloadStart(),
                StandardCharsets.UTF_8);
    }

    private static void writeVarint(ByteBuffer out, long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
    }

    private static int varintSize(long value) {
        int size = 1;
        for (long v = value >>> 7; v != 0; v >>>= 7) {
            size++;
        }
        return size;
    }
}
