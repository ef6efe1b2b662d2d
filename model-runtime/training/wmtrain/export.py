"""Evaluate the models wmtrain.train finished and write the 2.0 bundle: model.onnx, tokenizer.json, golden.json,
MODEL_CARD.md and manifest.json.

    /usr/bin/python3 -m wmtrain.export --data-dir ../shared/datasets --run-dir RUN --out RUN/base-bundle

The evaluation is kept in RUN/evaluation.json (keyed by the models' checksums) so that rewriting the bundle
does not evaluate again.
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import inspect  # noqa: E402
import json  # noqa: E402
import pickle  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

from wmtrain import datasets, loop, metrics, tokenizer, tokenizer_v1, train  # noqa: E402
from wmtrain.card import LICENCE_LINE, ModelCard  # noqa: E402
from wmtrain.loop import log  # noqa: E402
from wmtrain.model import LOOKAHEAD, StepGraph  # noqa: E402

MODEL_NAME = "wm-gru-dialogue"
MODEL_VERSION = "2.0.0"
FORMAT_VERSION = 2
OPSET = 17
TAG_CLASSES = ["none"] + tokenizer.PLACEHOLDER_TYPES


def load_model(run_dir, tag, vocab, cfg):
    saved = loop.load_file(os.path.join(run_dir, f"{tag}.pt"))
    assert saved["vocab"] == vocab.itos, f"{tag}.pt has another vocabulary than data.pkl"
    model = train.new_model(cfg, len(vocab))
    model.load_state_dict(saved["model"])
    return model.eval(), saved


def evaluate(cfg, data, vocab, mem, nomem, test):
    key = {"memory": train.file_sha256(os.path.join(cfg.run_dir, "memory.pt")),
           "nomemory": train.file_sha256(os.path.join(cfg.run_dir, "nomemory.pt")), "limit": cfg.limit}
    path = os.path.join(cfg.run_dir, "evaluation.json")
    if os.path.exists(path):
        with open(path) as f:
            saved = json.load(f)
        if saved.get("key") == key:
            log("evaluation: reusing", path)
            return saved
    sets = {"sgd-held-out": [c for c in data["heldOut"] if c[1] == "sgd"],
            "multiwoz-val-held-out": [c for c in data["heldOut"] if c[1] == "multiwoz"],
            "multiwoz-test": test}
    if cfg.limit:
        sets = {k: v[:cfg.limit] for k, v in sets.items()}
    res = {"key": key, "sets": {}}
    for name, convs in sets.items():
        t0 = time.time()
        r = {"conversations": len(convs), "perplexity": metrics.perplexities(mem, nomem, convs, vocab),
             "tagger": metrics.tagger_report(mem, convs, vocab, TAG_CLASSES)}
        bleu, points, samples = metrics.bleu_report(mem, vocab, convs)
        r["bleu4"] = bleu
        r["examples"] = examples(convs, points, samples, vocab)
        res["sets"][name] = r
        log(f"evaluation {name}: {json.dumps({k: v for k, v in r.items() if k != 'examples'})} "
            f"({time.time() - t0:.0f}s)")
    with open(path, "w") as f:
        json.dump(res, f, indent=1)
    return res


def examples(convs, points, samples, vocab, n=4):
    """A few replies late in their conversation, where memory matters, for the model card."""
    rng = np.random.default_rng(7)
    late = [k for k, (ci, i) in enumerate(points) if i >= 5]
    out = []
    for k in sorted(rng.choice(late, size=min(n, len(late)), replace=False).tolist()):
        ci, i = points[k]
        cid, _, turns = convs[ci]
        out.append({"conversationId": cid, "turn": i,
                    "earlier": [vocab.decode(t[2]) for t in turns[max(0, i - 2):i]],
                    "user": vocab.decode(turns[i][2]), "reference": vocab.decode(turns[i + 1][5]),
                    "withMemory": samples["withMemory"][k], "memoryReset": samples["memoryReset"][k]})
    return out


# ------------------------------------------------------------------------------------------------ export

def export_onnx(model, path):
    step = StepGraph(model).eval()
    tokens = torch.tensor([[5, 6, 7], [8, 9, 0]], dtype=torch.int64)
    lengths = torch.tensor([3, 2], dtype=torch.int64)
    state = torch.zeros(1, 2, model.hidden)
    # torch 2.x exports through dynamo by default; the TorchScript exporter gives the same graph as torch 1.13
    legacy = {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}
    torch.onnx.export(
        step, (tokens, lengths, state), path, opset_version=OPSET,
        input_names=["tokens", "lengths", "state"], output_names=["logits", "state_out", "tags"],
        dynamic_axes={"tokens": {0: "batch", 1: "time"}, "lengths": {0: "batch"}, "state": {1: "batch"},
                      "logits": {0: "batch"}, "state_out": {1: "batch"}, "tags": {0: "batch", 1: "time"}},
        do_constant_folding=True, **legacy)
    import onnx
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
    return sorted({n.op_type for n in m.graph.node})


def f32(x):
    return float("%.9g" % float(x))


def f32list(a):
    a = np.asarray(a, dtype=np.float32)
    if a.ndim == 0:
        return f32(a)
    return [f32list(v) for v in a] if a.ndim > 1 else [f32(v) for v in a]


V2_SENTENCES = [
    "The price is £12.50 per night, 1,000 points.",
    "Your reference is EB05KFXV, train TR1234 leaves at 17:45.",
    "Book [name] for [people] at [time] on [date].",
    "[unknown] and [time and [ time ]",
    "3rd floor, 2.5 stars, 10:30-11:45, a.m., 12. and .5 and 1.2.3",
    "Call 01223 356354 or 07700-900123.",
]
TAGGED = [("user", "I need a table for 4 people at 19:30 on Sunday at Pizza Hut in Cambridge."),
          ("system", "Your booking is confirmed, the reference is EB05KFXV and the phone is 01223 356354."),
          ("user", "Can you find me a cheap italian restaurant in the centre?"),
          ("user", "I want to fly from San Francisco to New York on March 3rd."),
          ("system", "The train TR1234 leaves Cambridge at 09:15 and costs 12.50 pounds.")]


def golden(model, vocab):
    g = torch.Generator().manual_seed(1234)
    tok_cases = [{"text": s, "tokens": tokenizer.split(s), "ids": vocab.encode_text(s)}
                 for s in tokenizer.GOLDEN_SENTENCES + V2_SENTENCES]
    utt_cases = [{"speaker": spk, "text": s, "ids": vocab.encode_utterance(spk, s)}
                 for spk, s in [("user", "Can you book a table for two?"), ("system", "Booked, see you at 18:00."),
                                (" Agent ", "How can I help?"), ("ASSISTANT", "Sure."), ("customer", "Hi"),
                                ("moderator", "unknown roles map to the default role"), ("system", "   ")]]
    detok_cases = []
    for s in ["Can you book a table for two at 17:45 tomorrow?", "The price is £12.50 per night (breakfast included).",
              "I don't think so; maybe later.", "Room #4, 3rd floor.", "Booked at [name], reference [reference]."]:
        ids = vocab.encode_text(s)
        detok_cases.append({"ids": ids, "text": vocab.decode(ids)})
    detok_cases.append({"ids": [vocab.stoi[tokenizer.SYSTEM], 1, vocab.stoi[tokenizer.EOU]], "text": vocab.decode([4, 1, 2])})

    step = StepGraph(model).eval()
    V, H = len(vocab), model.hidden
    real = [vocab.encode_utterance(spk, s) for spk, s in TAGGED] + [vocab.encode_utterance("user", s) for s in V2_SENTENCES]
    cases = []
    specs = [(1, [1]), (1, [4]), (1, [9]), (1, [17]), (1, [2]), (1, [12]),
             (5, [1, 1, 1, 1, 1]), (5, [3, 7, 1, 5, 2]), (5, [10, 4, 10, 1, 8]),
             (5, [6, 6, 2, 9, 3]), (5, [14, 1, 7, 3, 11]), (5, [2, 5, 8, 5, 2])]
    for ci, (B, lens) in enumerate(specs):
        T = max(lens)
        tokens = torch.zeros(B, T, dtype=torch.int64)
        for r, n in enumerate(lens):
            src = real[(ci * 5 + r) % len(real)]
            seq = (src * 3)[:n] if ci % 3 else torch.randint(0, V, (n,), generator=g).tolist()
            tokens[r, :n] = torch.tensor(seq)
            if ci == 9 and n < T:  # junk after the end: must be ignored
                tokens[r, n:] = torch.randint(1, V, (T - n,), generator=g)
        lengths = torch.tensor(lens, dtype=torch.int64)
        state = torch.zeros(1, B, H) if ci == 0 else torch.tanh(torch.randn(1, B, H, generator=g) * 0.8)
        with torch.no_grad():
            logits, st, tags = step(tokens, lengths, state)
            for r, n in enumerate(lens):  # each row alone, unpacked, must agree
                lg1, h1, tg1 = model(tokens[r:r + 1, :n], state[:, r:r + 1].contiguous())
                assert torch.allclose(lg1[0, -1], logits[r], atol=1e-4), "packing mismatch (logits)"
                assert torch.allclose(h1[:, 0], st[:, r], atol=1e-5), "packing mismatch (state)"
                assert torch.allclose(tg1[0], tags[r, :n], atol=1e-4), "packing mismatch (tags)"
        cases.append({"name": f"case{ci:02d}-b{B}", "batch": B, "time": T, "tokens": tokens.tolist(), "lengths": lens,
                      "state": f32list(state.numpy()), "logits": f32list(logits.numpy()),
                      "state_out": f32list(st.numpy()), "argmax": logits.argmax(dim=1).tolist(),
                      "tags": [f32list(tags[r, :n].numpy()) for r, n in enumerate(lens)],
                      "tagIds": [tags[r, :n].argmax(dim=1).tolist() for r, n in enumerate(lens)]})
    tagged = []
    for spk, s in TAGGED:
        ids = vocab.encode_utterance(spk, s)
        with torch.no_grad():
            _, _, tags = step(torch.tensor([ids]), torch.tensor([len(ids)]), torch.zeros(1, 1, H))
        tid = tags[0].argmax(dim=1).tolist()
        tagged.append({"speaker": spk, "text": s, "ids": ids, "tagIds": tid, "tags": [TAG_CLASSES[t] for t in tid]})
    gen_cases = []
    for s in ["I need a cheap hotel in the north with free parking.", "Can you book a table for 4 people at 19:30 on Sunday?"]:
        ids = vocab.encode_utterance("user", s)
        h = metrics.encode(model, ids, model.zero_state(1))
        out = metrics.greedy_batch(model, vocab, h)[0]
        gen_cases.append({"history": [{"speaker": "user", "text": s, "ids": ids}], "replyIds": out,
                          "replyText": vocab.decode(out)})
    return {"formatVersion": FORMAT_VERSION, "model": {"name": MODEL_NAME, "version": MODEL_VERSION},
            "tolerance": {"absolute": 1e-4, "relative": 1e-4,
                          "rule": "|actual - expected| <= absolute + relative * |expected| for every logits, state_out and "
                                  "tags value; argmax, tagIds and taggedUtterances must match exactly"},
            "tokenizer": tok_cases, "utterances": utt_cases, "detokenize": detok_cases, "model_cases": cases,
            "taggedUtterances": tagged, "greedy": gen_cases}


def write_json(path, obj, compact=False):
    with open(path, "w", encoding="utf-8") as f:
        if compact:
            json.dump(obj, f, ensure_ascii=False, separators=(",", ":"))
        else:
            json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write("\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--run-dir", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--limit", type=int, default=0, help="smoke tests: evaluate only N conversations per set")
    ap.add_argument("--perf-note", help="measured replay speed (Java side) to record in MODEL_CARD.md and manifest.json")
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    with open(os.path.join(a.run_dir, "data.pkl"), "rb") as f:
        data = pickle.load(f)
    vocab = tokenizer.Vocab(data["vocab"])
    saved_mem = loop.load_file(os.path.join(a.run_dir, "memory.pt"))
    cfg = argparse.Namespace(**saved_mem["config"])
    cfg.run_dir, cfg.limit = a.run_dir, a.limit
    mem, saved_mem = load_model(a.run_dir, "memory", vocab, cfg)
    nomem, saved_nomem = load_model(a.run_dir, "nomemory", vocab, cfg)
    test_convs, _ = datasets.load(a.data_dir, "multiwoz-test")
    test = train.encode(vocab, test_convs, "multiwoz-test")
    train_ids = {c[0] for c in data["train"]}
    assert not any(c[0] in train_ids for c in test), "held-out conversations leak into training"
    ev = evaluate(cfg, data, vocab, mem, nomem, test)

    out = a.out
    os.makedirs(out, exist_ok=True)
    for fn in os.listdir(out):
        os.remove(os.path.join(out, fn))
    ops = export_onnx(mem, os.path.join(out, "model.onnx"))
    write_json(os.path.join(out, "tokenizer.json"), tokenizer.tokenizer_json(vocab, cfg.min_count))
    write_json(os.path.join(out, "golden.json"), golden(mem, vocab), compact=True)
    nparams = sum(p.numel() for p in mem.parameters())
    info = {"memory": saved_mem["info"], "nomemory": saved_nomem["info"]}
    card = ModelCard(MODEL_NAME, MODEL_VERSION, cfg, vocab, data, ev, info, nparams, TAG_CLASSES, a.perf_note)
    with open(os.path.join(out, "MODEL_CARD.md"), "w", encoding="utf-8") as f:
        f.write(card.render())
    files = {fn: {"sha256": train.file_sha256(os.path.join(out, fn)), "bytes": os.path.getsize(os.path.join(out, fn))}
             for fn in sorted(os.listdir(out))}
    manifest = {
        "formatVersion": FORMAT_VERSION, "name": MODEL_NAME, "version": MODEL_VERSION,
        "description": "GRU working-memory language model for task-oriented dialogue, with a fact tagger; the hidden "
                       "state is the conversation's memory. Replies say typed placeholders ([time], [reference]) "
                       "instead of values.",
        "dimensions": {"vocab": len(vocab), "embedding": cfg.hidden, "hidden": cfg.hidden, "layers": 1},
        "architecture": {"type": "gru", "embedding": cfg.hidden, "hidden": cfg.hidden, "layers": 1,
                         "tiedEmbeddings": True, "parameters": nparams,
                         "graph": "Embedding -> GRU (packed by lengths) -> Linear on the last real state (logits); "
                                  f"per-token GRU outputs at t..t+{LOOKAHEAD} -> Linear (tags)"},
        "graph": {
            "file": "model.onnx", "opset": OPSET, "operators": ops,
            "inputs": [
                {"name": "tokens", "dtype": "int64", "shape": ["batch", "time"]},
                {"name": "lengths", "dtype": "int64", "shape": ["batch"],
                 "rule": "1 <= lengths[b] <= time; positions at or after lengths[b] are ignored"},
                {"name": "state", "dtype": "float32", "shape": [1, "batch", cfg.hidden]},
            ],
            "outputs": [
                {"name": "logits", "dtype": "float32", "shape": ["batch", len(vocab)],
                 "rule": "next-token logits after each row's last real position"},
                {"name": "state_out", "dtype": "float32", "shape": [1, "batch", cfg.hidden],
                 "rule": "state after each row's last real position"},
                {"name": "tags", "dtype": "float32", "shape": ["batch", "time", len(TAG_CLASSES)],
                 "rule": "tag logits of every position; positions at or after lengths[b] are meaningless"},
            ],
            "initialState": "zeros",
        },
        "tagger": {"output": "tags", "classes": TAG_CLASSES, "lookahead": LOOKAHEAD,
                   "rule": "the tag of token t of row b is the argmax over classes of tags[b,t,:], ties to the lowest "
                           "index; class 0: no value; class k: a value of placeholder '[' + classes[k] + ']'; the "
                           f"tag of token t reads the outputs at t..t+{LOOKAHEAD} of the same row; positions at or "
                           "after lengths[b] have no tag"},
        "tokenizer": {"file": "tokenizer.json", "spec": tokenizer.SPEC_NAME, "vocabSize": len(vocab),
                      "specialTokens": {"pad": 0, "unk": 1, "eou": 2},
                      "roleTokens": {"user": vocab.stoi[tokenizer.USER], "system": vocab.stoi[tokenizer.SYSTEM]},
                      "speakerAliases": tokenizer_v1.SPEAKER_ALIASES,
                      "defaultRole": tokenizer_v1.DEFAULT_ROLE},
        "decoding": {"strategy": "greedy", "maxTokens": 32, "startToken": vocab.stoi[tokenizer.SYSTEM],
                     "startRole": "system", "stopToken": 2,
                     "suppressTokens": [vocab.stoi[t] for t in metrics.SUPPRESSED],
                     "rule": "feed the start token, then repeatedly the argmax of logits (suppressed ids excluded, ties "
                             "to the lowest id) until the stop token or maxTokens"},
        "golden": {"file": "golden.json"},
        "modelCard": "MODEL_CARD.md",
        "files": files,
        "training": {"data": data["sources"], "licence": LICENCE_LINE, "config": saved_mem["config"],
                     "memoryModel": info["memory"], "noMemoryModel": info["nomemory"], "command": "ops/train-model"},
        "evaluation": {k: {kk: vv for kk, vv in v.items() if kk != "examples"} for k, v in ev["sets"].items()},
    }
    if a.perf_note:
        manifest["performance"] = a.perf_note
    write_json(os.path.join(out, "manifest.json"), manifest)
    log(f"bundle written to {out}: " + ", ".join(f"{k} {v['bytes']:,} B" for k, v in files.items()))


if __name__ == "__main__":
    main()
