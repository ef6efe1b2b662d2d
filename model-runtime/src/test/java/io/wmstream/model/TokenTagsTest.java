package io.wmstream.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenTagsTest {
    private static final List<String> CLASSES = List.of("none", "time", "people");

    @Test
    void shouldFindEachRunOfOneTypeAsAValueJoinedAsAReplyJoinsIt() {
        // Given "<user> 2 people at 18 : 15 , ok <eou>" tagged people, none, none, time time time, none...
        List<String> tokens = List.of("<user>", "2", "people", "at", "18", ":", "15", ",", "ok", "<eou>");
        int[] tags = {0, 2, 0, 0, 1, 1, 1, 0, 0, 1};
        float[] p = {0f, 0.9f, 0.2f, 0f, 0.8f, 0.7f, 0.9f, 0f, 0f, 0.6f};

        // When its values are read
        TokenTags read = TokenTags.of(new int[tokens.size()], tokens, tags, p, CLASSES, t -> String.join("", t));

        // Then there are two, typed, with positions, lengths and mean probabilities; the end of utterance is none
        assertThat(read.values()).hasSize(2);
        assertThat(read.values().get(0)).isEqualTo(new TaggedValue("people", "2", 1, 1, 0.9f));
        TaggedValue time = read.values().get(1);
        assertThat(time.type()).isEqualTo("time");
        assertThat(time.text()).isEqualTo("18:15");
        assertThat(time.position()).isEqualTo(4);
        assertThat(time.length()).isEqualTo(3);
        assertThat(time.probability()).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void shouldKeepEachValueAsTheUtteranceWroteIt() {
        // Given "<user> at Café Jello , ref CLW81PQ3 <eou>" split (lowercase) with the original characters known
        List<String> tokens = List.of("<user>", "at", "café", "jello", ",", "ref", "clw81pq3", "<eou>");
        List<String> written = List.of("<user>", "at", "Café", "Jello", ",", "ref", "CLW81PQ3", "<eou>");
        int[] tags = {0, 0, 2, 2, 0, 0, 1, 0};

        // When its values are read with a source of the original characters (a space between words)
        TokenTags read = TokenTags.of(new int[tokens.size()], tokens, tags, new float[tokens.size()], CLASSES,
                t -> String.join(" ", t), (first, last) -> String.join(" ", written.subList(first, last + 1)));

        // Then each value keeps the tokenizer's text and carries the original characters as its source
        assertThat(read.values()).extracting(TaggedValue::text).containsExactly("café jello", "clw81pq3");
        assertThat(read.values()).extracting(TaggedValue::source).containsExactly("Café Jello", "CLW81PQ3");
        // And a value made without a source stands for itself
        assertThat(new TaggedValue("time", "18:15", 1, 3, 0.5).source()).isEqualTo("18:15");
    }

    @Test
    void shouldNotMakeAValueOfPunctuationAlone() {
        // Given a lone comma tagged as a time
        List<String> tokens = List.of("<user>", "ok", ",", "<eou>");

        // When read
        TokenTags read = TokenTags.of(new int[4], tokens, new int[] {0, 0, 1, 0}, new float[4], CLASSES,
                t -> String.join(" ", t));

        // Then it is no value
        assertThat(read.values()).isEmpty();
    }
}
