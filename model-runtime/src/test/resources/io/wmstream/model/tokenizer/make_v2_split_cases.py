"""Writes split-cases-v2.json: tricky and random texts and their wm-word-v2 token strings per training/wmtrain/tokenizer.py.

Run from the repository root: python3 model-runtime/src/test/resources/io/wmstream/model/tokenizer/make_v2_split_cases.py
Token strings depend only on the spec and its placeholder inventory, not on a bundle's vocabulary. The texts are
the golden tokenizer sentences (tokenizer.GOLDEN_SENTENCES), the cases where v2 differs from v1 (numbers, codes,
placeholders), and random texts from make_split_cases.py with placeholders and numbers mixed in.
"""
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "../../../../../../../training"))
sys.path.insert(0, HERE)
from wmtrain import tokenizer as wmtok2  # noqa: E402
import make_split_cases  # noqa: E402

TRICKY = ["\u00a312.50", "1,000,000", "EB05KFXV", "TR1234", "3rd floor", "[time] at [place]", "[unknown] [time",
          "10:30-11:45", "a.m.", "12.", ".5", "1.2.3", "[TIME] and [Price_Range]", "[price_range][price]", "[[time]]",
          "[time", "[ time]", "1,5,", "3's", "12.50.", "5,.5", "x1.2", "1.x", "\u0661.\u0662", "\uff11\uff0e\uff15",
          "1\u0301.5", "e\u0301b05", "12\u2019s", "[name]'s", "abc[date]def", "\u00a312.50 per night", "17:45",
          "Ref: AB12CD34, train TR1234."]
WORDS = wmtok2.PLACEHOLDERS + ["[unknown]", "[time", "12.50", "1,000", "eb05kfxv", "3rd", "17:45", "1.2.3", "a.m."]


def main():
    golden = wmtok2.GOLDEN_SENTENCES
    rng = random.Random(20261201)
    randoms = []
    for _ in range(500):
        parts = [make_split_cases.text(rng)]
        for _ in range(rng.randint(0, 4)):
            parts.append(rng.choice(WORDS))
            parts.append(make_split_cases.text(rng) if rng.random() < 0.5 else " ")
        randoms.append("".join(parts))
    cases = [{"text": t, "tokens": wmtok2.split(t)} for t in golden + TRICKY + randoms]
    with open(os.path.join(HERE, "split-cases-v2.json"), "w", encoding="utf-8") as f:
        json.dump({"generator": "make_v2_split_cases.py", "spec": wmtok2.SPEC_NAME,
                   "placeholders": wmtok2.PLACEHOLDERS, "cases": cases}, f, ensure_ascii=True, indent=0)
        f.write("\n")


if __name__ == "__main__":
    main()
