package io.wmstream.model;

/**
 * What one utterance did to a conversation's memory. {@code state} is the memory to store: after the utterance,
 * and after the reply too when one was generated and replies feed back into memory. {@code memoryShift} is the
 * L2 distance between the memory before and right after the utterance (a salience signal). {@code reply} is null
 * when none was asked for.
 */
public record TurnResult(float[] state, double memoryShift, int utteranceTokens, GeneratedReply reply) {
}
