"""wm-word-v1: the word tokenizer the v2 tokenizer (tokenizer.py) builds on: normalisation, code point classes,
speaker roles, the vocabulary and detokenising, and v1's own split.

The Java runtime reimplements this bit for bit (WordTokenizer, spec "wm-word-v1"); SPEC below is the normative
text. Keep code and SPEC in step.
"""
import unicodedata

SPEC_NAME = "wm-word-v1"

PAD, UNK, EOU, USER, SYSTEM = "<pad>", "<unk>", "<eou>", "<user>", "<system>"
SPECIALS = [PAD, UNK, EOU, USER, SYSTEM]  # ids 0..4, in this order
ROLE_TOKENS = {"user": USER, "system": SYSTEM}
# speaker label (after trimming ASCII whitespace and ASCII-lowercasing) -> role
SPEAKER_ALIASES = {
    "user": "user", "customer": "user", "client": "user", "human": "user",
    "system": "system", "assistant": "system", "agent": "system", "bot": "system",
}
DEFAULT_ROLE = "user"

APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'"}
WHITESPACE_EXTRA = {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x85}

SPEC = [
    "Input: a string of Unicode code points (invalid UTF-16 surrogates do not occur in valid input).",
    "1. Normalise the whole string to Unicode NFKC (Java: java.text.Normalizer.Form.NFKC; Python: unicodedata.normalize('NFKC', s)).",
    "2. Lowercase code point by code point: each code point c is replaced by its full Unicode lowercase mapping, taken on c alone, without context "
    "(Java: new String(Character.toChars(c)).toLowerCase(Locale.ROOT); Python: chr(c).lower()). Example: U+0130 becomes U+0069 U+0307; U+03A3 always becomes U+03C3.",
    "3. Replace U+2019, U+2018 and U+02BC by U+0027 (apostrophe).",
    "4. Classify each code point: SPACE if its general category is Zs, Zl or Zp, or it is one of U+0009-U+000D, U+001C-U+001F, U+0085; "
    "IGNORED if its general category is Cc or Cf (and it is not SPACE); LETTER if its general category is Lu, Ll, Lt, Lm or Lo; "
    "MARK if Mn, Mc or Me; DIGIT if it is U+0030-U+0039 (ASCII digits only); OTHER otherwise (punctuation, symbols, emoji, other digits, unassigned).",
    "5. Scan left to right. SPACE, IGNORED and MARK code points that do not continue a word are skipped. "
    "A LETTER starts a word; the word continues over following LETTER or MARK code points, and over an apostrophe U+0027 when the code point right after "
    "the apostrophe is a LETTER (so \"doesn't\" and \"o'clock\" are one word; a leading or trailing apostrophe is its own token). "
    "A DIGIT starts a number token that continues over following DIGIT code points (\"17:45\" -> \"17\", \":\", \"45\"). "
    "Any OTHER code point is a token by itself (one code point, so an emoji with a modifier yields several tokens).",
    "6. Each token string is looked up in the vocabulary (exact code point match); a token not in it maps to <unk> (id 1). "
    "The empty list is a valid result (e.g. for an all-space string).",
    "7. An utterance fed to the model is: the speaker's role token, the token ids of its text, then <eou> (id 2). "
    "The speaker label is trimmed of code points <= U+0020 at both ends (Java String.trim()) and ASCII-lowercased (only A-Z change), mapped through speakerAliases to a role; unknown labels map to defaultRole.",
    "Vocabulary: ids 0-4 are <pad>, <unk>, <eou>, <user>, <system>; then every token seen at least minCount times in the training text, "
    "sorted by count descending, ties by the token string in ascending code point order. The list is given explicitly in 'vocabulary'.",
]

DETOKENIZE_SPEC = [
    "Decode ids to text: drop <pad>, role tokens and <eou>; <unk> becomes the string in unkText.",
    "Join tokens with one space U+0020, except: no space before a token in noSpaceBefore; no space after a token in noSpaceAfter; "
    "no space on either side of ':' when the token before it and the token after it are both number tokens (ASCII digits only).",
]
NO_SPACE_BEFORE = [".", ",", "!", "?", ";", ":", "%", ")", "]", "}"]
NO_SPACE_AFTER = ["(", "[", "{", "$", "\u00a3", "#"]
UNK_TEXT = "<unk>"


def _lower_cp(ch):
    return ch.lower()


def _is_space(ch):
    o = ord(ch)
    if o in WHITESPACE_EXTRA:
        return True
    return unicodedata.category(ch) in ("Zs", "Zl", "Zp")


def _cls(ch):
    if _is_space(ch):
        return "S"
    if "0" <= ch <= "9":
        return "D"
    cat = unicodedata.category(ch)
    if cat in ("Cc", "Cf"):
        return "I"
    if cat[0] == "L":
        return "L"
    if cat[0] == "M":
        return "M"
    return "O"


def normalize(text):
    s = unicodedata.normalize("NFKC", text)
    s = "".join(_lower_cp(c) for c in s)
    return "".join(APOSTROPHES.get(c, c) for c in s)


def split(text):
    s = normalize(text)
    cls = [_cls(c) for c in s]
    out = []
    i, n = 0, len(s)
    while i < n:
        k = cls[i]
        if k in ("S", "I", "M"):
            i += 1
        elif k == "L":
            j = i + 1
            while j < n:
                if cls[j] in ("L", "M"):
                    j += 1
                elif s[j] == "'" and j + 1 < n and cls[j + 1] == "L":
                    j += 2
                else:
                    break
            out.append(s[i:j])
            i = j
        elif k == "D":
            j = i + 1
            while j < n and cls[j] == "D":
                j += 1
            out.append(s[i:j])
            i = j
        else:
            out.append(s[i])
            i += 1
    return out


TRIM = "".join(chr(i) for i in range(0x21))  # Java String.trim(): code points <= U+0020


def role_of(speaker):
    key = speaker.strip(TRIM)
    key = "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in key)
    return SPEAKER_ALIASES.get(key, DEFAULT_ROLE)


class Vocab:
    def __init__(self, itos):
        self.itos = list(itos)
        self.stoi = {t: i for i, t in enumerate(self.itos)}
        assert self.itos[:5] == SPECIALS

    @staticmethod
    def build(counter, min_count):
        words = [w for w, c in counter.items() if c >= min_count and w not in SPECIALS]
        words.sort(key=lambda w: (-counter[w], w))  # Python str order == code point order
        return Vocab(SPECIALS + words)

    def __len__(self):
        return len(self.itos)

    def encode_text(self, text):
        unk = self.stoi[UNK]
        return [self.stoi.get(t, unk) for t in split(text)]

    def encode_utterance(self, speaker, text):
        return [self.stoi[ROLE_TOKENS[role_of(speaker)]]] + self.encode_text(text) + [self.stoi[EOU]]

    def decode(self, ids):
        toks = []
        for i in ids:
            t = self.itos[i]
            if t in (PAD, EOU, USER, SYSTEM):
                continue
            toks.append(UNK_TEXT if t == UNK else t)
        return detokenize(toks)


def detokenize(toks):
    out = []
    for k, t in enumerate(toks):
        if k > 0:
            prev = toks[k - 1]
            space = True
            if t in NO_SPACE_BEFORE or prev in NO_SPACE_AFTER:
                space = False
            if t == ":" and prev.isascii() and prev.isdigit() and k + 1 < len(toks) and toks[k + 1].isascii() and toks[k + 1].isdigit():
                space = False
            if prev == ":" and k >= 2 and toks[k - 2].isascii() and toks[k - 2].isdigit() and t.isascii() and t.isdigit():
                space = False
            if space:
                out.append(" ")
        out.append(t)
    return "".join(out)
