package io.wmstream.topology.memory;

import java.util.Objects;

/** One utterance the working memory keeps: its turn, speaker, (possibly shortened) text and salience. */
public record RememberedTurn(long turn, String speaker, String text, double salience) {
    public RememberedTurn {
        Objects.requireNonNull(speaker, "speaker");
        Objects.requireNonNull(text, "text");
    }
}
