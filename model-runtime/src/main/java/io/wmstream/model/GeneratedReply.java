package io.wmstream.model;

/** A decoded reply: readable text without special tokens, and how many tokens were generated. */
public record GeneratedReply(String text, int tokenCount) {
}
