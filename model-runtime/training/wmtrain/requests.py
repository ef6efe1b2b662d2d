"""Model 3.1: a request head of its own on model 3.0's working memory, trained for recall.

    /usr/bin/python3 -m wmtrain.requests --data-dir ../shared/datasets --run-dir RUN --base BUNDLE_3_0 [--resume]
    /usr/bin/python3 -m wmtrain.requests ... --export OUT

Model 3.0 reads what the user asks for from the last R logits of `updates`, one linear layer on a hidden layer it
shares with the accept and drop logits, trained on every turn of SGD `train` and MultiWOZ `val` with one weight per
turn. On MultiWOZ it found a turn's requested types exactly for 0.39 of the turns that ask (precision 0.78, recall 0.49
by type): SGD's 20 times more turns taught it SGD's phrasing. A reply cannot give what the decoder was never told was
asked (wm.decoding.request.boost steers to the types the head reads), so its recall bounds the replies' request
coverage.

Model 3.1 keeps every weight of 3.0 and replaces only those R logits with a head of their own (model.RequestHead:
Linear, ReLU, Linear on the states after and before the utterance, the input of 3.0's update head), trained on the
frozen GRU's features of the same training conversations with MultiWOZ's turns weighted up (--multiwoz-weight) and
positives weighted up (--positive-weight), the two chosen on a development slice of the training conversations
(DEV_SLICE, never the held-out slices). The exported graph is 3.0's with the new head's nodes spliced in: `updates`
keeps its shape and meaning, so the runtime reads it unchanged.
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402
import zlib  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from wmtrain import loop, state, state_slots  # noqa: E402
from wmtrain.loop import log  # noqa: E402
from wmtrain.model import LOOKAHEAD, RequestHead, StateHeads  # noqa: E402

FEATURES_FORMAT = 1
# One training conversation in 20 (a hash other than the held-out rule's) chooses the weights and the epoch.
DEV_SLICE = 20


def arguments(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--run-dir", required=True)
    ap.add_argument("--base", required=True, help="a 3.0 bundle folder (model.onnx with the state heads)")
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--seed", type=int, default=20261207)
    ap.add_argument("--width", type=int, default=512)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--batch", type=int, default=512)
    ap.add_argument("--multiwoz-weight", type=float, default=16.0)
    ap.add_argument("--positive-weight", type=float, default=3.0)
    ap.add_argument("--sgd-limit", type=int, default=0, help="smoke tests: only the first N SGD conversations")
    ap.add_argument("--export", help="write the 3.1.0 bundle to this folder")
    return ap.parse_args(argv)


def in_dev_slice(cid):
    return zlib.crc32(("dev:" + cid).encode("utf-8")) % DEV_SLICE == 0


def heads_from_onnx(folder, hidden, slots):
    """Model 3.0's StateHeads with the bundle's weights (ONNX MatMul weights are the transposed Linear weights)."""
    import onnx
    from onnx import numpy_helper
    graph = onnx.load(os.path.join(folder, "model.onnx")).graph
    init = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    value_in = next(n for n in graph.node if n.op_type == "MatMul" and "value_in" in n.output[0])
    value_out = next(n for n in graph.node if n.op_type == "MatMul" and "value_out" in n.output[0])
    width = init["s.update_in.bias"].shape[0]
    heads = StateHeads(hidden, len(slots), len(state_slots.REQUEST_TYPES), width, LOOKAHEAD)
    t = lambda a: torch.from_numpy(np.ascontiguousarray(a))  # noqa: E731
    heads.load_state_dict({
        "value_in.weight": t(init[value_in.input[1]].T), "value_in.bias": t(init["s.value_in.bias"]),
        "value_out.weight": t(init[value_out.input[1]].T), "value_out.bias": t(init["s.value_out.bias"]),
        "update_in.weight": t(init["s.update_in.weight"]), "update_in.bias": t(init["s.update_in.bias"]),
        "update_out.weight": t(init["s.update_out.weight"]), "update_out.bias": t(init["s.update_out.bias"])})
    return heads.eval()


def request_features(model, vocab, convs, slots, chunk=1000):
    """User turns only: [after, before] features (half), requested types as 0/1 rows, and a MultiWOZ flag (SGD's
    conversation ids start with a digit). In chunks of conversations: the GRU's outputs of all of them at once
    would not fit in memory."""
    parts = []
    for k in range(0, len(convs), chunk):
        some = convs[k:k + chunk]
        feats = state.features(model, vocab, some, slots)
        user = feats["treq"][:, 0] >= 0
        # one row per turn, in features()' order
        source = torch.tensor([0 if cid[0].isdigit() else 1 for cid, turns in some for _ in turns])
        parts.append((feats["tf"][user], feats["treq"][user], source[user]))
    return {"x": torch.cat([p[0] for p in parts]), "y": torch.cat([p[1] for p in parts]),
            "multiwoz": torch.cat([p[2] for p in parts])}


def train(cfg, data, hidden, ckpt):
    torch.manual_seed(cfg.seed)
    head = RequestHead(hidden, cfg.width, len(state_slots.REQUEST_TYPES))
    opt = torch.optim.Adam(head.parameters(), lr=cfg.lr)
    n = data["x"].shape[0]
    steps = math.ceil(n / cfg.batch) * cfg.epochs
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: 0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(1, s / steps))))
    progress = {"epoch": 0}
    if cfg.resume and os.path.exists(ckpt):
        saved = loop.load_file(ckpt)
        head.load_state_dict(saved["head"])
        opt.load_state_dict(saved["opt"])
        sched.load_state_dict(saved["sched"])
        progress = saved["progress"]
        log(f"[requests] resumed after epoch {progress['epoch']}")
    row_weight = 1.0 + (cfg.multiwoz_weight - 1.0) * data["multiwoz"].float()
    pos_weight = torch.full((len(state_slots.REQUEST_TYPES),), cfg.positive_weight)
    while progress["epoch"] < cfg.epochs:
        rng = random.Random(cfg.seed * 100 + progress["epoch"])
        order = list(range(n))
        rng.shuffle(order)
        head.train()
        t0, total, batches = time.time(), 0.0, 0
        for k in range(0, n, cfg.batch):
            rows = torch.tensor(order[k:k + cfg.batch])
            x = data["x"][rows].float()
            logits = head(x[:, :hidden], x[:, hidden:])
            loss = F.binary_cross_entropy_with_logits(logits, data["y"][rows], pos_weight=pos_weight,
                                                      reduction="none").sum(dim=1)
            w = row_weight[rows]
            loss = (loss * w).sum() / w.sum()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss)
            batches += 1
        progress["epoch"] += 1
        log(f"[requests] epoch {progress['epoch']}/{cfg.epochs}: loss {total / batches:.4f} ({time.time() - t0:.0f}s)")
        torch.save({"head": head.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
                    "progress": progress}, ckpt + ".tmp")
        os.replace(ckpt + ".tmp", ckpt)
    return head.eval()


@torch.no_grad()
def scores(logits, y, multiwoz):
    """Per dataset: exact accuracy over the turns that ask, precision and recall by type."""
    out = {}
    pred = logits > 0
    gold = y > 0.5
    for name, rows in (("multiwoz", multiwoz == 1), ("sgd", multiwoz == 0)):
        p, g = pred[rows], gold[rows]
        asking = g.any(dim=1)
        tp = int((p & g).sum())
        out[name] = {"turns": int(rows.sum()), "asking": int(asking.sum()),
                     "exactAsking": round(float((p[asking] == g[asking]).all(dim=1).float().mean()), 4),
                     "exact": round(float((p == g).all(dim=1).float().mean()), 4),
                     "precision": round(tp / max(1, int(p.sum())), 4), "recall": round(tp / max(1, int(g.sum())), 4)}
    return out


def main(argv=None):
    cfg = arguments(argv)
    if cfg.export and os.path.realpath(cfg.export) == os.path.realpath(cfg.base):
        raise SystemExit("--export must be another folder than --base: the export replaces the folder's files and "
                         "reads the base's graph and golden file after training")
    torch.set_num_threads(2)
    os.makedirs(cfg.run_dir, exist_ok=True)
    model, vocab, manifest = state.load_base(cfg.base)
    for p in model.parameters():
        p.requires_grad_(False)
    slots = manifest["state"]["slots"]
    heads = heads_from_onnx(cfg.base, model.hidden, slots)
    sets = state.load_sets(cfg.data_dir, cfg.sgd_limit)
    train_convs = [c for c in sets["train"] if not in_dev_slice(c[0])]
    dev_convs = [c for c in sets["train"] if in_dev_slice(c[0])]
    log(f"training {len(train_convs)}, development {len(dev_convs)} conversations")
    path = os.path.join(cfg.run_dir, "request-features.pt")
    key = {"format": FEATURES_FORMAT, "sgdLimit": cfg.sgd_limit,
           "base": sum(float(p.double().sum()) for p in model.parameters())}
    cached = loop.load_file(path) if os.path.exists(path) else None
    if cached is None or cached.get("key") != key:
        t0 = time.time()
        cached = {"key": key, "train": request_features(model, vocab, train_convs, slots),
                  "dev": request_features(model, vocab, dev_convs, slots)}
        torch.save(cached, path + ".tmp")
        os.replace(path + ".tmp", path)
        log(f"features of {cached['train']['x'].shape[0]} + {cached['dev']['x'].shape[0]} user turns "
            f"in {time.time() - t0:.0f}s")
    dev = cached["dev"]
    K = len(slots)
    with torch.no_grad():
        x = dev["x"].float()
        old = heads.update_logits(x[:, :model.hidden], x[:, model.hidden:])[:, 2 * K:]
    log(f"[requests] 3.0 head on the development slice: {json.dumps(scores(old, dev['y'], dev['multiwoz']))}")
    head = train(cfg, cached["train"], model.hidden, os.path.join(cfg.run_dir, "requests.ckpt"))
    with torch.no_grad():
        new = head(x[:, :model.hidden], x[:, model.hidden:])
    result = scores(new, dev["y"], dev["multiwoz"])
    log(f"[requests] new head on the development slice: {json.dumps(result)}")
    torch.save({"head": head.state_dict(), "config": vars(cfg), "development": result},
               os.path.join(cfg.run_dir, "requests.pt"))
    if cfg.export:
        from wmtrain import export_requests
        export_requests.export(cfg, model, heads, head, vocab, slots, manifest, result,
                               {"trainTurns": int(cached["train"]["x"].shape[0]),
                                "developmentTurns": int(dev["x"].shape[0])})


if __name__ == "__main__":
    main()
