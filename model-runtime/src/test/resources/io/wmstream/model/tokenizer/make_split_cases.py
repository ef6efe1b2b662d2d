"""Writes split-cases.json: random texts and their wm-word-v1 token strings per training/wmtrain/tokenizer_v1.py.

Run from the repository root: python3 model-runtime/src/test/resources/io/wmstream/model/tokenizer/make_split_cases.py
Token strings depend only on the spec, not on a bundle's vocabulary. Code points are drawn from blocks whose
normalisation, case and category are the same in Unicode 13 (Java 17) and 14 (the Python that trains).
"""
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "../../../../../../../training"))
from wmtrain import tokenizer_v1 as wmtok  # noqa: E402

POOLS = [
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "0123456789",
    " .,;:!?'\"()[]{}-_/\\@#$%&*+=<>|~`^",
    "\u2019\u2018\u02bc'",
    "\t\n\r\u000b\u000c\u001c\u001f\u0085\u00a0\u2000\u2009\u200a\u2028\u2029\u3000\u202f",
    "\u200b\u200c\u200d\u2060\ufeff\u0000\u0007\u007f\u00ad",
    "\u0300\u0301\u0302\u0303\u0308\u0327\u20dd\u0903",
    "\u00e9\u00e8\u00ea\u00eb\u00e7\u00f1\u00fc\u00f6\u00e4\u00df\u00c9\u00c7\u00d1\u00dc\u0130\u0131\u011f\u015f",
    "\u03a3\u03c3\u03c2\u03a9\u03c9\u0391\u03b1\u0386\u0390",
    "\u0414\u0434\u0416\u0436\u042f\u044f\u0401\u0451",
    "\u05d0\u05d1\u0627\u0644\u0645\u0661\u0662\u06f3",
    "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8\uac00\ud55c",
    "\uff21\uff22\uff41\uff42\uff10\uff11\uff0c\uff01\uff1f",
    "\ufb01\ufb02\ufb03\u2160\u216b\u00bd\u00b2\u2460\u33a1\u2122\u00aa\u00ba",
    "\u00a3\u20ac\u00a5\u00a9\u00ae\u00b0\u2013\u2014\u2026\u00ab\u00bb\u201c\u201d",
    "\U0001f44d\U0001f3fd\u2764\ufe0f\U0001f468\u200d\U0001f469\U0001f600\u2713\u2717",
    "\u0966\u0967\u0e51\u0e52\u0915\u093e\u0e01",
]
WORDS = ["don't", "o'clock", "rock'n'roll", "'quoted'", "it's", "I'm", "17:45", "3.14", "e-mail", "naïve",
         "café", "straße", "İstanbul", "ΣΟΦΙΑ", "ﬁne", "Ⅻ", "½", "£12.50", "(a)", "a'", "'b", "x''y", "é'a"]


def text(rng):
    parts = []
    for _ in range(rng.randint(0, 12)):
        if rng.random() < 0.35:
            parts.append(rng.choice(WORDS))
        else:
            pool = rng.choice(POOLS)
            parts.append("".join(rng.choice(pool) for _ in range(rng.randint(1, 6))))
        if rng.random() < 0.5:
            parts.append(" ")
    return "".join(parts)


def main():
    rng = random.Random(20261129)
    cases = [{"text": t, "tokens": wmtok.split(t)} for t in (text(rng) for _ in range(1500))]
    cases += [{"speaker": s, "role": wmtok.role_of(s)} for s in
              ["user", " Agent ", "ASSISTANT", "customer", "moderator", "\tBot\n", "SYSTEM ", "Human", "ünser", ""]]
    with open(os.path.join(HERE, "split-cases.json"), "w", encoding="utf-8") as f:
        json.dump({"generator": "make_split_cases.py", "spec": wmtok.SPEC_NAME, "cases": cases}, f,
                  ensure_ascii=True, indent=0)
        f.write("\n")


if __name__ == "__main__":
    main()
