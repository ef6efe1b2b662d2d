package io.wmstream.app.replay;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Which lines of the source a replay keeps: those of one {@code split} and one {@link DatasetSlice} (either null:
 * all). A line that does not say (no {@code split} field, no conversation id, not JSON) is kept.
 */
record LineSelection(String split, DatasetSlice slice) {
    /** Whether the line, as JSON (null when it is not an object), is kept. */
    boolean keeps(JsonNode json) {
        if (json == null) {
            return true;
        }
        if (split != null && json.path("split").isTextual() && !split.equals(json.path("split").asText())) {
            return false;
        }
        return slice == null || slice.keeps(json);
    }

    /** What the selection adds to the input's description: " (split val)", " (slice held-out)", or nothing. */
    String describe() {
        return (split != null ? " (split " + split + ")" : "") + (slice != null ? " (slice " + slice.label() + ")"
                : "");
    }
}
