package io.wmstream.topology.facts;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.schemas.output.FilledValue;
import io.wmstream.schemas.output.ReplySlot;
import io.wmstream.topology.memory.ModelStamp;
import io.wmstream.topology.memory.RememberedTurn;
import io.wmstream.topology.memory.TrackedFact;
import io.wmstream.topology.memory.WorkingMemory;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyFillerTest {
    private static final ModelStamp MODEL = new ModelStamp("wm-gru-dialogue", "2.0.0", 1, 4);
    private final ReplyFiller filler = new ReplyFiller(List.of("time", "people", "reference", "number", "date"));

    @Test
    void shouldFillEachPlaceholderWithTheLatestValueOfItsTypeAndLeaveTheRestAsSlots() {
        // Given a memory that tracked two times (18:15 the latest) and a party size, but no reference
        WorkingMemory memory = memory(List.of(new RememberedTurn(2, "user", "make it 18:15 for 4 people", 1)),
                List.of(new TrackedFact("time", "18:15", 2), new TrackedFact("people", "4", 2),
                        new TrackedFact("time", "17:45", 0)));

        // When a reply with a time, a party size and a reference is filled
        ReplyFiller.FilledReply filled = filler.fill("booked for [people] at [time]. ref [reference].", memory);

        // Then the time and party are the latest values, the reference stays a slot at its code-point position
        assertThat(filled.text()).isEqualTo("booked for 4 at 18:15. ref [reference].");
        assertThat(filled.filled()).containsExactly(new FilledValue("people", "4", 2, 11, 12),
                new FilledValue("time", "18:15", 2, 16, 21));
        assertThat(filled.slots()).containsExactly(new ReplySlot("reference", 27, 38));
        assertThat(filled.text().substring(27, 38)).isEqualTo("[reference]");
    }

    @Test
    void shouldFillATypeOnceAndLeaveItsSecondPlaceholderForTheBackend() {
        // Given a memory with one time
        WorkingMemory memory = memory(List.of(), List.of(new TrackedFact("time", "9:00", 1)));

        // When a reply names two times (leave and arrive)
        ReplyFiller.FilledReply filled = filler.fill("leaves at [time], arrives at [time]", memory);

        // Then only the first is filled: the memory cannot tell which of the two it holds
        assertThat(filled.text()).isEqualTo("leaves at 9:00, arrives at [time]");
        assertThat(filled.slots()).extracting(ReplySlot::type).containsExactly("time");
    }

    @Test
    void shouldNotPutTheSameValueInForTwoTypes() {
        // Given a memory whose tagger read one title as both a title and a person
        ReplyFiller titles = new ReplyFiller(List.of("title", "person"));
        WorkingMemory memory = memory(List.of(), List.of(new TrackedFact("title", "La La Land", 7),
                new TrackedFact("person", "La La Land", 7)));

        // When a reply names a title and its artist
        ReplyFiller.FilledReply filled = titles.fill("How about [title] by [person]?", memory);

        // Then the title is filled once and the artist left for the backend, not the same value again
        assertThat(filled.text()).isEqualTo("How about La La Land by [person]?");
        assertThat(filled.slots()).containsExactly(new ReplySlot("person", 24, 32));
    }

    @Test
    void shouldLeaveAPlaceholderWhoseValueWouldRepeatThreeWordsOfTheReply() {
        // Given a memory with a gallery, its category and an area (MultiWOZ test, SNG0650's turns)
        ReplyFiller places = new ReplyFiller(List.of("name", "category", "place"));
        WorkingMemory memory = memory(List.of(), List.of(new TrackedFact("name", "Lynne Strover Gallery", 6),
                new TrackedFact("category", "museum", 9), new TrackedFact("place", "east", 2)));

        // When a reply has "is a [category]" and later the word itself, "is a museum"
        ReplyFiller.FilledReply filled = places.fill("The [name] is a [category] place. The [place] is a museum.",
                memory);

        // Then the category stays a slot instead of making "is a museum" twice; the other values are put in
        assertThat(filled.text()).isEqualTo("The Lynne Strover Gallery is a [category] place. The east is a museum.");
        assertThat(filled.slots()).containsExactly(new ReplySlot("category", 31, 41));
        assertThat(filled.filled()).extracting(FilledValue::type).containsExactly("name", "place");
    }

    @Test
    void shouldWriteAnBeforeAValueThatStartsWithAVowelSound() {
        // Given a memory with a price range, a cuisine and an area
        ReplyFiller places = new ReplyFiller(List.of("price_range", "food", "place"));
        WorkingMemory memory = memory(List.of(), List.of(new TrackedFact("price_range", "expensive", 0),
                new TrackedFact("food", "European", 0), new TrackedFact("place", "east", 0)));

        // When replies put them in after "a"
        ReplyFiller.FilledReply expensive = places.fill("It is a [price_range] restaurant in the [place].", memory);
        ReplyFiller.FilledReply european = places.fill("A [food] place, in a [place] street.", memory);

        // Then "a" becomes "an" before a vowel sound, not before "European", and the offsets follow the text
        assertThat(expensive.text()).isEqualTo("It is an expensive restaurant in the east.");
        assertThat(expensive.filled()).containsExactly(new FilledValue("price_range", "expensive", 0, 9, 18),
                new FilledValue("place", "east", 0, 37, 41));
        assertThat(european.text()).isEqualTo("A European place, in an east street.");
        assertThat(european.text().substring(european.filled().get(1).start(), european.filled().get(1).end()))
                .isEqualTo("east");
    }

    @Test
    void shouldTurnANumberOrCodeTheMemoryDoesNotHoldIntoASlot() {
        // Given a memory whose turns said "4 people" and "train tr1234"
        WorkingMemory memory = memory(List.of(new RememberedTurn(0, "user", "4 people on train TR1234", 1)),
                List.of());

        // When the model wrote out 4, tr1234, 15 and a code it made up
        ReplyFiller.FilledReply filled = filler.fill("tr1234 for 4, held 15 minutes, ref ab12cd", memory);

        // Then what the memory holds stays, the invented number and code become slots
        assertThat(filled.text()).isEqualTo("tr1234 for 4, held [number] minutes, ref [reference]");
        assertThat(filled.slots()).containsExactly(new ReplySlot("number", 19, 27), new ReplySlot("reference", 41, 52));
    }

    @Test
    void shouldLeaveTextWithoutPlaceholdersOrNumbersAsItIs() {
        // Given any memory
        WorkingMemory memory = memory(List.of(), List.of(new TrackedFact("time", "9:00", 1)));

        // When a reply names no placeholder, or a bracketed word that is not a type
        ReplyFiller.FilledReply filled = filler.fill("is there anything else? [sic] 😀", memory);

        // Then it is unchanged and nothing is filled or left
        assertThat(filled.text()).isEqualTo("is there anything else? [sic] 😀");
        assertThat(filled.filled()).isEmpty();
        assertThat(filled.slots()).isEmpty();
    }

    @Test
    void shouldWriteValuesAsTheConversationWroteThemCapitalisedOnlyAtASentenceStart() {
        // Given a memory that tracked a name with an accent, a reference of capitals and digits and a lowercase
        // name with an apostrophe, as the user wrote them
        ReplyFiller names = new ReplyFiller(List.of("name", "reference", "place"));
        WorkingMemory memory = memory(List.of(), List.of(new TrackedFact("name", "Café Jello", 3),
                new TrackedFact("reference", "CLW81PQ3", 5), new TrackedFact("place", "o'brien's yard", 4)));

        // When a reply in sentence case is filled, one placeholder starting a sentence
        ReplyFiller.FilledReply filled = names.fill("I booked [name] near [place]. [reference] is your reference.",
                memory);

        // Then the values are written as given, the one that starts a sentence with a capital first letter
        assertThat(filled.text()).isEqualTo("I booked Café Jello near o'brien's yard. CLW81PQ3 is your reference.");
        assertThat(filled.filled()).containsExactly(new FilledValue("name", "Café Jello", 3, 9, 19),
                new FilledValue("place", "o'brien's yard", 4, 25, 39), new FilledValue("reference", "CLW81PQ3", 5,
                        41, 49));
        for (FilledValue value : filled.filled()) {
            assertThat(codePoints(filled.text(), value.start(), value.end())).isEqualTo(value.value());
        }

        // And a lowercase value at a sentence start is capitalised in the text only, its offsets still exact
        ReplyFiller.FilledReply first = names.fill("[place] is where it is.", memory);
        assertThat(first.text()).isEqualTo("O'brien's yard is where it is.");
        assertThat(first.filled()).containsExactly(new FilledValue("place", "o'brien's yard", 4, 0, 14));
    }

    private static String codePoints(String text, int start, int end) {
        return text.substring(text.offsetByCodePoints(0, start), text.offsetByCodePoints(0, end));
    }

    private static WorkingMemory memory(List<RememberedTurn> turns, List<TrackedFact> facts) {
        return new WorkingMemory(MODEL, null, turns.size(), -1, 0, List.of(), turns, List.of(), facts);
    }
}
