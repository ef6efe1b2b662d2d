package io.wmstream.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.schemas.event.ConversationEvent;
import io.wmstream.schemas.json.CanonicalJson;
import io.wmstream.schemas.output.FilledValue;
import io.wmstream.schemas.output.InReplyTo;
import io.wmstream.schemas.output.ModelRef;
import io.wmstream.schemas.output.Reply;
import io.wmstream.schemas.output.ReplySlot;
import io.wmstream.schemas.output.StateValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MwzevalExportTest {
    private static final ModelRef MODEL = new ModelRef("wm-gru-dialogue", "3.0.0");

    @TempDir
    Path dir;

    @Test
    void shouldWriteOneTurnPerUserTurnKeyedByTheDialogueIdInLowerCase() throws IOException {
        // Given a MultiWOZ dialogue of two user turns, each answered, the second with a reference left to fill
        MwzevalExport export = new MwzevalExport(List.of("user"));
        export.onInput(utterance("PMUL0612.json", 0, "user", "I want a cheap place to eat in the centre."));
        export.onInput(utterance("PMUL0612.json", 1, "system", "Dojo noodle bar is cheap and central."));
        export.onReply(reply("PMUL0612.json", 0, "There are several, any food you like?", List.of(),
                List.of(new StateValue("restaurant.price_range", "cheap", 0),
                        new StateValue("restaurant.place", "centre", 0))));
        export.onInput(utterance("PMUL0612.json", 2, "user", "Book it for two at 18:30 please."));
        export.onReply(reply("PMUL0612.json", 2, "Done, your reference is [reference].",
                List.of(new ReplySlot("reference", 24, 35)),
                List.of(new StateValue("restaurant.price_range", "cheap", 0),
                        new StateValue("restaurant.people", "2", 2))));

        // When the export is written
        Path file = dir.resolve("mwzeval.json");
        MwzevalExport.Written written = export.write(file);

        // Then the file is mwzeval's input: the id in lower case without .json, one turn per user turn, in order
        JsonNode json = CanonicalJson.readTree(Files.readAllBytes(file));
        assertThat(json.fieldNames()).toIterable().containsExactly("pmul0612");
        JsonNode turns = json.get("pmul0612");
        assertThat(turns).hasSize(2);
        assertThat(turns.get(1).get("response").asText()).isEqualTo("Done, your reference is [value_reference].");
        assertThat(turns.get(1).get("state").toString()).isEqualTo(
                "{\"restaurant\":{\"pricerange\":\"cheap\",\"book people\":\"2\"}}");
        assertThat(turns.get(0).get("state").get("restaurant").get("area").asText()).isEqualTo("centre");
        // And it says what it wrote
        assertThat(written).isEqualTo(new MwzevalExport.Written(1, 2, 0, Map.of("value_reference", 1L), 0, null));
    }

    @Test
    void shouldKeepTheTurnOfAnUnansweredUserTurnSoTheReferencesStayAligned() throws IOException {
        // Given a dialogue whose second user turn got no reply (dead-lettered), then a third that did
        MwzevalExport export = new MwzevalExport(List.of("user"));
        export.onInput(utterance("SNG0073", 0, "user", "Is there a taxi to the station?"));
        export.onReply(reply("SNG0073", 0, "Where from?", List.of(),
                List.of(new StateValue("taxi.place.to", "the station", 0))));
        export.onInput(utterance("SNG0073", 2, "user", "From the museum."));
        export.onInput(utterance("SNG0073", 4, "user", "At five, thanks."));
        export.onReply(reply("SNG0073", 4, "Booked.", List.of(), List.of()));

        // When the export is written
        Path file = dir.resolve("mwzeval.json");
        MwzevalExport.Written written = export.write(file);

        // Then the unanswered turn has an empty response and the state before it, in its place
        JsonNode turns = CanonicalJson.readTree(Files.readAllBytes(file)).get("sng0073");
        assertThat(turns).hasSize(3);
        assertThat(turns.get(1).toString()).isEqualTo(
                "{\"response\":\"\",\"state\":{\"taxi\":{\"destination\":\"station\"}}}");
        assertThat(turns.get(2).get("response").asText()).isEqualTo("Booked.");
        assertThat(written.unanswered()).isEqualTo(1);
    }

    @Test
    void shouldLeaveOutAndCountConversationsWhoseIdsAreNotMultiwoz() throws IOException {
        // Given an SGD conversation and a MultiWOZ one
        MwzevalExport export = new MwzevalExport(List.of("user"));
        export.onInput(utterance("1_00000", 0, "user", "I need a bus to Fresno."));
        export.onReply(reply("1_00000", 0, "When do you leave?", List.of(), List.of()));
        export.onInput(utterance("MUL0012", 0, "user", "A hotel with free parking, please."));
        export.onReply(reply("MUL0012", 0, "What area?", List.of(), List.of()));

        // When the export is written
        Path file = dir.resolve("mwzeval.json");
        MwzevalExport.Written written = export.write(file);

        // Then only the MultiWOZ dialogue is in it, and the other is counted, by its id
        assertThat(CanonicalJson.readTree(Files.readAllBytes(file)).fieldNames()).toIterable()
                .containsExactly("mul0012");
        assertThat(written.leftOut()).isEqualTo(1);
        assertThat(written.firstLeftOut()).isEqualTo("1_00000");
    }

    @Test
    void shouldRecogniseMultiwozDialogueIds() {
        // Given ids of each MultiWOZ kind, with and without .json, and ids of other datasets
        // When they are read as mwzeval's keys
        // Then MultiWOZ's are lower case without .json, the others have none
        assertThat(MwzevalExport.dialogueKey("PMUL4398.json")).isEqualTo("pmul4398");
        assertThat(MwzevalExport.dialogueKey("SNG0073")).isEqualTo("sng0073");
        assertThat(MwzevalExport.dialogueKey("SSNG0348.json")).isEqualTo("ssng0348");
        assertThat(MwzevalExport.dialogueKey("WOZ20000.json")).isEqualTo("woz20000");
        assertThat(MwzevalExport.dialogueKey("mul0012")).isEqualTo("mul0012");
        assertThat(MwzevalExport.dialogueKey("1_00000")).isNull();
        assertThat(MwzevalExport.dialogueKey("dlg-3f1c")).isNull();
        assertThat(MwzevalExport.dialogueKey("PMUL")).isNull();
    }

    private static ConversationEvent utterance(String id, long turn, String speaker, String text) {
        return ConversationEvent.utterance(id, turn, speaker, text);
    }

    private static JsonNode reply(String id, long answered, String text, List<ReplySlot> slots,
            List<StateValue> state) {
        return CanonicalJson.mapper().valueToTree(new Reply(id, new InReplyTo(answered, null), answered + 1,
                "assistant", text, 8, slots, List.<FilledValue>of(), state, List.of(), MODEL, null));
    }
}
