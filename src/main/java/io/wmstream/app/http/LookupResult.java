package io.wmstream.app.http;

import java.net.URI;
import java.util.Objects;

/** What a {@link ConversationLookup} found, mapped by the HTTP server to 200, 404, 307, 503 or 501. */
public sealed interface LookupResult {

    /** This instance holds the conversation: {@code json} is the response body (UTF-8 JSON). */
    record Found(byte[] json) implements LookupResult {
        public Found {
            Objects.requireNonNull(json, "json");
        }
    }

    /** No instance holds the conversation. */
    record NotFound() implements LookupResult {
    }

    /** Another instance owns the conversation; the client should ask it at {@code location}. */
    record Elsewhere(URI location) implements LookupResult {
        public Elsewhere {
            Objects.requireNonNull(location, "location");
        }
    }

    /**
     * The answer cannot be given now (rebalancing, restoring) or at all ({@code permanent}, e.g. not wired).
     */
    record Unavailable(String reason, boolean permanent) implements LookupResult {
        public Unavailable {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
