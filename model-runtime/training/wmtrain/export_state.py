"""Write the 3.0.0 bundle: model 2.0's GRU, next-token head and tagger with the dialogue-state heads (state.py).

Called by `python3 -m wmtrain.state ... --export OUT`. The graph is StateStepGraph (model.py): 2.0's outputs plus `slots` and
`updates`; golden.json is 2.0's golden file recomputed on the new graph with the heads' outputs in every model case
and decided state readings of real utterances; the manifest adds a `state` section (slots, request types, the
rule) and the state figures; MODEL_CARD.md is the base model's card with the version and a dialogue-state section.
"""
import inspect
import os

import numpy as np
import torch

from wmtrain import export as base_export
from wmtrain import state_slots, tokenizer, train
from wmtrain.loop import log
from wmtrain.model import LOOKAHEAD, StateStepGraph

MODEL_VERSION = "3.0.0"
FORMAT_VERSION = 3
STATE_RULE = ("For each value the tagger finds (a run of one tag), read slots[b, t] at its last token t: its slot is the "
              "slot with the highest of the first K scores among the slots whose type (the second part of the slot "
              "name) is the value's tag, ties to the lowest index; it enters the state when score K is above 0. "
              "updates[b]: slot k's value offered by the system in the turn before is accepted when updates[b, k] > 0 "
              "and dropped when updates[b, K + k] > 0; request type r is asked for when updates[b, 2K + r] > 0. "
              "A user turn drops, then takes the accepted offers in slot order, then its entering values in order; a "
              "system turn's values with a slot are the offers for the next user turn.")
SLOT_RULE = ("A slot is domain.type or domain.type.role. domain: MultiWOZ's domain, or the SGD service's name before "
             "'_' lowercased and mapped through 'domains' (an unknown one without its plural s); type: the value's "
             "placeholder type; role: the first role of the type whose words occur in the lowercased annotated slot "
             "name ('roleWords'), none otherwise.")

STATE_CASES = [
    [("user", "I need a table for 4 people at 19:30 on Sunday at Pizza Hut in Cambridge."),
     ("system", "Pizza Hut is booked for Sunday. Can I help with anything else?"),
     ("user", "Actually make it Monday, not Sunday. What is the phone number?")],
    [("user", "I want a taxi from the Acorn Guest House to the train station, leaving at 10:15."),
     ("system", "A red Toyota will pick you up at 10:15."),
     ("user", "Great, thanks.")],
    [("user", "Find me a cheap hotel in the north."),
     ("system", "The Ashley Hotel is a moderately priced hotel in the north. Shall I book it?"),
     ("user", "Yes please, for 2 nights from Friday for 3 people.")],
]


def export_onnx(model, heads, path):
    step = StateStepGraph(model, heads).eval()
    tokens = torch.tensor([[5, 6, 7], [8, 9, 0]], dtype=torch.int64)
    lengths = torch.tensor([3, 2], dtype=torch.int64)
    state = torch.zeros(1, 2, model.hidden)
    legacy = {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}
    torch.onnx.export(
        step, (tokens, lengths, state), path, opset_version=base_export.OPSET,
        input_names=["tokens", "lengths", "state"], output_names=["logits", "state_out", "tags", "slots", "updates"],
        dynamic_axes={"tokens": {0: "batch", 1: "time"}, "lengths": {0: "batch"}, "state": {1: "batch"},
                      "logits": {0: "batch"}, "state_out": {1: "batch"}, "tags": {0: "batch", 1: "time"},
                      "slots": {0: "batch", 1: "time"}, "updates": {0: "batch"}},
        do_constant_folding=True, **legacy)
    import onnx
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
    return sorted({n.op_type for n in m.graph.node})


@torch.no_grad()
def golden(model, heads, vocab, slots):
    g = base_export.golden(model, vocab)
    step = StateStepGraph(model, heads).eval()
    for case in g["model_cases"]:
        tokens = torch.tensor(case["tokens"], dtype=torch.int64)
        lengths = torch.tensor(case["lengths"], dtype=torch.int64)
        state = torch.tensor(np.asarray(case["state"], dtype=np.float32))
        logits, st, tags, sl, up = step(tokens, lengths, state)
        assert np.allclose(logits.numpy(), np.asarray(case["logits"], dtype=np.float32), atol=1e-5)
        case["slots"] = [base_export.f32list(sl[r, :n].numpy()) for r, n in enumerate(case["lengths"])]
        case["updates"] = base_export.f32list(up.numpy())
    readings = []
    for conversation in STATE_CASES:
        h = model.zero_state(1)
        turns = []
        for speaker, text in conversation:
            ids = vocab.encode_utterance(speaker, text)
            x = torch.tensor([ids])
            logits, h_after, tags, sl, up = step(x, torch.tensor([len(ids)]), h)
            tag_ids = tags[0].argmax(dim=1).tolist()
            toks = tokenizer.split(text)
            values = []
            K = len(slots)
            types = [state_slots.key_type(k) for k in slots]
            for kind, value, last in state_slots.tagged_values(tag_ids, toks):
                slot = state_slots.best_slot(sl[0, last], types, kind)
                values.append({"type": kind, "last": last, "slot": slots[slot] if slot is not None else None,
                               "enters": bool(sl[0, last, K] > 0)})
            u = up[0]
            turns.append({"speaker": speaker, "text": text, "ids": ids, "values": values,
                          "accepted": [slots[k] for k in range(K) if u[k] > 0],
                          "dropped": [slots[k] for k in range(K) if u[K + k] > 0],
                          "requested": [state_slots.REQUEST_TYPES[r] for r in range(len(state_slots.REQUEST_TYPES))
                                        if u[2 * K + r] > 0]})
            h = h_after
        readings.append(turns)
    g["formatVersion"] = FORMAT_VERSION
    g["model"]["version"] = MODEL_VERSION
    g["tolerance"]["rule"] += "; slots and updates too; stateReadings must match exactly"
    g["stateReadings"] = readings
    return g


def card(base_card, results, slots, cfg, counts):
    text = base_card.replace("# Model card: wm-gru-dialogue 2.0.0", "# Model card: wm-gru-dialogue " + MODEL_VERSION)
    rows = "\n".join(
        f"| {name} | {r['conversations']} | {r['statePrecision']:.3f} | {r['stateRecall']:.3f} | {r['stateF1']:.3f} | "
        f"{r['jointAccuracy']:.3f} | {r['requestAccuracy']:.3f} |" for name, r in results.items())
    section = f"""
## Dialogue state (new in 3.0.0)

Model 3.0.0 is model 2.0's GRU, next-token head and tagger, unchanged (replies and tags are 2.0's), with two small
heads that read the dialogue state from the working memory (`training/wmtrain/state.py`, `wmtrain.model.StateHeads`):
`slots` [batch, time, {len(slots) + 1}] per token (the state slot of a value ending there, and whether it enters the
state after this turn) and `updates` [batch, {2 * len(slots) + len(state_slots.REQUEST_TYPES)}] per utterance (accept
the system's offer for a slot, drop a slot, ask for a type). Encoding computes them with the tags; decoding runs
without them. The manifest's `state.rule` says how the runtime turns them into the state.

**Slots.** {len(slots)} slots, `domain.type` or `domain.type.role` ({SLOT_RULE}): a taxi's `place.from` and
`place.to`, a restaurant's `time` and a taxi's `time.leave`, a hotel's and a restaurant's `place` are different
slots. The inventory is every slot of the training data's states seen at least {cfg.min_slot_count} times:
{", ".join("`" + s + "`" for s in slots)}.

**Services outside the training data.** An SGD service of an unseen domain gets slots by the same rule, but the
model can only predict the slots of its inventory: values of such a service are read with the nearest slot of the
same type the memory suggests (often the right value under another domain's name), so they count as missed in the
per-slot figures and as found in the value-only ones.

**Labels.** SGD: the cumulative `state.slot_values` of every service on each user turn; MultiWOZ: the belief state
on the system turn after each user turn (its `booked` results are not state). A value said in a user turn is
labelled with the slot whose state value it equals after the turn (or its annotated slot, not entering); a value
the system offered, with its annotated slot, accepted when it is in the state after the user's next turn; a slot
held before a user turn and gone after it, dropped; requests: MultiWOZ `*-Request` acts, SGD `REQUEST` actions,
by placeholder type. Training: the heads only ({cfg.epochs} epochs, Adam, lr {cfg.lr}, width {cfg.head_hidden}) on
the frozen GRU's features of {counts['turns']:,} turns and {counts['values']:,} values of the training slices, read
as a replay feeds the log (before each system turn that answers a user turn, its delexicalised words stand for
the reply the runtime generates and feeds back into the memory).

**Limitations of the state.** A value the user turns down in the same breath ("Monday, not Sunday") can enter
the state, because such turns are rare in the data; a value read before its domain is clear ("a booking at the
Belfry for Tuesday", later shown to be a hotel) keeps the slot it was read with, so a later change in the right
domain stands beside it; a service of a domain outside the inventory is read with another domain's slots.

**Figures** (the runtime's rule applied in Python to the model's own tags, `wmtrain/state.py`; values that occur in the
conversation's text, as the fact scores count them; `wmstream replay` measures the same on the Java runtime, see
docs/evaluation.md):

| set | conversations | state precision | state recall | state F1 | joint accuracy | request accuracy |
|---|---|---|---|---|---|---|
{rows}
"""
    marker = "## Limitations"
    return text.replace(marker, section.lstrip("\n") + "\n" + marker) if marker in text else text + section


def export(cfg, model, heads, vocab, slots, results, base_manifest):
    out = cfg.export
    os.makedirs(out, exist_ok=True)
    for fn in os.listdir(out):
        os.remove(os.path.join(out, fn))
    heads = heads.eval()
    ops = export_onnx(model, heads, os.path.join(out, "model.onnx"))
    with open(os.path.join(cfg.base, "tokenizer.json"), encoding="utf-8") as f:
        tokenizer_text = f.read()
    with open(os.path.join(out, "tokenizer.json"), "w", encoding="utf-8") as f:
        f.write(tokenizer_text)
    base_export.write_json(os.path.join(out, "golden.json"), golden(model, heads, vocab, slots), compact=True)
    feats = torch.load(os.path.join(cfg.run_dir, "state-features.pt"))
    counts = {"turns": int(feats["tf"].shape[0]), "values": int(feats["vf"].shape[0])}
    with open(os.path.join(cfg.base, "MODEL_CARD.md"), encoding="utf-8") as f:
        base_card = f.read()
    with open(os.path.join(out, "MODEL_CARD.md"), "w", encoding="utf-8") as f:
        f.write(card(base_card, results, slots, cfg, counts))
    files = {fn: {"sha256": train.file_sha256(os.path.join(out, fn)),
                  "bytes": os.path.getsize(os.path.join(out, fn))} for fn in sorted(os.listdir(out))}
    m = dict(base_manifest)
    m["formatVersion"] = FORMAT_VERSION
    m["version"] = MODEL_VERSION
    m["description"] = ("GRU working-memory language model for task-oriented dialogue, with a fact tagger and "
                        "dialogue-state heads; the hidden state is the conversation's memory. Replies say typed "
                        "placeholders ([time], [reference]) instead of values; the state heads say which values "
                        "hold (what was agreed) and what the user asked for.")
    nparams = sum(p.numel() for p in model.parameters()) + sum(p.numel() for p in heads.parameters())
    m["architecture"] = dict(m["architecture"], parameters=nparams,
                             graph=m["architecture"]["graph"] + "; per-token outputs at t..t+"
                             f"{LOOKAHEAD} with the row's final state -> Linear, ReLU, Linear (slots); states after "
                             "and before the row -> Linear, ReLU, Linear (updates)")
    K, R = len(slots), len(state_slots.REQUEST_TYPES)
    graph = dict(m["graph"])
    graph["operators"] = ops
    graph["outputs"] = [o for o in graph["outputs"] if o["name"] in ("logits", "state_out", "tags")] + [
        {"name": "slots", "dtype": "float32", "shape": ["batch", "time", K + 1],
         "rule": "state-slot logits (0..K-1) and the enters logit (K) of a value ending at each position; positions "
                 "at or after lengths[b] are meaningless"},
        {"name": "updates", "dtype": "float32", "shape": ["batch", 2 * K + R],
         "rule": "per row: accept logits per slot, drop logits per slot, request logits per type"}]
    m["graph"] = graph
    m["state"] = {"slotsOutput": "slots", "updatesOutput": "updates", "slots": slots,
                  "requestTypes": state_slots.REQUEST_TYPES, "rule": STATE_RULE,
                  "slotRule": {"rule": SLOT_RULE, "domains": state_slots.DOMAINS, "roleWords": state_slots.ROLE_WORDS}}
    m["files"] = files
    training = dict(m["training"])
    training["stateHeads"] = {"command": "ops/train-model (wmtrain.state)", "epochs": cfg.epochs, "lr": cfg.lr,
                              "width": cfg.head_hidden, "seed": cfg.seed, "minSlotCount": cfg.min_slot_count,
                              **counts}
    m["training"] = training
    m["evaluation"] = {name: dict(figures, dialogueState=results[name]) if name in results else figures
                       for name, figures in m["evaluation"].items()}
    m.pop("performance", None)
    order = ["formatVersion", "name", "version", "description", "dimensions", "architecture", "graph", "tagger",
             "state", "tokenizer", "decoding", "golden", "modelCard", "files", "training", "evaluation"]
    m = {k: m[k] for k in order if k in m}
    base_export.write_json(os.path.join(out, "manifest.json"), m)
    log(f"bundle {MODEL_VERSION} written to {out}: " + ", ".join(f"{k} {v['bytes']:,} B" for k, v in files.items()))
