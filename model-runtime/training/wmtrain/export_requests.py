"""Write the 3.1.0 bundle: model 3.0 with the request logits of `updates` from a request head of its own
(requests.py). Called by `python3 -m wmtrain.requests ... --export OUT`.

The graph is 3.0's graph with the head spliced in: the update head's last layer keeps only its accept and drop rows,
and `updates` is their concatenation with the new head's logits, so its shape and meaning are 3.0's and the runtime
reads it unchanged. golden.json is 3.0's with `updates` and the state readings' `requested` recomputed (every other
output is checked unchanged); the manifest and the model card say what changed and give the new figures.
"""
import json
import os
import re

import numpy as np
import torch

from wmtrain import export as base_export
from wmtrain import state, state_slots, train
from wmtrain.loop import log

MODEL_VERSION = "3.1.0"


class CombinedHeads:
    """3.0's StateHeads with the request logits of the new head: what the 3.1 graph computes."""

    def __init__(self, heads, request_head):
        self.heads, self.request_head = heads, request_head
        self.slots = heads.slots
        self.hidden = heads.hidden

    def value_logits_seq(self, outputs, after):
        return self.heads.value_logits_seq(outputs, after)

    def update_logits(self, after, before):
        base = self.heads.update_logits(after, before)[:, :2 * self.slots]
        return torch.cat([base, self.request_head(after, before)], dim=1)


def splice(base_path, out_path, heads, request_head):
    """3.0's model.onnx with the request head's nodes; checked with onnx's full checker."""
    import onnx
    from onnx import helper, numpy_helper
    m = onnx.load(base_path)
    g = m.graph
    K2 = 2 * heads.slots
    init = {i.name: i for i in g.initializer}
    for name in ("s.update_out.weight", "s.update_out.bias"):
        kept = numpy_helper.to_array(init[name])[:K2]
        init[name].CopyFrom(numpy_helper.from_array(np.ascontiguousarray(kept), name))
    for name, tensor in (("r.hidden_in.weight", request_head.hidden_in.weight), ("r.hidden_in.bias",
                         request_head.hidden_in.bias), ("r.out.weight", request_head.out.weight),
                         ("r.out.bias", request_head.out.bias)):
        g.initializer.append(numpy_helper.from_array(tensor.detach().numpy().astype(np.float32), name))
    at = next(i for i, n in enumerate(g.node) if n.output[0] == "updates")
    update_out = g.node[at]
    update_in = next(n for n in g.node if n.output[0] == "/update_in/Gemm_output_0")
    update_out.output[0] = "/update_out/Gemm_output_0"
    new = [
        helper.make_node("Gemm", [update_in.input[0], "r.hidden_in.weight", "r.hidden_in.bias"],
                         ["/request_in/Gemm_output_0"], name="/request_in/Gemm", alpha=1.0, beta=1.0, transB=1),
        helper.make_node("Relu", ["/request_in/Gemm_output_0"], ["/request_relu/Relu_output_0"],
                         name="/request_relu/Relu"),
        helper.make_node("Gemm", ["/request_relu/Relu_output_0", "r.out.weight", "r.out.bias"],
                         ["/request_out/Gemm_output_0"], name="/request_out/Gemm", alpha=1.0, beta=1.0, transB=1),
        helper.make_node("Concat", ["/update_out/Gemm_output_0", "/request_out/Gemm_output_0"], ["updates"],
                         name="/updates/Concat", axis=1)]
    for k, node in enumerate(new):
        g.node.insert(at + 1 + k, node)
    onnx.checker.check_model(m, full_check=True)
    onnx.save(m, out_path)
    return sorted({n.op_type for n in m.graph.node})


@torch.no_grad()
def golden(base_golden, model, combined, slots):
    g = json.loads(json.dumps(base_golden))
    g["model"]["version"] = MODEL_VERSION
    K = combined.slots
    for case in g["model_cases"]:
        tokens = torch.tensor(case["tokens"], dtype=torch.int64)
        lengths = torch.tensor(case["lengths"], dtype=torch.int64)
        st = torch.tensor(np.asarray(case["state"], dtype=np.float32))
        after = torch.stack([gru_last(model, tokens[r:r + 1, :int(lengths[r])], st[:, r:r + 1])
                             for r in range(tokens.shape[0])])
        assert np.allclose(model.proj(after).numpy(), np.asarray(case["logits"], dtype=np.float32), atol=1e-4)
        updates = combined.update_logits(after, st[-1])
        old = np.asarray(case["updates"], dtype=np.float32)
        assert np.allclose(updates[:, :2 * K].numpy(), old[:, :2 * K], atol=1e-4)
        case["updates"] = base_export.f32list(updates.numpy())
    for conversation in g["stateReadings"]:
        h = model.zero_state(1)
        for turn in conversation:
            _, h_after = model.gru(model.emb(torch.tensor([turn["ids"]])), h)
            u = combined.update_logits(h_after[0], h[0])[0]
            assert [slots[k] for k in range(K) if u[k] > 0] == turn["accepted"]
            turn["requested"] = [state_slots.REQUEST_TYPES[r] for r in range(len(state_slots.REQUEST_TYPES))
                                 if u[2 * K + r] > 0]
            h = h_after
    return g


def gru_last(model, tokens, st):
    _, h = model.gru(model.emb(tokens), st)
    return h[-1, 0]


def card(base_card, results, cfg, counts, development):
    text = base_card.replace("# Model card: wm-gru-dialogue 3.0.0", "# Model card: wm-gru-dialogue " + MODEL_VERSION)
    rows = "\n".join(
        f"| {name} | {r['conversations']} | {r['statePrecision']:.3f} | {r['stateRecall']:.3f} | {r['stateF1']:.3f} | "
        f"{r['jointAccuracy']:.3f} | {r['requestAccuracy']:.3f} |" for name, r in results.items())
    text = re.sub(r"(\| set \| conversations \| state precision .*?\n\|---.*?\n)((?:\|.*\n)+)",
                  lambda mm: mm.group(1) + rows + "\n", text, count=1)
    dev = development["multiwoz"]
    sgd = development["sgd"]
    section = f"""
## Request head (new in 3.1.0)

Model 3.1.0 is model 3.0.0 with the request logits of `updates` (what the user asks for) from a head of their own:
Linear ({2 * cfg.hidden} to {cfg.width}), ReLU, Linear (to {len(state_slots.REQUEST_TYPES)}) on the states after
and before the utterance (`wmtrain.requests`, `wmtrain.model.RequestHead`). Every other weight and output is
3.0.0's. 3.0's request logits shared a hidden layer with the accept and drop logits and were trained with one
weight per turn, so SGD's phrasing, twenty times more turns than MultiWOZ's, taught them most: on MultiWOZ they
found 0.49 of the requested types. The new head trains on the frozen GRU's features of {counts['trainTurns']:,}
user turns of the training slices (MultiWOZ's turns weighted {cfg.multiwoz_weight:g}, a requested type's
positive label {cfg.positive_weight:g}; {cfg.epochs} epochs, Adam, lr {cfg.lr:g}), both weights chosen on a
development slice of the training conversations (one in 20 by a hash of the id, {counts['developmentTurns']:,}
user turns; never the held-out slices). On that slice, MultiWOZ turns: precision {dev['precision']:.3f}, recall
{dev['recall']:.3f} by type, the types of a turn that asks exactly right {dev['exactAsking']:.3f}; SGD turns:
{sgd['precision']:.3f}, {sgd['recall']:.3f}, {sgd['exactAsking']:.3f}. The held-out figures are the table above.
"""
    return text.replace("\n## Limitations", section + "\n## Limitations", 1)


def export(cfg, model, heads, request_head, vocab, slots, base_manifest, development, counts):
    out = cfg.export
    os.makedirs(out, exist_ok=True)
    for fn in os.listdir(out):
        os.remove(os.path.join(out, fn))
    combined = CombinedHeads(heads, request_head.eval())
    cfg.hidden = model.hidden
    sets = state.load_sets(cfg.data_dir, cfg.sgd_limit)
    results = {}
    for name in ("sgd-held-out", "multiwoz-val-held-out", "multiwoz-test"):
        results[name] = state.evaluate(model, combined, vocab, sets[name], slots)
        log(f"evaluation {name}: {json.dumps(results[name])}")
    ops = splice(os.path.join(cfg.base, "model.onnx"), os.path.join(out, "model.onnx"), heads, request_head)
    with open(os.path.join(cfg.base, "tokenizer.json"), encoding="utf-8") as f:
        tokenizer_text = f.read()
    with open(os.path.join(out, "tokenizer.json"), "w", encoding="utf-8") as f:
        f.write(tokenizer_text)
    with open(os.path.join(cfg.base, "golden.json"), encoding="utf-8") as f:
        base_golden = json.load(f)
    base_export.write_json(os.path.join(out, "golden.json"), golden(base_golden, model, combined, slots), compact=True)
    with open(os.path.join(cfg.base, "MODEL_CARD.md"), encoding="utf-8") as f:
        base_card = f.read()
    with open(os.path.join(out, "MODEL_CARD.md"), "w", encoding="utf-8") as f:
        f.write(card(base_card, results, cfg, counts, development))
    files = {fn: {"sha256": train.file_sha256(os.path.join(out, fn)),
                  "bytes": os.path.getsize(os.path.join(out, fn))} for fn in sorted(os.listdir(out))}
    m = json.loads(json.dumps(base_manifest))
    m["version"] = MODEL_VERSION
    R, K2 = len(state_slots.REQUEST_TYPES), 2 * heads.slots
    added = sum(p.numel() for p in request_head.parameters()) - R * (heads.update_out.in_features + 1)
    m["architecture"]["parameters"] += added
    m["architecture"]["graph"] += ("; request logits (the last R of updates, since 3.1): states after and before "
                                   "the row -> Linear, ReLU, Linear of their own")
    m["graph"]["operators"] = ops
    m["files"] = files
    m["training"]["requestHead"] = {"command": "python3 -m wmtrain.requests", "epochs": cfg.epochs,
                                    "lr": cfg.lr, "width": cfg.width, "seed": cfg.seed,
                                    "multiwozWeight": cfg.multiwoz_weight, "positiveWeight": cfg.positive_weight,
                                    **counts, "development": development}
    for name, figures in m["evaluation"].items():
        if name in results:
            figures["dialogueState"] = results[name]
    assert K2 + R == len(combined.update_logits(torch.zeros(1, model.hidden), torch.zeros(1, model.hidden))[0])
    base_export.write_json(os.path.join(out, "manifest.json"), m)
    log(f"bundle {MODEL_VERSION} written to {out}: " + ", ".join(f"{k} {v['bytes']:,} B" for k, v in files.items()))
