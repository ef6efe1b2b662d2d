"""wm-word-v2: the tokenizer of models 2.x and 3.x (wm-word-v1 plus placeholders, whole numbers and whole codes).

The Java runtime reimplements this bit for bit (WordTokenizer, spec "wm-word-v2"); SPEC below is the normative
text and is written into the bundle's tokenizer.json and MODEL_CARD.md. Keep code and SPEC in step.

What changed from v1, and why:
* a placeholder such as "[time]" is one token, so the model can say it and the topology can find it;
* a number keeps its inner "." and "," ("12.50", "1,000"): v1 returned "12", ".", "50" and replies read "12. 50";
* letters and digits together form one token ("eb05kfxv", "tr1234", "3rd"): v1 split booking codes into
  "eb", "05", "kfxv", which the model then recombined into invented codes.
"""
from wmtrain import tokenizer_v1 as v1
from wmtrain.tokenizer_v1 import EOU, PAD, ROLE_TOKENS, SPECIALS, SYSTEM, UNK, USER, role_of  # noqa: F401  (re-exported)

SPEC_NAME = "wm-word-v2"

# The placeholder inventory (delex.PLACEHOLDERS) in its fixed order; ids 5.. of every v2 vocabulary.
PLACEHOLDER_TYPES = [
    "name", "title", "person", "place", "address", "postcode", "date", "time", "people", "count", "number",
    "price", "price_range", "phone", "reference", "id", "car", "food", "category",
]
PLACEHOLDERS = ["[" + t + "]" for t in PLACEHOLDER_TYPES]
PLACEHOLDER_SET = set(PLACEHOLDERS)

SPEC = [
    "Input: a string of Unicode code points (invalid UTF-16 surrogates do not occur in valid input).",
    "1. Normalise the whole string to Unicode NFKC (Java: java.text.Normalizer.Form.NFKC; Python: unicodedata.normalize('NFKC', s)).",
    "2. Lowercase code point by code point: each code point c is replaced by its full Unicode lowercase mapping, taken on c alone, without context "
    "(Java: new String(Character.toChars(c)).toLowerCase(Locale.ROOT); Python: chr(c).lower()).",
    "3. Replace U+2019, U+2018 and U+02BC by U+0027 (apostrophe).",
    "4. Classify each code point: SPACE if its general category is Zs, Zl or Zp, or it is one of U+0009-U+000D, U+001C-U+001F, U+0085; "
    "IGNORED if its general category is Cc or Cf (and it is not SPACE); LETTER if its general category is Lu, Ll, Lt, Lm or Lo; "
    "MARK if Mn, Mc or Me; DIGIT if it is U+0030-U+0039 (ASCII digits only); OTHER otherwise.",
    "5. Scan left to right. SPACE, IGNORED and MARK code points that do not continue a token are skipped. "
    "At '[', if the text from there starts with one of the placeholders (listed in 'placeholders', e.g. '[time]'), that placeholder is one token. "
    "A LETTER or DIGIT starts a word; the word continues over following LETTER, MARK and DIGIT code points; over an apostrophe U+0027 when the "
    "code point right after it is a LETTER; and over '.' or ',' when the code point right before it is a DIGIT and the one right after it is a DIGIT "
    "(so \"doesn't\", \"12.50\", \"1,000\", \"eb05kfxv\" and \"3rd\" are one token each, \"17:45\" is \"17\", \":\", \"45\"). "
    "Any other OTHER code point is a token by itself.",
    "6. Each token string is looked up in the vocabulary (exact code point match); a token not in it maps to <unk> (id 1). "
    "The empty list is a valid result.",
    "7. An utterance fed to the model is: the speaker's role token, the token ids of its text, then <eou> (id 2). "
    "The speaker label is trimmed of code points <= U+0020 at both ends (Java String.trim()) and ASCII-lowercased (only A-Z change), mapped through "
    "speakerAliases to a role; unknown labels map to defaultRole.",
    "Vocabulary: ids 0-4 are <pad>, <unk>, <eou>, <user>, <system>; ids 5-23 the placeholders in inventory order; then the most frequent tokens of "
    "the training text seen at least minCount times, by count descending, ties by the token string in ascending code point order, up to vocabSize "
    "entries. The list is given explicitly in 'vocabulary'.",
]
DETOKENIZE_SPEC = v1.DETOKENIZE_SPEC
NO_SPACE_BEFORE = v1.NO_SPACE_BEFORE
NO_SPACE_AFTER = v1.NO_SPACE_AFTER
UNK_TEXT = v1.UNK_TEXT

# The tokenizer sentences every bundle's golden.json checks (model 1.0.0's, kept for 2.x and 3.x): case, Unicode
# normalisation, apostrophes, numbers and codes, scripts, invisible code points and the empty text.
GOLDEN_SENTENCES = [
    "Hello there!",
    "Can you book a table for two at 17:45 tomorrow?",
    "I don't think so; maybe later.",
    "It's 9am, isn't it?",
    "We'll arrive on Friday, 3 June, at 08:15.",
    "Please call 0123 456 789 or write to desk@example.org.",
    "The price is £12.50 per night (breakfast included).",
    "Rock'n'roll isn't dead, o'clock!",
    "'Quoted' words and trailing apostrophes'",
    "Café crème, naïve façade, jalapeño.",
    "ＦＵＬＬ－ＷＩＤＴＨ ｔｅｘｔ １２３",
    "The ﬁnest ﬂat oﬃce",
    "Ⅻ o'clock and ½ past; ² squared",
    "Straße in München",
    "ΣΟΦΙΑ and ΟΔΟΣ",
    "İstanbul Iğdır",
    "Emoji 👍🏽 and ❤️ and 👨‍👩‍👧!",
    "tab\tseparated\nnew line\r\nand\u00a0nbsp",
    "   ",
    "\u200b\u200d\ufeff",
    "",
    "...!!!???",
    "a-b/c\\d_e",
    "Ref: AB12CD34, train TR1234.",
    "Room #4, 3rd floor, 2nd door.",
    "I’m sure it’s fine, you’re right",
    "ʼtis the season",
    "CAPITAL LETTERS SHOUT",
    "mixedCase WordsHere",
    "42",
    "3.14159",
    "1,000,000 people",
    "10:30-11:45",
    "north, south, east, west or centre?",
    "cheap moderate expensive",
    "Is there free parking and wifi?",
    "Thanks, goodbye.",
    "the the the the",
    "x",
    "日本語のテキスト",
    "Привет, мир",
    "مرحبا بالعالم",
    "e\u0301tude and cafe\u0301",
    "\u0301leading mark",
    "zwsp\u200binside",
    "price: $30 or €25",
    "✓ done ✗ not done",
    "a'b' 'c",
]


def split(text):
    s = v1.normalize(text)
    cls = [v1._cls(c) for c in s]
    out = []
    i, n = 0, len(s)
    while i < n:
        k = cls[i]
        if k in ("S", "I", "M"):
            i += 1
        elif k in ("L", "D"):
            j = i + 1
            while j < n:
                c = cls[j]
                if c in ("L", "M", "D"):
                    j += 1
                elif s[j] == "'" and j + 1 < n and cls[j + 1] == "L":
                    j += 2
                elif s[j] in ".," and cls[j - 1] == "D" and j + 1 < n and cls[j + 1] == "D":
                    j += 2
                else:
                    break
            out.append(s[i:j])
            i = j
        else:
            if s[i] == "[":
                end = s.find("]", i)
                if end > 0 and s[i:end + 1] in PLACEHOLDER_SET:
                    out.append(s[i:end + 1])
                    i = end + 1
                    continue
            out.append(s[i])
            i += 1
    return out


class Vocab(v1.Vocab):
    """A v2 vocabulary: v1's, with the placeholders at ids 5.. and v2's split; decoding is v1's."""

    def __init__(self, itos):
        super().__init__(itos)
        assert self.itos[5:5 + len(PLACEHOLDERS)] == PLACEHOLDERS

    @staticmethod
    def build(counter, min_count, size):
        fixed = SPECIALS + PLACEHOLDERS
        words = [w for w, c in counter.items() if c >= min_count and w not in fixed]
        words.sort(key=lambda w: (-counter[w], w))
        return Vocab(fixed + words[:max(0, size - len(fixed))])

    def ids(self, tokens):
        unk = self.stoi[UNK]
        return [self.stoi.get(t, unk) for t in tokens]

    def encode_text(self, text):
        return self.ids(split(text))

    def role_id(self, speaker):
        return self.stoi[ROLE_TOKENS[role_of(speaker)]]


def tokenizer_json(vocab, min_count):
    """The bundle's tokenizer.json: the spec, its tables and the vocabulary."""
    roles = {r: {"token": t, "id": vocab.stoi[t]} for r, t in ROLE_TOKENS.items()}
    return {
        "spec": SPEC_NAME, "algorithm": SPEC,
        "unicodeNote": "Generated with Python 3.11 (Unicode 14.0). Characters whose normalisation, case mapping or "
                       "category differs between Unicode versions are not covered by golden.json.",
        "minCount": min_count,
        "specialTokens": {"pad": {"token": PAD, "id": 0}, "unk": {"token": UNK, "id": 1},
                          "eou": {"token": EOU, "id": 2}},
        "roleTokens": roles, "speakerAliases": v1.SPEAKER_ALIASES, "defaultRole": v1.DEFAULT_ROLE,
        "placeholders": PLACEHOLDERS,
        "detokenize": {"rules": DETOKENIZE_SPEC, "noSpaceBefore": NO_SPACE_BEFORE,
                       "noSpaceAfter": NO_SPACE_AFTER, "unkText": UNK_TEXT},
        "vocabSize": len(vocab), "vocabulary": vocab.itos,
    }
