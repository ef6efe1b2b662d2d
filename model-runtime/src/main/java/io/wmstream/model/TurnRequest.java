package io.wmstream.model;

import java.util.Objects;

/**
 * One conversation's utterance to encode. {@code state} is the memory before it ({@code layers * hidden}
 * floats, layer-major) or null for a fresh conversation; {@code conversationId} and {@code turn} seed sampling
 * so a replay reproduces every reply.
 */
public record TurnRequest(String conversationId, long turn, float[] state, String speaker, String text,
        boolean reply) {
    public TurnRequest {
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(speaker, "speaker");
        Objects.requireNonNull(text, "text");
    }
}
