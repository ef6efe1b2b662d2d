package io.wmstream.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.schemas.json.CanonicalJson;
import io.wmstream.schemas.output.FilledValue;
import io.wmstream.schemas.output.InReplyTo;
import io.wmstream.schemas.output.ModelRef;
import io.wmstream.schemas.output.Reply;
import io.wmstream.schemas.output.ReplySlot;
import io.wmstream.schemas.output.StateValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class MwzevalTurnTest {
    private static final ModelRef MODEL = new ModelRef("wm-gru-dialogue", "3.0.0");

    @Test
    void shouldPutMwzevalPlaceholdersWhereValuesWereFilledAndLeft() {
        // Given a reply that put in a train's departure, its leaving time and a count, and left its id and price
        String text = "There are 4 trains from Ely at 08:15. [id] costs [price], shall I book it?";
        JsonNode reply = reply(text, List.of(new ReplySlot("id", 38, 42), new ReplySlot("price", 49, 56)),
                List.of(new FilledValue("count", "4", 0, 10, 11), new FilledValue("place", "ely", 0, 24, 27),
                        new FilledValue("time", "08:15", 2, 31, 36)),
                List.of(new StateValue("train.place.from", "Ely", 0), new StateValue("train.time.leave", "08:15", 2),
                        new StateValue("train.date", "Tuesday", 0)));

        // When it is read as mwzeval's turn
        String response = MwzevalTurn.response(reply);

        // Then each value is its MultiWOZ placeholder, by the state slot that holds it where the type is wider
        assertThat(response).isEqualTo("There are [value_choice] trains from [value_departure] at [value_leave]. "
                + "[value_id] costs [value_price], shall I book it?");
    }

    @Test
    void shouldNameAPlaceNoSlotHoldsByWhatItIs() {
        // Given a reply that put in an area and another place, neither in the state, and left a place
        String text = "The centre has one near Grafton, and one in the [place].";
        JsonNode reply = reply(text, List.of(new ReplySlot("place", 48, 55)),
                List.of(new FilledValue("place", "centre", 0, 4, 10), new FilledValue("place", "Grafton", 0, 24,
                        31)), List.of());

        // When it is read as mwzeval's turn
        String response = MwzevalTurn.response(reply);

        // Then MultiWOZ's area is an area, and the others are places
        assertThat(response).isEqualTo("The [value_area] has one near [value_place], and one in the [value_place].");
    }

    @Test
    void shouldKeepTheStateSlotsMultiwozHasInItsNames() {
        // Given a state of a restaurant booking, a hotel's stars, a taxi's car and an SGD domain's slot
        List<StateValue> state = List.of(new StateValue("restaurant.food", "Italian", 0),
                new StateValue("restaurant.time", "18:45", 2), new StateValue("restaurant.people", "6", 2),
                new StateValue("hotel.count.stars", "4", 4), new StateValue("taxi.car", "red Tesla", 6),
                new StateValue("flight.place.to", "Boston", 8));

        // When it is read as mwzeval's state
        JsonNode mwzeval = MwzevalTurn.state(CanonicalJson.mapper().valueToTree(state));

        // Then the MultiWOZ slots have MultiWOZ 2.2's names and values in lower case; the others are left out
        assertThat(mwzeval.toString()).isEqualTo("{\"restaurant\":{\"food\":\"italian\",\"book time\":\"18:45\","
                + "\"book people\":\"6\"},\"hotel\":{\"stars\":\"4\"}}");
    }

    @Test
    void shouldLeaveTheStateOutWhenTheModelTracksNone() {
        // Given a reply of a model without dialogue-state heads
        JsonNode reply = CanonicalJson.mapper().valueToTree(new Reply("SNG0001", new InReplyTo(0L, null), 1,
                "assistant", "Hello, how can I help?", 5, MODEL, null));

        // When it is read as mwzeval's turn
        JsonNode turn = MwzevalTurn.of(reply);

        // Then the turn has the response only: mwzeval then uses MultiWOZ's own states
        assertThat(turn.toString()).isEqualTo("{\"response\":\"Hello, how can I help?\"}");
    }

    private static JsonNode reply(String text, List<ReplySlot> slots, List<FilledValue> filled,
            List<StateValue> state) {
        return CanonicalJson.mapper().valueToTree(new Reply("PMUL0001", new InReplyTo(2L, null), 3, "assistant",
                text, 12, slots, filled, state, List.of(), MODEL, null));
    }
}
