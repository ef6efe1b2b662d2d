package io.wmstream.schemas.serde;

import io.wmstream.schemas.json.CanonicalJson;
import java.io.IOException;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Canonical JSON serde for an output record type (replies, summaries). */
public final class JsonRecordSerde<T> implements Serde<T> {
    private final Class<T> type;

    public JsonRecordSerde(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : CanonicalJson.write(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return CanonicalJson.mapper().readValue(bytes, type);
            } catch (IOException | IllegalArgumentException e) {
                throw new SerializationException("not a valid " + type.getSimpleName() + " record: "
                        + e.getMessage(), e);
            }
        };
    }
}
