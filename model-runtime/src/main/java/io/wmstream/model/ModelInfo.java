package io.wmstream.model;

/** What a stored memory must match to be fed to this model: name, version and state dimensions. */
public record ModelInfo(String name, String version, int layers, int hiddenSize, int vocabularySize) {
    /** Floats in one conversation's state: layers x hidden size. */
    public int stateSize() {
        return layers * hiddenSize;
    }
}
