package io.wmstream.model.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Typed access to required JSON fields by dotted path, refusing the bundle with the file and path when one is off. */
record JsonFields(String source, String file, JsonNode root) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Parses a bundle file that must hold a JSON object. */
    static JsonFields read(String source, String file, byte[] content) {
        try {
            JsonNode root = JSON.readTree(content);
            if (root == null || !root.isObject()) {
                throw new InvalidBundleException(source, file + " is not a JSON object");
            }
            return new JsonFields(source, file, root);
        } catch (JsonProcessingException e) {
            throw new InvalidBundleException(source, file + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidBundleException(source, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    JsonFields at(String path, JsonNode node) {
        return new JsonFields(source, file + " " + path, node);
    }

    boolean has(String path) {
        return find(path) != null;
    }

    JsonNode node(String path) {
        JsonNode node = find(path);
        if (node == null) {
            throw new InvalidBundleException(source, file + " lacks '" + path + "'");
        }
        return node;
    }

    private JsonNode find(String path) {
        JsonNode node = root;
        for (String part : path.split("\\.")) {
            node = node == null ? null : node.get(part);
        }
        return node == null || node.isNull() ? null : node;
    }

    String text(String path) {
        JsonNode node = node(path);
        if (!node.isTextual()) {
            throw new InvalidBundleException(source, file + " '" + path + "' must be a string, got " + node);
        }
        return node.asText();
    }

    int integer(String path) {
        JsonNode node = node(path);
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new InvalidBundleException(source, file + " '" + path + "' must be an integer, got " + node);
        }
        return node.asInt();
    }

    int self() {
        if (!root.isIntegralNumber() || !root.canConvertToInt()) {
            throw new InvalidBundleException(source, file + " expected an integer, got " + root);
        }
        return root.asInt();
    }

    int positive(String path) {
        int value = integer(path);
        if (value <= 0) {
            throw new InvalidBundleException(source, file + " '" + path + "' must be positive, got " + value);
        }
        return value;
    }

    JsonNode array(String path) {
        JsonNode node = node(path);
        if (!node.isArray()) {
            throw new InvalidBundleException(source, file + " '" + path + "' must be an array");
        }
        return node;
    }

    JsonNode object(String path) {
        JsonNode node = node(path);
        if (!node.isObject()) {
            throw new InvalidBundleException(source, file + " '" + path + "' must be an object");
        }
        return node;
    }

    List<String> stringList(String path) {
        List<String> out = new ArrayList<>();
        for (JsonNode item : array(path)) {
            out.add(item.asText());
        }
        return out;
    }

    Map<String, String> stringMap(String path) {
        Map<String, String> out = new LinkedHashMap<>();
        object(path).properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
