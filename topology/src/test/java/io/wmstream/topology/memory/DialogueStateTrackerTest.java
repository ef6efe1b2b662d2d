package io.wmstream.topology.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.model.StateReading;
import io.wmstream.model.StateReading.ValueReading;
import io.wmstream.model.TaggedValue;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DialogueStateTrackerTest {

    private static ValueReading value(String type, String text, String slot, boolean enters) {
        return new ValueReading(new TaggedValue(type, text, 1, 1, 0.9), Optional.ofNullable(slot), enters);
    }

    private static StateReading user(List<ValueReading> values, List<String> accepted, List<String> requested) {
        return new StateReading(true, values, accepted, List.of(), requested);
    }

    private static StateReading system(ValueReading... values) {
        return new StateReading(false, List.of(values), List.of(), List.of(), List.of());
    }

    @Test
    void shouldReplaceAValueTheUserChangedAndKeepOneValueASlot() {
        // Given a user who booked for tuesday
        DialogueState state = DialogueStateTracker.apply(DialogueState.EMPTY,
                user(List.of(value("date", "tuesday", "hotel.date", true)), List.of(), List.of()), 0);

        // When the user moves it to wednesday
        state = DialogueStateTracker.apply(state,
                user(List.of(value("date", "wednesday", "hotel.date", true)), List.of(), List.of()), 2);

        // Then the slot holds wednesday alone, from the turn that set it
        assertThat(state.agreed()).containsExactly(new StateEntry("hotel.date", "wednesday", 2));
    }

    @Test
    void shouldHoldTwoValuesOfOneTypeInTheirOwnSlots() {
        // Given a user turn with a departure and a destination
        DialogueState state = DialogueStateTracker.apply(DialogueState.EMPTY, user(List.of(
                value("place", "acorn guest house", "taxi.place.from", true),
                value("place", "clowns cafe", "taxi.place.to", true)), List.of(), List.of()), 4);

        // Then both are held, by slot, and the reply fills a place with the one set last (the first on a tie)
        assertThat(state.agreed()).extracting(StateEntry::slot).containsExactly("taxi.place.from", "taxi.place.to");
        assertThat(state.latestOfType("place").value()).isEqualTo("acorn guest house");
    }

    @Test
    void shouldTakeAnOfferOnlyWhenTheUserAcceptsIt() {
        // Given the system offering a hotel and a price range
        DialogueState offered = DialogueStateTracker.apply(DialogueState.EMPTY, system(
                value("name", "ashley hotel", "hotel.name", false),
                value("price_range", "moderate", "hotel.price_range", false)), 1);
        assertThat(offered.offers()).hasSize(2);
        assertThat(offered.agreed()).isEmpty();

        // When the user accepts the name only, and a user turn accepting nothing follows
        DialogueState accepted = DialogueStateTracker.apply(offered, user(List.of(), List.of("hotel.name"),
                List.of()), 2);
        DialogueState later = DialogueStateTracker.apply(accepted, user(List.of(), List.of("hotel.price_range"),
                List.of()), 3);

        // Then the name enters on the accepting turn, the price range never does, and the offers are spent
        assertThat(accepted.agreed()).containsExactly(new StateEntry("hotel.name", "ashley hotel", 2));
        assertThat(accepted.offers()).isEmpty();
        assertThat(later.agreed()).isEqualTo(accepted.agreed());
    }

    @Test
    void shouldKeepAValueAsTheConversationWroteIt() {
        // When a user names a place with capitals and a non-ASCII letter
        var value = new ValueReading(new TaggedValue("place", "café jello", 1, 2, 0.9, "Café Jello"),
                Optional.of("restaurant.name"), true);
        DialogueState state = DialogueStateTracker.apply(DialogueState.EMPTY, user(List.of(value), List.of(),
                List.of()), 3);

        // Then the state holds the characters the user wrote, not the tokenizer's lowercase form
        assertThat(state.agreed()).containsExactly(new StateEntry("restaurant.name", "Café Jello", 3));
    }

    @Test
    void shouldKeepAMentionThatDoesNotEnterOutOfTheState() {
        // When a user names a value the model says does not enter (an option turned down), and one without a slot
        DialogueState state = DialogueStateTracker.apply(DialogueState.EMPTY, user(List.of(
                value("date", "tuesday", "hotel.date", false), value("phone", "01223", null, true)), List.of(),
                List.of()), 0);

        // Then nothing is agreed
        assertThat(state.agreed()).isEmpty();
    }

    @Test
    void shouldDropASlotTheUserDrops() {
        // Given a state with an area
        DialogueState state = DialogueStateTracker.apply(DialogueState.EMPTY,
                user(List.of(value("place", "north", "hotel.place", true)), List.of(), List.of()), 0);

        // When a user turn drops it
        state = DialogueStateTracker.apply(state,
                new StateReading(true, List.of(), List.of(), List.of("hotel.place"), List.of()), 2);

        // Then it is gone
        assertThat(state.agreed()).isEmpty();
    }

    @Test
    void shouldKeepRequestsOpenUntilAReplyOrASystemTurnGivesThem() {
        // Given a user asking for the phone and the address
        DialogueState state = DialogueStateTracker.apply(DialogueState.EMPTY,
                user(List.of(), List.of(), List.of("phone", "address")), 0);
        assertThat(state.openRequests()).containsExactly("phone", "address");

        // When a reply gives the phone, then a system turn states the address
        DialogueState answered = DialogueStateTracker.answered(state, Set.of("phone", "time"));
        DialogueState closed = DialogueStateTracker.apply(answered, system(value("address", "1 main st", null,
                false)), 1);

        // Then the phone closes with the reply and the address with the system turn
        assertThat(answered.openRequests()).containsExactly("address");
        assertThat(closed.openRequests()).isEmpty();
    }
}
