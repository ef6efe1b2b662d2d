package io.wmstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SchemaFilesTest {
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    @ParameterizedTest
    @ValueSource(strings = {"conversation-event.schema.json", "reply.schema.json", "summary.schema.json"})
    void shouldBeValidDraft202012Schema(String file) throws IOException {
        // Given a schema file shipped in the jar
        JsonNode schema = SchemaResources.read(file);
        JsonSchema metaSchema = FACTORY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

        // When it is validated against the draft 2020-12 meta-schema
        Set<ValidationMessage> errors = metaSchema.validate(schema);

        // Then it is a valid schema that declares that draft
        assertThat(errors).isEmpty();
        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
    }

    @ParameterizedTest
    @ValueSource(strings = {"conversation-event.schema.json", "reply.schema.json", "summary.schema.json"})
    void shouldBeRejectedByTheMetaSchemaWhenBroken(String file) throws IOException {
        // Given a schema file whose "type" keyword is made invalid
        var schema = (com.fasterxml.jackson.databind.node.ObjectNode) SchemaResources.read(file);
        schema.put("type", "not-a-json-type");
        JsonSchema metaSchema = FACTORY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

        // When it is validated
        Set<ValidationMessage> errors = metaSchema.validate(schema);

        // Then the meta-schema check notices (so the test above can fail)
        assertThat(errors).isNotEmpty();
    }

    /** Loads schema files from the classpath, as users of the jar do. */
    static final class SchemaResources {
        private static final ObjectMapper MAPPER = new ObjectMapper();

        private SchemaResources() {
        }

        static JsonNode read(String file) throws IOException {
            try (InputStream in = SchemaFilesTest.class.getResourceAsStream("/schemas/" + file)) {
                assertThat(in).as("resource /schemas/" + file).isNotNull();
                return MAPPER.readTree(in);
            }
        }

        static JsonSchema compile(String file) throws IOException {
            return FACTORY.getSchema(read(file));
        }
    }
}
