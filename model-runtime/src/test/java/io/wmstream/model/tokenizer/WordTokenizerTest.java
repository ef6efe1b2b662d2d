package io.wmstream.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.model.support.GoldenBundle;
import io.wmstream.model.support.TestBundles;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WordTokenizerTest {

    private static WordTokenizer bundled() {
        return TestBundles.defaultBundle().tokenizer();
    }

    /** The tokenizer (wm-word-v2) of the bundle the jar ships. */
    private static WordTokenizer shipped() {
        return io.wmstream.model.bundle.ModelBundle.load(TestBundles.DEFAULT_DIR).tokenizer();
    }

    /** A tiny vocabulary for rules that do not depend on the bundle. */
    private static WordTokenizer tiny() {
        List<String> vocabulary = List.of("<pad>", "<unk>", "<eou>", "<user>", "<system>", "hello", ",", "don't",
                "17", ":", "45", "(", ")", "£", "12", ".", "50", "it's", "?", "'");
        return new WordTokenizer(new TokenizerSpec("wm-word-v1", vocabulary, 0, 1, 2,
                Map.of("user", 3, "system", 4), Map.of("user", "user", "customer", "user", "client", "user", "human",
                "user", "system", "system", "assistant", "system", "agent", "system", "bot", "system"),
                "user", List.of(".", ",", "!", "?", ";", ":", "%", ")", "]", "}"),
                List.of("(", "[", "{", "$", "£", "#"), "<unk>"));
    }

    /** The wm-word-v2 placeholder inventory, ids 5.. of every v2 vocabulary. */
    static final List<String> PLACEHOLDERS = List.of("[name]", "[title]", "[person]", "[place]", "[address]",
            "[postcode]", "[date]", "[time]", "[people]", "[count]", "[number]", "[price]", "[price_range]", "[phone]",
            "[reference]", "[id]", "[car]", "[food]", "[category]");

    /** A tiny wm-word-v2 vocabulary: the specials, the placeholders, then a few words. */
    private static WordTokenizer tinyV2() {
        List<String> vocabulary = new ArrayList<>(List.of("<pad>", "<unk>", "<eou>", "<user>", "<system>"));
        vocabulary.addAll(PLACEHOLDERS);
        vocabulary.addAll(List.of("at", "12.50", "£", "3rd", "floor", "."));
        return new WordTokenizer(new TokenizerSpec("wm-word-v2", vocabulary, 0, 1, 2, Map.of("user", 3, "system", 4),
                Map.of("user", "user", "agent", "system"), "user", List.of(".", ",", "!", "?", ";", ":", "%", ")", "]",
                "}"), List.of("(", "[", "{", "$", "£", "#"), "<unk>", PLACEHOLDERS));
    }

    @ParameterizedTest(name = "bundle {0}")
    @EnumSource(GoldenBundle.class)
    void shouldReproduceEveryGoldenTokenizerCase(GoldenBundle bundle) {
        // Given the golden tokenizer cases written by the training code for the bundle's spec
        WordTokenizer tokenizer = bundle.bundle().tokenizer();
        JsonNode cases = bundle.golden().path("tokenizer");
        assertThat(cases.size()).isPositive();

        // When each text is split and encoded
        // Then the token strings and ids are exactly the golden ones
        for (JsonNode c : cases) {
            String text = c.path("text").asText();
            assertThat(tokenizer.split(text)).as("tokens of %s", text).isEqualTo(strings(c.path("tokens")));
            assertThat(tokenizer.encodeText(text)).as("ids of %s", text).containsExactly(ints(c.path("ids")));
        }
    }

    @ParameterizedTest(name = "bundle {0}")
    @EnumSource(GoldenBundle.class)
    void shouldReproduceEveryGoldenUtteranceCase(GoldenBundle bundle) {
        // Given golden utterances with odd speaker labels (padding, case, unknown roles)
        WordTokenizer tokenizer = bundle.bundle().tokenizer();
        JsonNode cases = bundle.golden().path("utterances");
        assertThat(cases.size()).isPositive();

        // When each is encoded as the model reads it
        // Then role token, ids and end of utterance are exactly the golden ones
        for (JsonNode c : cases) {
            assertThat(tokenizer.encodeUtterance(c.path("speaker").asText(), c.path("text").asText()))
                    .as("utterance %s", c).containsExactly(ints(c.path("ids")));
        }
    }

    @ParameterizedTest(name = "bundle {0}")
    @EnumSource(GoldenBundle.class)
    void shouldReproduceEveryGoldenDetokenizeCase(GoldenBundle bundle) {
        // Given golden reply ids with their text
        WordTokenizer tokenizer = bundle.bundle().tokenizer();
        JsonNode cases = bundle.golden().path("detokenize");
        assertThat(cases.size()).isPositive();

        // When each is decoded
        // Then the text is exactly the golden one, without special tokens
        for (JsonNode c : cases) {
            assertThat(tokenizer.decode(ints(c.path("ids")))).as("decode %s", c).isEqualTo(c.path("text").asText());
        }
    }

    @Test
    void shouldReadTheSpecOfTheShippedBundle() {
        // Given the shipped bundle
        // When its tokenizer is built
        // Then it reads wm-word-v2 with the 19 placeholders of the inventory, ids 5..23
        WordTokenizer second = GoldenBundle.SHIPPED.bundle().tokenizer();
        assertThat(second.spec().spec()).isEqualTo(WordTokenizer.SPEC_V2_NAME);
        assertThat(second.spec().placeholders()).isEqualTo(PLACEHOLDERS);
        for (int i = 0; i < PLACEHOLDERS.size(); i++) {
            assertThat(second.token(5 + i)).isEqualTo(PLACEHOLDERS.get(i));
        }
    }

    @Test
    void shouldSplitLikeThePythonReferenceOnRandomUnicodeText() throws IOException {
        // Given 1,500 random texts mixing scripts, marks, spaces, controls, ligatures and emoji, split by tokenizer_v1
        JsonNode cases;
        try (InputStream in = getClass().getResourceAsStream("split-cases.json")) {
            cases = TestBundles.mapper().readTree(in).path("cases");
        }
        int texts = 0;

        // When each is split in Java
        // Then the token strings are the same, and so are the speaker roles
        for (JsonNode c : cases) {
            if (c.has("text")) {
                texts++;
                String text = c.path("text").asText();
                assertThat(tiny().split(text)).as("tokens of %s", escape(text)).isEqualTo(strings(c.path("tokens")));
            } else {
                assertThat(tiny().roleOf(c.path("speaker").asText())).as("role of %s", c)
                        .isEqualTo(c.path("role").asText());
            }
        }
        assertThat(texts).isEqualTo(1500);
    }

    @Test
    void shouldSplitLikeTheV2PythonReferenceOnTrickyAndRandomText() throws IOException {
        // Given the golden sentences, numbers, codes, placeholders and 500 random texts, split by wmtrain.tokenizer
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("split-cases-v2.json")) {
            root = TestBundles.mapper().readTree(in);
        }
        assertThat(strings(root.path("placeholders"))).isEqualTo(PLACEHOLDERS);

        // When each is split by the wm-word-v2 tokenizer
        // Then the token strings are the same
        int texts = 0;
        for (JsonNode c : root.path("cases")) {
            texts++;
            String text = c.path("text").asText();
            assertThat(tinyV2().split(text)).as("v2 tokens of %s", escape(text)).isEqualTo(strings(c.path("tokens")));
        }
        assertThat(texts).isGreaterThan(500);
    }

    @Test
    void shouldKeepPricesCodesAndPlaceholdersWholeInV2ButNotInV1() {
        // Given a text with a price, a code, an ordinal, a time and placeholders
        String text = "£12.50 for EB05KFXV, 3rd floor at 17:45 [TIME] [unknown] [time";

        // When split by each spec
        // Then v2 keeps numbers, codes and known placeholders whole and splits times; v1 splits them all
        assertThat(tinyV2().split(text)).containsExactly("£", "12.50", "for", "eb05kfxv", ",", "3rd", "floor", "at",
                "17", ":", "45", "[time]", "[", "unknown", "]", "[", "time");
        assertThat(tiny().split(text)).containsExactly("£", "12", ".", "50", "for", "eb", "05", "kfxv", ",", "3", "rd",
                "floor", "at", "17", ":", "45", "[", "time", "]", "[", "unknown", "]", "[", "time");
    }

    @Test
    void shouldEncodeAPlaceholderAsItsOwnIdInV2() {
        // Given the v2 vocabulary, whose ids 5.. are the placeholders in inventory order
        // When an utterance with placeholders is encoded
        // Then each placeholder is one id, its index in the inventory plus 5
        assertThat(tinyV2().encodeUtterance("agent", "[time] at [place]."))
                .containsExactly(4, 5 + PLACEHOLDERS.indexOf("[time]"), 24, 5 + PLACEHOLDERS.indexOf("[place]"), 29, 2);
    }

    @Test
    void shouldLowercaseEachCodePointAsStringToLowerCaseDoesOnItsOwn() {
        // Given every code point
        // When it is lowercased the fast way
        // Then the result equals new String(Character.toChars(c)).toLowerCase(Locale.ROOT), as the spec says
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                continue;
            }
            String expected = new String(Character.toChars(cp)).toLowerCase(Locale.ROOT)
                    .replace('\u2019', '\'').replace('\u2018', '\'').replace('\u02bc', '\'');
            int[] actual = WordTokenizer.lowerAndFold(cp);
            if (!Arrays.equals(actual, expected.codePoints().toArray())) {
                throw new AssertionError("U+" + Integer.toHexString(cp) + ": " + Arrays.toString(actual) + " vs "
                        + Arrays.toString(expected.codePoints().toArray()));
            }
        }
    }

    @Test
    void shouldKeepApostrophesInsideWordsOnlyBeforeALetter() {
        // Given apostrophes inside, before and after words, typographic ones included
        // When split
        // Then inner ones join the word, others are tokens of their own
        assertThat(tiny().split("Don\u2019t 'quoted' o'clock a'' 9'a"))
                .containsExactly("don't", "'", "quoted", "'", "o'clock", "a", "'", "'", "9", "'", "a");
    }

    @Test
    void shouldMapUnknownTokensToUnkAndWrapUtterancesInRoleAndEndTokens() {
        // Given a text with a word outside the vocabulary, from an aliased and an unknown speaker
        // When encoded as utterances
        // Then unknown words are <unk>, agents speak as <system>, strangers as the default role
        assertThat(tiny().encodeUtterance(" Agent ", "Hello, zebra")).containsExactly(4, 5, 6, 1, 2);
        assertThat(tiny().encodeUtterance("moderator", "")).containsExactly(3, 2);
    }

    @Test
    void shouldDetokenizeWithSpacingRulesAndWithoutSpecialTokens() {
        // Given reply ids with role, end and unknown tokens, a time, a price and brackets
        int[] ids = {4, 5, 6, 9, 10, 11, 12, 1, 2};
        // When decoded
        // Then punctuation hugs its word and special tokens are gone; times and prices stay together
        assertThat(tiny().decode(ids)).isEqualTo("hello,: 45 () <unk>");
        assertThat(tiny().decode(new int[] {8, 9, 10, 18})).isEqualTo("17:45?");
        assertThat(tiny().decode(new int[] {13, 14, 15, 16})).isEqualTo("£12. 50");
        assertThat(tiny().decode(new int[] {11, 17, 12})).isEqualTo("(it's)");
    }

    @Test
    void shouldRefuseAnotherTokenizerSpec() {
        // Given a spec this runtime does not implement
        TokenizerSpec other = new TokenizerSpec("bpe-v2", List.of("<pad>"), 0, 0, 0, Map.of("user", 0), Map.of(),
                "user", List.of(), List.of(), "?");
        // When a tokenizer is built from it
        // Then it is refused by name
        assertThatThrownBy(() -> new WordTokenizer(other)).hasMessageContaining("bpe-v2")
                .hasMessageContaining("wm-word-v1").hasMessageContaining("wm-word-v2");
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(cp -> out.append(cp < 0x20 || cp > 0x7E ? String.format("\\u{%x}", cp)
                : Character.toString(cp)));
        return out.toString();
    }

    @Test
    void shouldGiveEachTokenTheOriginalCharactersItWasReadFrom() {
        // Given a text with capitals, accents (one composed, one decomposed), an apostrophe, a code, a ligature and
        // a dotted capital I, which NFKC and lowercasing change
        String text = "Table at Café Jello or Cafe\u0301 Rouge, O’Brien's ref CLW81PQ3 \uFB01ne \u0130stanbul 19:30";
        WordTokenizer tokenizer = shipped();

        // When it is split with spans
        WordTokenizer.Spans spans = tokenizer.splitWithSpans(text);

        // Then the tokens are those of split(), and each span holds the characters as written
        assertThat(spans.tokens()).isEqualTo(tokenizer.split(text));
        List<String> sources = new ArrayList<>();
        for (int t = 0; t < spans.tokens().size(); t++) {
            sources.add(spans.source(t, t));
        }
        assertThat(sources).containsExactly("Table", "at", "Café", "Jello", "or", "Cafe\u0301", "Rouge", ",",
                "O’Brien's", "ref", "CLW81PQ3", "\uFB01ne", "\u0130stanbul", "19", ":", "30");
        // And a run of tokens gives everything between its first and last token as written
        assertThat(spans.source(2, 3)).isEqualTo("Café Jello");
        assertThat(spans.source(13, 15)).isEqualTo("19:30");
    }

    @Test
    void shouldGiveNoSpansWhenEmpty() {
        // Given blank text
        // When it is split with spans
        WordTokenizer.Spans spans = shipped().splitWithSpans("  \t ");

        // Then there is no token
        assertThat(spans.tokens()).isEmpty();
    }

    @Test
    void shouldPresentRepliesInSentenceCase() {
        // Given reply ids of "i can book it . the train leaves on friday ."
        WordTokenizer tokenizer = shipped();
        int[] ids = tokenizer.encodeText("i can book it . the train leaves on friday .");

        // When they are presented
        // Then the text has the decoder's spacing and a person's capitals
        assertThat(tokenizer.present(ids)).isEqualTo("I can book it. The train leaves on Friday.");
        assertThat(tokenizer.decode(ids)).isEqualTo("i can book it. the train leaves on friday.");
    }
}
