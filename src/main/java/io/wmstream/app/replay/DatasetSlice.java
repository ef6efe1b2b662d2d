package io.wmstream.app.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.app.evaluation.HeldOutSlice;
import java.util.Optional;

/** The part of a dataset a replay keeps ({@code --slice}): {@link HeldOutSlice}'s conversations, or the others. */
enum DatasetSlice {
    HELD_OUT("held-out"),
    TRAINING("training");

    private final String label;

    DatasetSlice(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** The slice labelled {@code label}, if there is one. */
    static Optional<DatasetSlice> of(String label) {
        for (DatasetSlice slice : values()) {
            if (slice.label.equals(label)) {
                return Optional.of(slice);
            }
        }
        return Optional.empty();
    }

    /** Whether the slice keeps a log line: by its conversation id; a line without one is kept. */
    boolean keeps(JsonNode line) {
        JsonNode id = line.path("conversationId");
        return !id.isTextual() || HeldOutSlice.isHeldOut(id.asText()) == (this == HELD_OUT);
    }
}
