package io.wmstream.model;

/**
 * A decoded reply: readable text in sentence case without special tokens, and how many tokens were generated.
 */
public record GeneratedReply(String text, int tokenCount) {
}
