package io.wmstream.app.http;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Interactive-query routing: a conversation is read locally when this instance hosts the active task of its key,
 * and answered with a redirect to the owning instance ({@code application.server}) otherwise.
 */
public final class RoutingConversationLookup implements ConversationLookup {
    private final KafkaStreams streams;
    private final String storeName;
    private final HostInfo self;
    private final LocalConversationReader local;

    /**
     * @param storeName the store keyed by conversationId (String key serde) that holds the memory
     * @param self this instance's {@code application.server}; null means "single instance, always local"
     */
    public RoutingConversationLookup(KafkaStreams streams, String storeName, HostInfo self,
            LocalConversationReader local) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.storeName = Objects.requireNonNull(storeName, "storeName");
        this.self = self;
        this.local = Objects.requireNonNull(local, "local");
    }

    @Override
    public LookupResult lookup(String conversationId) {
        if (self != null) {
            KeyQueryMetadata owner;
            try {
                owner = streams.queryMetadataForKey(storeName, conversationId, Serdes.String().serializer());
            } catch (IllegalStateException e) {
                return new LookupResult.Unavailable("the pipeline is not running: " + e.getMessage(), false);
            }
            if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
                return new LookupResult.Unavailable("the owner of this conversation is not known yet (rebalancing)",
                        false);
            }
            if (!self.equals(owner.activeHost())) {
                HostInfo host = owner.activeHost();
                return new LookupResult.Elsewhere(URI.create("http://" + host.host() + ":" + host.port()
                        + "/conversations/" + URLEncoder.encode(conversationId, StandardCharsets.UTF_8)
                        .replace("+", "%20")));
            }
        }
        try {
            Optional<byte[]> json = local.read(conversationId);
            return json.<LookupResult>map(LookupResult.Found::new).orElseGet(LookupResult.NotFound::new);
        } catch (InvalidStateStoreException e) {
            return new LookupResult.Unavailable("the store is not queryable now: " + e.getMessage(), false);
        }
    }
}
