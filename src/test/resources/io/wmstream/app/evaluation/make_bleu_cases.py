#!/usr/bin/env python3
"""Writes bleu-cases.json: corpus BLEU-4 by NLTK's corpus_bleu (default weights, no smoothing) on fixed token
lists, for CorpusBleuTest. Run with Debian's python3-nltk (3.8):

    /usr/bin/python3 make_bleu_cases.py > bleu-cases.json

Each case is a corpus of [hypothesis, reference] token lists (one reference per hypothesis, as wmstream scores
replies). The sentences are written for this test, not taken from any dataset.
"""
import json
import warnings

import nltk
from nltk.translate.bleu_score import corpus_bleu

CASES = {
    "identical": [
        ["the hotel is in the north and has free parking .".split(),
         "the hotel is in the north and has free parking .".split()],
    ],
    "partial overlap, two segments": [
        ["there is a cheap place in the centre .".split(),
         "there are two cheap places in the centre of town .".split()],
        ["what day would you like to travel ?".split(),
         "which day would you like to leave on ?".split()],
    ],
    "hypothesis shorter than the reference (brevity penalty)": [
        ["the train leaves at 10:15".split(),
         "the train leaves at 10:15 and arrives at 11:00 , shall i book it ?".split()],
    ],
    "hypothesis longer than the reference": [
        ["yes , i can book that for you . how many people will be staying ?".split(),
         "how many people ?".split()],
    ],
    "clipped repeats": [
        ["the the the the the the".split(), "the cat is on the mat".split()],
    ],
    "a hypothesis shorter than four tokens among longer ones": [
        ["thank you".split(), "you are welcome , goodbye".split()],
        ["the museum opens at ten in the morning".split(), "the museum opens at ten every morning".split()],
    ],
    "an empty hypothesis among others": [
        [[], "is there anything else ?".split()],
        ["i booked a table for four at 19:30 .".split(), "i booked a table for four at 19:30 .".split()],
    ],
    "no four-gram matches": [
        ["a b c d e".split(), "a b x c y d".split()],
    ],
    "no unigram matches": [
        ["alpha beta gamma delta".split(), "one two three four".split()],
    ],
}


def main():
    warnings.simplefilter("ignore")
    out = {"nltk": nltk.__version__, "cases": []}
    for name, corpus in CASES.items():
        hypotheses = [pair[0] for pair in corpus]
        references = [[pair[1]] for pair in corpus]
        out["cases"].append({"name": name, "segments": [{"hypothesis": h, "reference": r[0]}
                                                        for h, r in zip(hypotheses, references)],
                             "bleu": corpus_bleu(references, hypotheses)})
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
