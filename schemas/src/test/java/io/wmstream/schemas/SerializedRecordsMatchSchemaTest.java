package io.wmstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import io.wmstream.schemas.event.ConversationEvent;
import io.wmstream.schemas.event.EventType;
import io.wmstream.schemas.json.CanonicalJson;
import io.wmstream.schemas.output.Fact;
import io.wmstream.schemas.output.FilledValue;
import io.wmstream.schemas.output.Highlight;
import io.wmstream.schemas.output.InReplyTo;
import io.wmstream.schemas.output.ModelRef;
import io.wmstream.schemas.output.Reply;
import io.wmstream.schemas.output.ReplySlot;
import io.wmstream.schemas.output.Summary;
import io.wmstream.schemas.output.SummaryKind;
import io.wmstream.schemas.output.SummaryReason;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SerializedRecordsMatchSchemaTest {
    private static final ModelRef MODEL = new ModelRef("wm-gru-dialogue", "1.0.0");
    private static final ModelRef MODEL_2 = new ModelRef("wm-gru-dialogue", "2.0.0");

    @Test
    void shouldSerializeEveryEventTypeToAValidConversationEvent() throws IOException {
        // Given one event of each type, with and without optional fields
        ObjectNode metadata = CanonicalJson.mapper().createObjectNode().put("channel", "web").put("score", 0.25);
        List<ConversationEvent> events = List.of(
                ConversationEvent.utterance("order-17", 0, "user", "Can I move my table to 7:30 pm?"),
                new ConversationEvent(EventType.UTTERANCE, "order-17", "evt-2", 1L, "agent",
                        "Yes, it's moved.\nAnything else?", 1_767_268_800_000L, metadata),
                ConversationEvent.control(EventType.END, "order-17", 2L),
                ConversationEvent.control(EventType.RESET, "order-17", null),
                ConversationEvent.control(EventType.FORGET, "order-17", null));
        JsonSchema schema = SchemaFilesTest.SchemaResources.compile("conversation-event.schema.json");

        // When each is serialized and validated, Then none breaks the schema
        for (ConversationEvent event : events) {
            assertThat(validate(schema, event)).as(event.toString()).isEmpty();
        }
    }

    @Test
    void shouldSerializeRepliesThatMatchTheReplySchema() throws IOException {
        // Given replies with and without the optional parts
        ObjectNode metadata = CanonicalJson.mapper().createObjectNode().put("channel", "web");
        List<Reply> replies = List.of(
                new Reply("order-17", new InReplyTo(0L, "evt-1"), 1, "assistant", "sure , at 7:30 .", 6, MODEL,
                        metadata),
                new Reply("order-17", new InReplyTo(null, null), 0, "assistant", "", 0, MODEL, null),
                new Reply("order-17", new InReplyTo(2L, null), 3, "assistant", "booked at 7:30 , ref [reference] .",
                        9, List.of(new ReplySlot("reference", 21, 32)),
                        List.of(new FilledValue("time", "7:30", 0, 10, 14)), MODEL_2, null));
        JsonSchema schema = SchemaFilesTest.SchemaResources.compile("reply.schema.json");

        // When validated, Then they match
        for (Reply reply : replies) {
            assertThat(validate(schema, reply)).as(reply.toString()).isEmpty();
        }
    }

    @Test
    void shouldSerializeSummariesThatMatchTheSummarySchema() throws IOException {
        // Given a rolling, a final and a forgotten summary
        List<Highlight> highlights = List.of(new Highlight(0, "user", "a table for 4 at 7:30 pm", 0.8125),
                new Highlight(3, "agent", "booked under the name Ruiz", 0.3333333));
        List<Summary> summaries = List.of(
                new Summary("order-17", SummaryKind.ROLLING, SummaryReason.EVERY_N_TURNS, 7, 8,
                        "a table for 4 at 7:30 pm booked under the name Ruiz", highlights, MODEL, null),
                new Summary("order-17", SummaryKind.FINAL, SummaryReason.IDLE, 9, 10, "a table for 4", highlights,
                        MODEL, CanonicalJson.mapper().createObjectNode().put("channel", "web")),
                new Summary("order-17", SummaryKind.FORGOTTEN, SummaryReason.FORGET, 0, 0, "", List.of(), MODEL,
                        null),
                new Summary("order-17", SummaryKind.FINAL, SummaryReason.END, 9, 10, "a table for 4", highlights,
                        List.of(new Fact("people", "4", 0), new Fact("time", "7:30 pm", 0)), MODEL_2, null),
                new Summary("order-17", SummaryKind.FORGOTTEN, SummaryReason.FORGET, 0, 0, "", List.of(),
                        List.of(), MODEL_2, null));
        JsonSchema schema = SchemaFilesTest.SchemaResources.compile("summary.schema.json");

        // When validated, Then they match
        for (Summary summary : summaries) {
            assertThat(validate(schema, summary)).as(summary.toString()).isEmpty();
        }
    }

    @Test
    void shouldCatchARecordThatBreaksItsSchema() throws IOException {
        // Given a serialized reply with its required "model" removed
        Reply reply = new Reply("c", new InReplyTo(0L, null), 1, "assistant", "ok", 1, MODEL, null);
        ObjectNode json = (ObjectNode) CanonicalJson.mapper().readTree(CanonicalJson.write(reply));
        json.remove("model");
        JsonSchema schema = SchemaFilesTest.SchemaResources.compile("reply.schema.json");

        // When validated, Then the validator reports it (so the tests above can fail)
        assertThat(schema.validate(json)).isNotEmpty();
    }

    private static Set<ValidationMessage> validate(JsonSchema schema, Object record) throws IOException {
        JsonNode json = CanonicalJson.mapper().readTree(CanonicalJson.write(record));
        return schema.validate(json);
    }
}
