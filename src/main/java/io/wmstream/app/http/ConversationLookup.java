package io.wmstream.app.http;

/** Finds one conversation's working memory for {@code GET /conversations/{id}}. */
@FunctionalInterface
public interface ConversationLookup {
    /** Answers 501: the pipeline offers no conversation queries. */
    ConversationLookup NOT_AVAILABLE = id -> new LookupResult.Unavailable(
            "conversation queries are not available in this pipeline", true);

    /** Looks up {@code conversationId}; never throws for an unknown or unreachable conversation. */
    LookupResult lookup(String conversationId);
}
