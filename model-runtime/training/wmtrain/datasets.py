"""The training and evaluation data of model 2.0 and 3.0: SGD train and MultiWOZ val (and test), read into
conversations of delexicalisation spans, and turns encoded as the model sees them.

The held-out slices are `slices.is_held_out`; the placeholder spans are `delex`. To look at what it does (from
model-runtime/training):

    /usr/bin/python3 -m wmtrain.datasets --data-dir ../../../shared/datasets --stats
    /usr/bin/python3 -m wmtrain.datasets --data-dir ../../../shared/datasets --show 8 --dataset sgd
"""
import argparse
import gzip
import json
import os
import sys
from collections import Counter

from wmtrain import tokenizer
from wmtrain.delex import PLACEHOLDERS, delexicalise, multiwoz_spans, resolve, segments, sgd_spans
from wmtrain.slices import is_held_out


def read_lines(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                yield json.loads(line)


def load(data_dir, dataset):
    """Conversations of one dataset: {id: [(speaker, text, spans)]} in turn order. sgd: sgd-train; multiwoz: the
    val split of multiwoz21; multiwoz-test: its test split, the final held-out evaluation (never trained on)."""
    convs, stats = {}, Counter()
    if dataset == "sgd":
        for line in read_lines(os.path.join(data_dir, "sgd-train", "utterances.jsonl.gz")):
            spans = resolve(sgd_spans(line))
            stats["spans"] += len(spans)
            convs.setdefault(line["conversationId"], []).append((line["turn"], line["speaker"], line["text"], spans))
    elif dataset in ("multiwoz", "multiwoz-test"):
        wanted = "val" if dataset == "multiwoz" else "test"
        for line in read_lines(os.path.join(data_dir, "multiwoz21", "utterances.jsonl")):
            if line.get("split") != wanted:
                continue
            text, spans, unplaced = multiwoz_spans(line)
            spans = resolve(spans)
            stats["spans"] += len(spans)
            stats["unplaced"] += unplaced
            convs.setdefault(line["conversationId"], []).append((line["turn"], line["speaker"], text, spans))
    else:
        raise ValueError("unknown dataset " + dataset)
    ordered = {cid: [(s, t, sp) for _, s, t, sp in sorted(turns, key=lambda x: x[0])]
               for cid, turns in sorted(convs.items())}
    return ordered, stats


TAG_IDS = {t: i + 1 for i, t in enumerate(PLACEHOLDERS)}  # tag 0: no placeholder type


def encode_turn(vocab, text, spans):
    """One turn's text as the model sees it and as it should say it.

    Returns (raw, tags, starts, delex): raw token ids (values as said), the tag of each raw token (0 or 1 + the
    index of its placeholder type), whether each raw token starts a value, and the delexicalised token ids (each
    value one placeholder). Each piece is tokenised on its own, so a value's tokens never merge with their
    neighbours'."""
    raw, tags, starts, delexed = [], [], [], []
    for piece, kind in segments(text, spans):
        ids = vocab.encode_text(piece)
        if not ids:
            continue
        raw += ids
        if kind is None:
            tags += [0] * len(ids)
            starts += [False] * len(ids)
            delexed += ids
        else:
            tags += [TAG_IDS[kind]] * len(ids)
            starts += [True] + [False] * (len(ids) - 1)
            delexed.append(vocab.stoi["[" + kind + "]"])
    return raw, tags, starts, delexed


def token_counts(convs_by_dataset):
    """Token counts of the raw and the delexicalised training text, for the vocabulary."""
    counter = Counter()
    for convs in convs_by_dataset:
        for turns in convs.values():
            for _, text, spans in turns:
                for piece, kind in segments(text, spans):
                    counter.update(tokenizer.split(piece))
    return counter


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", default="../shared/datasets")
    p.add_argument("--dataset", choices=["sgd", "multiwoz", "both"], default="both")
    p.add_argument("--stats", action="store_true", help="conversations, slices, spans and types")
    p.add_argument("--show", type=int, default=0, help="print N delexicalised turns of the training slice")
    a = p.parse_args(argv)
    for name in (["sgd", "multiwoz"] if a.dataset == "both" else [a.dataset]):
        convs, stats = load(a.data_dir, name)
        held = [cid for cid in convs if is_held_out(cid)]
        if a.stats:
            types = Counter(kind for turns in convs.values() for _, _, spans in turns for _, _, kind in spans)
            turns = sum(len(t) for t in convs.values())
            print(f"{name}: {len(convs)} conversations ({len(held)} held out), {turns} turns, "
                  f"{stats['spans']} typed spans" + (f", {stats['unplaced']} values not found in the text"
                                                      if "unplaced" in stats else ""))
            print("  types: " + ", ".join(f"{k} {v}" for k, v in types.most_common()))
        shown = 0
        for cid, turns in convs.items():
            if shown >= a.show or is_held_out(cid):
                continue
            for speaker, text, spans in turns:
                if spans and shown < a.show:
                    print(f"{cid} {speaker}: {delexicalise(text, spans)}")
                    shown += 1


if __name__ == "__main__":
    main(sys.argv[1:])
