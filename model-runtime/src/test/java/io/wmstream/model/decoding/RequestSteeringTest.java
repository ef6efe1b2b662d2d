package io.wmstream.model.decoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.FloatBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestSteeringTest {
    private static final List<String> VOCABULARY = List.of("<pad>", "<eou>", "[phone]", "[address]", "the", "is",
            "[postcode]");
    /** The model's request types, in the order of their scores; "car" has no placeholder in this vocabulary. */
    private static final List<String> TYPES = List.of("address", "car", "phone", "postcode");
    /** Two slots: the update scores hold 2 x 2 slot scores before the request scores. */
    private static final int OFFSET = 4;
    private static final int STOP = 1;

    private static float[] scores(float address, float car, float phone, float postcode) {
        return new float[] {9f, 9f, 9f, 9f, address, car, phone, postcode};
    }

    @Test
    void shouldTargetThePlaceholdersOfTheTypesScoredAboveTheThreshold() {
        // Given steering with a threshold of -1
        RequestSteering steering = RequestSteering.of(TYPES, OFFSET, VOCABULARY::indexOf, 4.0, -1.0, STOP);

        // When a turn's request scores put the address and the car above it, the phone at it, the postcode below
        int[] targets = steering.targets(scores(2.5f, 0.3f, -1.0f, -3f));

        // Then the reply is steered to the address only: the car has no placeholder, the phone is not above -1,
        // and the slot scores before the offset are never read as requests
        assertThat(targets).containsExactly(VOCABULARY.indexOf("[address]"));
    }

    @Test
    void shouldBoostATargetOnlyUntilTheReplyHoldsIt() {
        // Given steering to the phone and the postcode with a boost of 4
        RequestSteering steering = RequestSteering.of(TYPES, OFFSET, VOCABULARY::indexOf, 4.0, 0.0, STOP);
        int[] targets = steering.targets(scores(-5f, -5f, 1f, 1f));
        int phone = VOCABULARY.indexOf("[phone]");
        int postcode = VOCABULARY.indexOf("[postcode]");
        FloatBuffer logits = FloatBuffer.allocate(2 * VOCABULARY.size());

        // When the second row of a batch has a reply that already holds the phone
        int[] reply = {VOCABULARY.indexOf("the"), phone, VOCABULARY.indexOf("is")};
        steering.apply(logits, VOCABULARY.size(), targets, reply, reply.length);

        // Then only that row's postcode is boosted, fully after three tokens, and the row's end held back as much
        assertThat(logits.get(VOCABULARY.size() + postcode)).isEqualTo(4f);
        assertThat(logits.get(VOCABULARY.size() + phone)).isZero();
        assertThat(logits.get(VOCABULARY.size() + STOP)).isEqualTo(-4f);
        assertThat(logits.get(postcode)).isZero();
        assertThat(steering.adjustment(postcode, targets, reply, reply.length)).isEqualTo(4.0);
        assertThat(steering.adjustment(phone, targets, reply, reply.length)).isZero();
    }

    @Test
    void shouldGrowTheBoostOverTheFirstTokensOfTheReply() {
        // Given steering to the phone with a boost of 6
        RequestSteering steering = RequestSteering.of(TYPES, OFFSET, VOCABULARY::indexOf, 6.0, 0.0, STOP);
        int[] targets = steering.targets(scores(-5f, -5f, 1f, -5f));
        int phone = VOCABULARY.indexOf("[phone]");
        int[] reply = {VOCABULARY.indexOf("the"), VOCABULARY.indexOf("is"), VOCABULARY.indexOf("the"), 0};

        // When the reply has 0, 1 and 4 tokens
        // Then the first token is not steered (a reply opening with the value reads as a list), the second gets a
        // third of the boost, and from the third on the whole boost; the end is held back while the phone is missing
        assertThat(steering.adjustment(phone, targets, reply, 0)).isZero();
        assertThat(steering.adjustment(phone, targets, reply, 1)).isCloseTo(2.0, within(1e-9));
        assertThat(steering.adjustment(phone, targets, reply, 4)).isEqualTo(6.0);
        assertThat(steering.adjustment(STOP, targets, reply, 1)).isEqualTo(-6.0);
    }

    @Test
    void shouldBoostTheWordNamingTheAttributeBeforeItsPlaceholder() {
        // Given a vocabulary with the word "phone" and steering to the phone with a boost of 6
        List<String> words = List.of("<pad>", "<eou>", "[phone]", "phone", "the", "number", "is", "[address]");
        RequestSteering steering = RequestSteering.of(TYPES, OFFSET, words::indexOf, 6.0, 0.0, STOP);
        int[] targets = steering.targets(scores(-5f, -5f, 1f, -5f));
        int phone = words.indexOf("[phone]");
        int name = words.indexOf("phone");
        int[] reply = {words.indexOf("the"), words.indexOf("the"), words.indexOf("the"), name,
            words.indexOf("number"), words.indexOf("is")};

        // When the reply has not named the phone yet, has just named it, and has said "phone number is"
        // Then the word is boosted first, nothing right after it (the value goes after its verb), then the
        // placeholder
        assertThat(steering.adjustment(name, targets, reply, 3)).isEqualTo(6.0);
        assertThat(steering.adjustment(phone, targets, reply, 3)).isZero();
        assertThat(steering.adjustment(phone, targets, reply, 5)).isZero();
        assertThat(steering.adjustment(name, targets, reply, 5)).isZero();
        assertThat(steering.adjustment(phone, targets, reply, 6)).isEqualTo(6.0);
        assertThat(steering.adjustment(STOP, targets, reply, 6)).isEqualTo(-6.0);
    }

    /** A vocabulary with the words of the phone's and the postcode's answer sentences. */
    private static final List<String> SENTENCES = List.of("<pad>", "<eou>", "[phone]", "phone", "the", "number",
            "is", ".", "[postcode]", "postcode", "sure", ",", "?", "anything", "else");

    private static int[] words(String... tokens) {
        return java.util.Arrays.stream(tokens).mapToInt(SENTENCES::indexOf).toArray();
    }

    @Test
    void shouldAnswerEachRequestWithItsSentenceWhereASentenceStarts() {
        // Given steering to the phone and the postcode, whose answer sentences the vocabulary spells
        RequestSteering steering = RequestSteering.of(TYPES, OFFSET, SENTENCES::indexOf, 6.0, 0.0, STOP);
        int[] targets = steering.targets(scores(-5f, -5f, 1f, 1f));
        int[] reply = words("the", "phone", "number", "is", "[phone]", ".", "the", "postcode", "is", "[postcode]",
                ".", "anything", "else", "?");

        // When the reply is written token by token
        // Then each token of "the phone number is [phone] ." is forced in turn from the reply's start, including the
        // full stop after the placeholder, then the postcode's sentence after it, and nothing once both are given
        for (int length = 0; length < 11; length++) {
            assertThat(steering.adjustment(reply[length], targets, reply, length)).as("token %d", length)
                    .isEqualTo(RequestSteering.FORCED);
        }
        assertThat(steering.adjustment(reply[11], targets, reply, 11)).isZero();
        assertThat(steering.adjustment(STOP, targets, reply, 11)).isZero();
    }

    @Test
    void shouldLeaveTheModelsOwnSentenceAloneOnceTheTargetIsGiven() {
        // Given steering to the phone only
        RequestSteering steering = RequestSteering.of(TYPES, OFFSET, SENTENCES::indexOf, 6.0, 0.0, STOP);
        int[] targets = steering.targets(scores(-5f, -5f, 1f, -5f));

        // When the reply gave the phone and the model starts a sentence of its own with "the"
        int[] reply = words("sure", ",", "the", "phone", "number", "is", "[phone]", ".", "the");

        // Then nothing is forced: "the" is not read as the start of another answer
        for (String token : SENTENCES) {
            assertThat(steering.adjustment(SENTENCES.indexOf(token), targets, reply, reply.length)).isZero();
        }
    }

    @Test
    void shouldStartTheAnswerOnlyWhereASentenceStarts() {
        // Given steering to the phone
        RequestSteering steering = RequestSteering.of(TYPES, OFFSET, SENTENCES::indexOf, 6.0, 0.0, STOP);
        int[] targets = steering.targets(scores(-5f, -5f, 1f, -5f));
        FloatBuffer logits = FloatBuffer.allocate(SENTENCES.size());

        // When the model is in the middle of its own sentence ("sure ,")
        int[] reply = words("sure", ",");
        steering.apply(logits, 0, targets, reply, reply.length);

        // Then no word is forced into it: the word naming the phone gets the boost (two thirds of it, two tokens
        // in), so the model may give it in its own words, and the end of the reply is held back while it is missing
        int name = SENTENCES.indexOf("phone");
        for (int token = 0; token < SENTENCES.size(); token++) {
            assertThat(logits.get(token)).isEqualTo(token == STOP ? -6f : token == name ? 4f : 0f);
        }
    }

    @Test
    void shouldSteerNothingWithoutABoost() {
        // Given a boost of 0 (the runtime's default)
        RequestSteering steering = RequestSteering.of(TYPES, OFFSET, VOCABULARY::indexOf, 0.0, 0.0, STOP);

        // When a turn asks for everything
        // Then no reply is steered
        assertThat(steering.active()).isFalse();
        assertThat(steering.targets(scores(5f, 5f, 5f, 5f))).isEmpty();
    }
}
