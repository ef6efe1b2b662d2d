"""Fact F1 of the facts a replay's final summaries tracked, against each conversation's final dialogue state.

A gold fact is a (type, value) of the final state (MultiWOZ's last belief_state, or SGD's last slot_values of each
service), its slot mapped to the placeholder inventory (wmtrain.delex's SGD_SLOT_TYPES; MULTIWOZ_STATE_TYPES
below), kept only when the value occurs in the conversation's text (as FactRecall keeps facts). A tracked fact is a
(type, value) of the conversation's final summary's "facts". Values are compared lowercased, spaces collapsed,
a trailing period dropped; an SGD value with alternatives matches any of them. Prints micro precision, recall and
F1 over all conversations, and per type.

    PYTHONPATH=model-runtime/training /usr/bin/python3 -m wmeval.facts LOG.jsonl[.gz] REPLAY-OUT.jsonl
        [--split test] [--held-out]
"""
import argparse
import json
import sys
from collections import Counter, defaultdict

from wmtrain import datasets, delex, slices

# MultiWOZ 2.1 belief-state slots to the placeholder inventory; parking and internet hold yes/no, no value said.
MULTIWOZ_STATE_TYPES = {
    "area": "place", "destination": "place", "departure": "place", "leaveAt": "time", "arriveBy": "time",
    "book_time": "time", "book_people": "people", "book_day": "date", "day": "date", "book_stay": "count",
    "stars": "count", "pricerange": "price_range", "food": "food", "type": "category", "name": "name",
    "trainID": "id", "phone": "phone", "reference": "reference", "postcode": "postcode", "address": "address",
}
NOT_FACTS = {"", "none", "not mentioned", "dontcare", "dont care", "don't care", "?"}


def norm(value):
    v = " ".join(str(value).lower().split())
    return v[:-1] if v.endswith(".") else v


def multiwoz_state(state, out):
    """The typed values of a belief state: {domain: {slot: value, "booked": [{slot: value}, ...]}}."""
    for domain in state.values() if isinstance(state, dict) else []:
        if not isinstance(domain, dict):
            continue
        parts = [domain] + [b for b in domain.get("booked") or [] if isinstance(b, dict)]
        for part in parts:
            for slot, value in part.items():
                kind = MULTIWOZ_STATE_TYPES.get(slot)
                if kind and isinstance(value, str) and norm(value) not in NOT_FACTS:
                    out.append((kind, [norm(value)]))


def gold_facts(lines):
    belief, services, text = None, {}, []
    for line in lines:
        text.append(line.get("text", ""))
        ann = line.get("annotations") or {}
        if isinstance(ann.get("belief_state"), dict):
            belief = ann["belief_state"]
        for frame in ann.get("frames") or []:
            values = (frame.get("state") or {}).get("slot_values")
            if isinstance(values, dict) and frame.get("service"):
                services[frame["service"]] = values
    facts = []
    if belief is not None:
        multiwoz_state(belief, facts)
    else:
        for values in services.values():
            for slot, alternatives in values.items():
                kind = delex.SGD_SLOT_TYPES.get(slot)
                forms = [norm(a) for a in (alternatives if isinstance(alternatives, list) else [alternatives])]
                forms = [f for f in forms if f not in NOT_FACTS]
                if kind and forms:
                    facts.append((kind, forms))
    said = norm(" ".join(text))
    kept, seen = [], set()
    for kind, forms in facts:
        forms = [f for f in forms if f in said]
        key = (kind, tuple(forms))
        if forms and key not in seen:
            seen.add(key)
            kept.append((kind, forms))
    return kept


def main(argv):
    parser = argparse.ArgumentParser(prog="python3 -m wmeval.facts", description=__doc__.split("\n")[0])
    parser.add_argument("log")
    parser.add_argument("replay")
    parser.add_argument("--split")
    parser.add_argument("--held-out", action="store_true")
    args = parser.parse_args(argv)
    convs = defaultdict(list)
    for line in datasets.read_lines(args.log):
        cid = line.get("conversationId")
        if cid is None or (args.split and line.get("split") != args.split):
            continue
        if args.held_out and not slices.is_held_out(cid):
            continue
        convs[cid].append(line)
    tracked = {}
    with open(args.replay, encoding="utf-8") as f:
        for raw in f:
            record = json.loads(raw)
            value = record.get("value")
            if record.get("topic", "").endswith("summaries") and isinstance(value, dict) \
                    and value.get("kind") == "final":
                tracked[value["conversationId"]] = {(x["type"], norm(x["value"])) for x in value.get("facts") or []}
    tp = fp = fn = 0
    per_type = defaultdict(Counter)
    scored = 0
    for cid, lines in convs.items():
        if cid not in tracked:
            continue
        gold = gold_facts(lines)
        if not gold:
            continue
        scored += 1
        predicted = set(tracked[cid])
        matched = set()
        for kind, forms in gold:
            hit = next(((kind, form) for form in forms if (kind, form) in predicted), None)
            if hit:
                matched.add(hit)
                tp += 1
                per_type[kind]["tp"] += 1
            else:
                fn += 1
                per_type[kind]["fn"] += 1
        for kind, value in predicted - matched:
            fp += 1
            per_type[kind]["fp"] += 1
    p = tp / max(1, tp + fp)
    r = tp / max(1, tp + fn)
    f1 = 2 * p * r / max(1e-12, p + r)
    print(f"fact F1 of final tracked facts ({scored} conversations with a final state): "
          f"precision {p:.3f} recall {r:.3f} F1 {f1:.3f} (tp {tp}, fp {fp}, fn {fn})")
    for kind in sorted(per_type, key=lambda k: -(per_type[k]["tp"] + per_type[k]["fn"])):
        c = per_type[kind]
        kp = c["tp"] / max(1, c["tp"] + c["fp"])
        kr = c["tp"] / max(1, c["tp"] + c["fn"])
        print(f"  {kind:12s} gold {c['tp'] + c['fn']:5d}  precision {kp:.3f}  recall {kr:.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
