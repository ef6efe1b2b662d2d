package io.wmstream.schemas.output;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/** Which model produced an output: its bundle name and version. */
@JsonPropertyOrder({"name", "version"})
public record ModelRef(String name, String version) {
    public ModelRef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
    }
}
