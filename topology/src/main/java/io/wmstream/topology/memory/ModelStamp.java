package io.wmstream.topology.memory;

import io.wmstream.model.ModelInfo;
import java.util.Objects;

/** The model a stored memory was written under; memory is only ever fed back to the same model. */
public record ModelStamp(String name, String version, int layers, int hiddenSize) {
    public ModelStamp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
    }

    public static ModelStamp of(ModelInfo info) {
        return new ModelStamp(info.name(), info.version(), info.layers(), info.hiddenSize());
    }

    public int stateSize() {
        return layers * hiddenSize;
    }

    @Override
    public String toString() {
        return name + " " + version + " (" + layers + "x" + hiddenSize + ")";
    }
}
