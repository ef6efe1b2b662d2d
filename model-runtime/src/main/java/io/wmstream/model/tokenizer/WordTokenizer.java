package io.wmstream.model.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The wm-word tokenizers: NFKC, per-code-point lowercase, apostrophe folding, then the spec's scan into words
 * ({@link WordScanner}), looked up in the vocabulary. {@code wm-word-v1} reproduces
 * {@code wmtrain.tokenizer_v1} and {@code wm-word-v2} {@code wmtrain.tokenizer}, code point for code point;
 * immutable and thread-safe.
 */
public final class WordTokenizer {
    /** The first tokenizer spec, that of model 1.x bundles. */
    public static final String SPEC_NAME = LetterWordScanner.SPEC_NAME;
    /** The spec of model 2.x bundles: placeholders, whole numbers and whole codes. */
    public static final String SPEC_V2_NAME = AlphanumericWordScanner.SPEC_NAME;
    /** Every tokenizer spec this class implements. */
    public static final List<String> SPEC_NAMES = List.of(SPEC_NAME, SPEC_V2_NAME);

    private final TokenizerSpec spec;
    private final WordScanner scanner;
    private final String[] vocabulary;
    private final Map<String, Integer> ids;
    private final Detokenizer detokenizer;

    public WordTokenizer(TokenizerSpec spec) {
        this.scanner = WordScanner.forSpec(spec.spec(), spec.placeholders());
        if (scanner == null) {
            throw new IllegalArgumentException("Tokenizer spec '" + spec.spec() + "' is not supported; this runtime "
                    + "implements " + SPEC_NAMES);
        }
        this.spec = spec;
        this.vocabulary = spec.vocabulary().toArray(new String[0]);
        this.ids = new HashMap<>(vocabulary.length * 2);
        for (int i = 0; i < vocabulary.length; i++) {
            if (ids.putIfAbsent(vocabulary[i], i) != null) {
                throw new IllegalArgumentException("Vocabulary lists '" + vocabulary[i] + "' twice (ids "
                        + ids.get(vocabulary[i]) + " and " + i + ")");
            }
        }
        if (!spec.roleTokens().containsKey(spec.defaultRole())) {
            throw new IllegalArgumentException("Default role '" + spec.defaultRole() + "' has no role token");
        }
        for (Map.Entry<String, String> alias : spec.speakerAliases().entrySet()) {
            if (!spec.roleTokens().containsKey(alias.getValue())) {
                throw new IllegalArgumentException("Speaker alias '" + alias.getKey() + "' maps to role '"
                        + alias.getValue() + "', which has no role token");
            }
        }
        this.detokenizer = new Detokenizer(spec);
    }

    /** The spec this tokenizer was built from. */
    public TokenizerSpec spec() {
        return spec;
    }

    /** Vocabulary size. */
    public int vocabularySize() {
        return vocabulary.length;
    }

    /** The token string of an id. */
    public String token(int id) {
        return vocabulary[id];
    }

    /** Splits text into token strings (steps 1 to 5 of the spec). */
    public List<String> split(String text) {
        List<String> tokens = new ArrayList<>();
        int[] codePoints = CodePoints.normalize(text);
        scanner.scan(codePoints, CodePoints.classify(codePoints), tokens, null);
        return tokens;
    }

    /**
     * Splits text as {@link #split(String)} does, with where each token stands in {@code text}: the char range of
     * the original characters it was read from (before NFKC and lowercasing), so a value keeps the capitals,
     * accents and apostrophes it was written with. Offsets are -1 when the text's normalisation cannot be traced
     * back piece by piece (rare compositions across marks); the tokens are the same either way.
     */
    public Spans splitWithSpans(String text) {
        CodePoints.Traced traced = CodePoints.normalizeTraced(text);
        int[] codePoints = traced == null ? CodePoints.normalize(text) : traced.codePoints();
        List<String> tokens = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        scanner.scan(codePoints, CodePoints.classify(codePoints), tokens, starts);
        int[] from = new int[tokens.size()];
        int[] to = new int[tokens.size()];
        for (int t = 0; t < from.length; t++) {
            if (traced == null) {
                from[t] = -1;
                to[t] = -1;
                continue;
            }
            int first = starts.get(t);
            int last = first + tokens.get(t).codePointCount(0, tokens.get(t).length()) - 1;
            from[t] = traced.from()[first];
            to[t] = traced.to()[last];
        }
        return new Spans(text, tokens, from, to);
    }

    /**
     * Tokens of a text with the char range of each in it ({@code from} inclusive, {@code to} exclusive; -1 when
     * unknown).
     */
    public record Spans(String text, List<String> tokens, int[] from, int[] to) {
        public Spans {
            tokens = List.copyOf(tokens);
        }

        /**
         * The original characters of tokens {@code first..last} (inclusive), everything between them included; null
         * when the offsets are unknown.
         */
        public String source(int first, int last) {
            if (from[first] < 0 || to[last] < 0) {
                return null;
            }
            return text.substring(from[first], to[last]);
        }
    }

    /** Token ids of a text (no role token, no end of utterance); unknown tokens map to the unknown id. */
    public int[] encodeText(String text) {
        return encodeTokens(split(text));
    }

    /** Token ids of token strings as {@link #split(String)} gives them; unknown tokens map to the unknown id. */
    public int[] encodeTokens(List<String> tokens) {
        int[] out = new int[tokens.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids.getOrDefault(tokens.get(i), spec.unkId());
        }
        return out;
    }

    /** What the model reads for one utterance: the speaker's role token, the text's ids, end of utterance. */
    public int[] encodeUtterance(String speaker, String text) {
        return encodeUtterance(speaker, split(text));
    }

    /** {@link #encodeUtterance(String, String)} of a text already split ({@link #split(String)}). */
    public int[] encodeUtterance(String speaker, List<String> textTokens) {
        int[] body = encodeTokens(textTokens);
        int[] out = new int[body.length + 2];
        out[0] = roleTokenId(roleOf(speaker));
        System.arraycopy(body, 0, out, 1, body.length);
        out[out.length - 1] = spec.eouId();
        return out;
    }

    /** The role of a speaker label: trimmed, ASCII-lowercased, through the aliases, else the default role. */
    public String roleOf(String speaker) {
        String trimmed = speaker.trim();
        char[] chars = trimmed.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= 'A' && chars[i] <= 'Z') {
                chars[i] = (char) (chars[i] + ('a' - 'A'));
            }
        }
        return spec.speakerAliases().getOrDefault(new String(chars), spec.defaultRole());
    }

    /** The token id of a role. */
    public int roleTokenId(String role) {
        Integer id = spec.roleTokens().get(role);
        if (id == null) {
            throw new IllegalArgumentException("No role token for role '" + role + "'");
        }
        return id;
    }

    /** Readable text of reply ids: special tokens dropped, spacing rules applied. */
    public String decode(int[] tokenIds, int from, int to) {
        return detokenizer.decode(vocabulary, tokenIds, from, to);
    }

    /** Readable text of reply ids. */
    public String decode(int[] tokenIds) {
        return decode(tokenIds, 0, tokenIds.length);
    }

    /** Reply ids as a reply shows them: {@link #decode(int[])} in sentence case ({@link SentenceCase}). */
    public String present(int[] tokenIds) {
        return SentenceCase.apply(decode(tokenIds));
    }

    /** Token strings joined with the spacing rules of {@link #decode(int[])}, for text that was split. */
    public String join(List<String> tokens) {
        return detokenizer.join(tokens.toArray(new String[0]), tokens.size());
    }

    /** Steps 2 and 3 for one code point, as code points (for tests). */
    static int[] lowerAndFold(int cp) {
        return cp == 0x130 ? new int[] {'i', 0x307} : new int[] {CodePoints.lowerOne(cp)};
    }
}
