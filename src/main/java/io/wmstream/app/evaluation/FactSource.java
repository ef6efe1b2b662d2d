package io.wmstream.app.evaluation;

/** Which annotations a conversation's facts were read from; its {@link #label()} is what reports print. */
enum FactSource {
    MULTIWOZ_BELIEF_STATE("multiwoz-belief-state"),
    SGD_DIALOGUE_STATE("sgd-dialogue-state"),
    NONE("none");

    private final String label;

    FactSource(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
