package io.wmstream.model.tokenizer;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@value #SPEC_NAME} tokenizer: NFKC, per-code-point lowercase, apostrophe folding, then words, numbers and
 * single other code points, looked up in the vocabulary. It reproduces {@code model-runtime/training/wmtok.py}
 * code point for code point; immutable and thread-safe.
 */
public final class WordTokenizer {
    /** The only tokenizer spec this class implements. */
    public static final String SPEC_NAME = "wm-word-v1";

    private static final int SPACE = 0;
    private static final int IGNORED = 1;
    private static final int LETTER = 2;
    private static final int MARK = 3;
    private static final int DIGIT = 4;
    private static final int OTHER = 5;

    private final TokenizerSpec spec;
    private final String[] vocabulary;
    private final Map<String, Integer> ids;
    private final Detokenizer detokenizer;

    public WordTokenizer(TokenizerSpec spec) {
        if (!SPEC_NAME.equals(spec.spec())) {
            throw new IllegalArgumentException("Tokenizer spec '" + spec.spec() + "' is not supported; this runtime "
                    + "implements " + SPEC_NAME);
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
        scan(normalize(text), tokens);
        return tokens;
    }

    /** Token ids of a text (no role token, no end of utterance); unknown tokens map to the unknown id. */
    public int[] encodeText(String text) {
        List<String> tokens = split(text);
        int[] out = new int[tokens.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids.getOrDefault(tokens.get(i), spec.unkId());
        }
        return out;
    }

    /** What the model reads for one utterance: the speaker's role token, the text's ids, end of utterance. */
    public int[] encodeUtterance(String speaker, String text) {
        int[] body = encodeText(text);
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

    /** Steps 1 to 3: NFKC, per-code-point full lowercase, apostrophe folding; as code points. */
    static int[] normalize(String text) {
        String nfkc = Normalizer.normalize(text, Normalizer.Form.NFKC);
        int[] out = new int[nfkc.length() + 8];
        int n = 0;
        for (int i = 0; i < nfkc.length(); ) {
            int cp = nfkc.codePointAt(i);
            i += Character.charCount(cp);
            if (n + 2 > out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            if (cp == 0x130) {
                // The one unconditional multi-code-point lowercase mapping (SpecialCasing.txt).
                out[n++] = 'i';
                out[n++] = 0x307;
            } else {
                out[n++] = lowerOne(cp);
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Steps 2 and 3 for one code point other than U+0130: its lowercase, apostrophes folded. */
    static int lowerOne(int cp) {
        int lower = cp < 0x80 ? (cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp) : Character.toLowerCase(cp);
        return lower == 0x2019 || lower == 0x2018 || lower == 0x2BC ? '\'' : lower;
    }

    /** Steps 2 and 3 for one code point, as code points (for tests). */
    static int[] lowerAndFold(int cp) {
        return cp == 0x130 ? new int[] {'i', 0x307} : new int[] {lowerOne(cp)};
    }

    /** Step 4: the class of a (normalised) code point. */
    static int classify(int cp) {
        if ((cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F) || cp == 0x85) {
            return SPACE;
        }
        int type = Character.getType(cp);
        switch (type) {
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR:
                return SPACE;
            default:
                break;
        }
        if (cp >= '0' && cp <= '9') {
            return DIGIT;
        }
        return switch (type) {
            case Character.CONTROL, Character.FORMAT -> IGNORED;
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.NON_SPACING_MARK, Character.COMBINING_SPACING_MARK, Character.ENCLOSING_MARK -> MARK;
            default -> OTHER;
        };
    }

    /** Step 5: the left-to-right scan into words, numbers and single other code points. */
    private static void scan(int[] s, List<String> out) {
        int n = s.length;
        int[] cls = new int[n];
        for (int i = 0; i < n; i++) {
            cls[i] = classify(s[i]);
        }
        int i = 0;
        while (i < n) {
            int k = cls[i];
            if (k == SPACE || k == IGNORED || k == MARK) {
                i++;
            } else if (k == LETTER) {
                int j = i + 1;
                while (j < n) {
                    if (cls[j] == LETTER || cls[j] == MARK) {
                        j++;
                    } else if (s[j] == '\'' && j + 1 < n && cls[j + 1] == LETTER) {
                        j += 2;
                    } else {
                        break;
                    }
                }
                out.add(new String(s, i, j - i));
                i = j;
            } else if (k == DIGIT) {
                int j = i + 1;
                while (j < n && cls[j] == DIGIT) {
                    j++;
                }
                out.add(new String(s, i, j - i));
                i = j;
            } else {
                out.add(new String(s, i, 1));
                i++;
            }
        }
    }
}
