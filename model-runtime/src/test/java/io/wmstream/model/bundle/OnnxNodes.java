package io.wmstream.model.bundle;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The nodes of an ONNX model's main graph (operator, inputs, outputs), read from the wire format, for tests. */
record OnnxNodes(List<Node> nodes) {
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_OP_TYPE = 4;

    /** One node: its operator type and the names it reads and writes. */
    record Node(String opType, List<String> inputs, List<String> outputs) {
    }

    static OnnxNodes of(byte[] model) {
        List<Node> nodes = new ArrayList<>();
        for (int[] graph : fields(model, 0, model.length, MODEL_GRAPH)) {
            for (int[] node : fields(model, graph[0], graph[1], GRAPH_NODE)) {
                nodes.add(new Node(strings(model, node, NODE_OP_TYPE).get(0), strings(model, node, NODE_INPUT),
                        strings(model, node, NODE_OUTPUT)));
            }
        }
        return new OnnxNodes(nodes);
    }

    /** The nodes that {@code outputs} depend on (nodes are in topological order). */
    List<Node> feeding(Set<String> outputs) {
        Set<String> needed = new HashSet<>(outputs);
        List<Node> out = new ArrayList<>();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node node = nodes.get(i);
            if (node.outputs().stream().anyMatch(needed::contains)) {
                needed.addAll(node.inputs());
                out.add(0, node);
            }
        }
        return out;
    }

    /** Payload ranges of the length-delimited fields {@code number} in {@code [start, end)}. */
    private static List<int[]> fields(byte[] data, int start, int end, int number) {
        List<int[]> out = new ArrayList<>();
        ProtobufReader reader = new ProtobufReader(data, start, end);
        while (reader.more()) {
            long key = reader.varint();
            int wire = (int) (key & 7);
            if (wire == ProtobufReader.LENGTH_DELIMITED) {
                int length = reader.length();
                int payload = reader.position();
                reader.skipBytes(length);
                if ((key >>> 3) == number) {
                    out.add(new int[] {payload, payload + length});
                }
            } else {
                reader.skip(wire);
            }
        }
        return out;
    }

    private static List<String> strings(byte[] data, int[] message, int number) {
        List<String> out = new ArrayList<>();
        for (int[] field : fields(data, message[0], message[1], number)) {
            out.add(new String(data, field[0], field[1] - field[0], StandardCharsets.UTF_8));
        }
        return out;
    }
}
