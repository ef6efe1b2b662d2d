package io.wmstream.topology.memory;

import io.wmstream.model.bundle.BundleManifest;
import java.util.Objects;

/**
 * One slot of a conversation's dialogue state, or one value the system offered for a slot: the slot
 * ({@code restaurant.time}, {@code taxi.place.from}), its value as the conversation wrote it, and the turn it came
 * from.
 */
public record StateEntry(String slot, String value, long turn) {
    public StateEntry {
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(value, "value");
    }

    /** The placeholder type of the slot: its second part ("taxi.place.from" holds a "place"). */
    public String type() {
        return BundleManifest.StateHeads.typeOf(slot);
    }
}
