"""Model 3.0: the dialogue-state heads on model 2.0's working memory, trained, evaluated and exported.

    /usr/bin/python3 -m wmtrain.state --data-dir ../shared/datasets --run-dir RUN --base BUNDLE_OR_RUN [--resume]
    /usr/bin/python3 -m wmtrain.state ... --export OUT

The GRU, its next-token head and its fact tagger are model 2.0's, unchanged (read from a finished training run's
memory.pt, or from a 2.0 bundle's model.onnx), so replies and tags stay as 2.0 gives them. Two small heads read
the GRU's outputs (model.StateHeads):
* per token, `slots`: the state slot a value ending at that token is about (state_slots inventory; logits 0..K-1) and
  whether it enters the dialogue state after this turn (logit K); read at a tagged value's last token, with the
  outputs of the next two tokens and the utterance's final state;
* per utterance, `updates`: for each slot, whether the user's turn accepts the value the system offered for it
  (0..K-1), whether it drops the slot's value (K..2K-1), and for each placeholder type whether the user asks for it
  (2K..2K+R-1); read from the state before and after the utterance.
The heads train on features of the frozen GRU (one pass over the data, kept in RUN/state-features.pt), which takes
minutes on 2 cores; checkpoints every epoch (--resume continues).
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from wmtrain import loop, slices, state_slots, tokenizer  # noqa: E402
from wmtrain.loop import log  # noqa: E402
from wmtrain.model import LOOKAHEAD, StateHeads, WorkingMemoryModel  # noqa: E402

FEATURES_FORMAT = 2


def arguments(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--run-dir", required=True)
    ap.add_argument("--base", required=True, help="a training run's directory (memory.pt) or a 2.0 bundle folder")
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--seed", type=int, default=20261207)
    ap.add_argument("--head-hidden", type=int, default=192)
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--batch", type=int, default=512, help="turns per batch")
    ap.add_argument("--min-slot-count", type=int, default=20)
    ap.add_argument("--sgd-limit", type=int, default=0, help="smoke tests: only the first N SGD conversations")
    ap.add_argument("--eval-limit", type=int, default=0, help="evaluate only N conversations per held-out set")
    ap.add_argument("--export", help="write the 3.0.0 bundle to this folder after training and evaluation")
    return ap.parse_args(argv)


# ------------------------------------------------------------------------------------------------ base model

def base_from_onnx(folder):
    """Model 2.0 rebuilt from its bundle: the ONNX GRU's gates (z, r, h) back in torch's order (r, z, n)."""
    import onnx
    from onnx import numpy_helper
    with open(os.path.join(folder, "tokenizer.json"), encoding="utf-8") as f:
        vocab = tokenizer.Vocab(json.load(f)["vocabulary"])
    graph = onnx.load(os.path.join(folder, "model.onnx")).graph
    init = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    gru = next(n for n in graph.node if n.op_type == "GRU")
    w, r, b = (init[name] for name in gru.input[1:4])
    H = w.shape[1] // 3
    tagger = next(n for n in graph.node if n.op_type == "MatMul" and "tagger" in n.output[0])
    tw = init[tagger.input[1]]
    model = WorkingMemoryModel(len(vocab), H, H, tw.shape[1], 0.0)

    def torch_order(a):
        z, rr, h = a[:H], a[H:2 * H], a[2 * H:]
        return torch.from_numpy(np.concatenate([rr, z, h]).copy())

    sd = model.state_dict()
    sd["emb.weight"] = torch.from_numpy(init["m.emb.weight"].copy())
    sd["proj.weight"] = sd["emb.weight"]
    sd["proj.bias"] = torch.from_numpy(init["m.proj.bias"].copy())
    sd["gru.weight_ih_l0"] = torch_order(w[0])
    sd["gru.weight_hh_l0"] = torch_order(r[0])
    sd["gru.bias_ih_l0"] = torch_order(b[0][:3 * H])
    sd["gru.bias_hh_l0"] = torch_order(b[0][3 * H:])
    sd["tagger.weight"] = torch.from_numpy(tw.T.copy())
    sd["tagger.bias"] = torch.from_numpy(init["m.tagger.bias"].copy())
    model.load_state_dict(sd)
    with open(os.path.join(folder, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    return model.eval(), vocab, manifest


def load_base(path):
    if os.path.exists(os.path.join(path, "model.onnx")):
        return base_from_onnx(path)
    saved = loop.load_file(os.path.join(path, "memory.pt"))
    vocab = tokenizer.Vocab(saved["vocab"])
    cfg = saved["config"]
    model = WorkingMemoryModel(len(vocab), cfg["hidden"], cfg["hidden"], 1 + len(tokenizer.PLACEHOLDERS), 0.0)
    model.load_state_dict(saved["model"])
    return model.eval(), vocab, None


# ------------------------------------------------------------------------------------------------ data

def encode_conversation(vocab, turns):
    """Token ids of a conversation as a replay feeds it and, per turn, its first position, its <eou> position and the
    last token position of each span (-1 when the span's text gives no token). A replay answers each user turn and
    feeds the reply back into the memory before the log's system turn: the system turn's delexicalised words (role,
    placeholders for values, <eou>) stand for that reply, then each turn follows as said (role, words, <eou>)."""
    ids, starts, ends, span_ends = [], [], [], []
    for i, (speaker, text, spans, _, _) in enumerate(turns):
        if speaker != "user" and i > 0 and turns[i - 1][0] == "user":
            ids.append(vocab.role_id(speaker))
            for piece, kind in segments(text, spans):
                if kind is None:
                    ids += vocab.encode_text(piece)
                else:
                    kind_type = next(t for s, e, t, _ in spans if (s, e) == kind)
                    ids.append(vocab.stoi["[" + kind_type + "]"])
            ids.append(vocab.stoi[tokenizer.EOU])
        starts.append(len(ids))
        ids.append(vocab.role_id(speaker))
        ends_here = {}
        for piece, kind in segments(text, spans):
            toks = vocab.encode_text(piece)
            ids += toks
            if kind is not None:
                ends_here[kind] = len(ids) - 1 if toks else -1
        ids.append(vocab.stoi[tokenizer.EOU])
        ends.append(len(ids) - 1)
        span_ends.append([ends_here.get((s, e), -1) for s, e, _, _ in spans])
    return ids, starts, ends, span_ends


def segments(text, spans):
    out, last = [], 0
    for start, end, _, _ in spans:
        if start > last:
            out.append((text[last:start], None))
        out.append((text[start:end], (start, end)))
        last = end
    if last < len(text):
        out.append((text[last:], None))
    return out


def load_sets(data_dir, sgd_limit=0):
    """{name: [(id, turns)]}: the training conversations and the held-out sets."""
    sets = {"train": [], "sgd-held-out": [], "multiwoz-val-held-out": [], "multiwoz-test": []}
    for dataset in ("sgd", "multiwoz", "multiwoz-test"):
        convs = state_slots.read_conversations(data_dir, dataset)
        if dataset == "sgd" and sgd_limit:
            convs = dict(list(convs.items())[:sgd_limit])
        for cid, lines in convs.items():
            turns = state_slots.annotated_turns(lines, "sgd" if dataset == "sgd" else "multiwoz")
            if dataset == "multiwoz-test":
                sets["multiwoz-test"].append((cid, turns))
            elif slices.is_held_out(cid):
                sets["sgd-held-out" if dataset == "sgd" else "multiwoz-val-held-out"].append((cid, turns))
            else:
                sets["train"].append((cid, turns))
    return sets


@torch.no_grad()
def gru_outputs(model, seqs, batch=48):
    """The GRU's output at every position of each sequence, from a zero state: a list of [T,H] float tensors."""
    out = [None] * len(seqs)
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
    for k in range(0, len(order), batch):
        rows = order[k:k + batch]
        T = max(len(seqs[i]) for i in rows)
        x = torch.zeros(len(rows), T, dtype=torch.int64)
        for r, i in enumerate(rows):
            x[r, :len(seqs[i])] = torch.tensor(seqs[i])
        o, _ = model.gru(model.emb(x), model.zero_state(len(rows)))
        for r, i in enumerate(rows):
            out[i] = o[r, :len(seqs[i])].clone()
    return out


def features(model, vocab, convs, slots):
    """Per conversation the frozen GRU's features and the labels: value rows (the outputs at a value's last token
    and the two after it within the utterance, [3H]) and turn rows (the state before and after the turn, [2H])."""
    H = model.hidden
    vf, vturn, vslot, venter = [], [], [], []
    tf, tacc, tdrop, treq, tuser = [], [], [], [], []
    encoded = [encode_conversation(vocab, turns) for _, turns in convs]
    outs = gru_outputs(model, [e[0] for e in encoded])
    for (cid, turns), (ids, starts, ends, span_ends), o in zip(convs, encoded, outs):
        labels = state_slots.conversation_labels(turns, slots)
        zero = torch.zeros(H)
        for t, label in enumerate(labels):
            before = o[ends[t - 1]] if t > 0 else zero
            after = o[ends[t]]
            turn_row = len(tf)
            tf.append(torch.cat([after, before]))
            acc = torch.full((len(slots),), -1.0)
            for k, v in label["accept"].items():
                acc[k] = v
            drop = torch.full((len(slots),), -1.0)
            for k, v in label["drop"].items():
                drop[k] = v
            req = torch.full((len(state_slots.REQUEST_TYPES),), -1.0)
            if label["requests"] is not None:
                req.zero_()
                for k in label["requests"]:
                    req[k] = 1
            tacc.append(acc)
            tdrop.append(drop)
            treq.append(req)
            tuser.append(label["requests"] is not None)
            for (start, end, kind, slot, enters), p in zip(label["values"], span_ends[t]):
                if p < 0 or (slot < 0 and enters < 0):
                    continue
                look = [o[p]]
                for d in range(1, LOOKAHEAD + 1):
                    look.append(o[p + d] if p + d <= ends[t] else zero)
                vf.append(torch.cat(look))
                vturn.append(turn_row)
                vslot.append(slot)
                venter.append(enters)
    return {"vf": torch.stack(vf).half(), "vturn": torch.tensor(vturn), "vslot": torch.tensor(vslot),
            "venter": torch.tensor(venter, dtype=torch.float32), "tf": torch.stack(tf).half(),
            "tacc": torch.stack(tacc), "tdrop": torch.stack(tdrop), "treq": torch.stack(treq)}


# ------------------------------------------------------------------------------------------------ training

def losses(heads, feats, vrows, trows_map, device):
    """Loss of a batch: value rows vrows (their turn rows are gathered) and the turn rows of trows_map."""
    K = heads.slots
    vx = feats["vf"][vrows].float()
    vt = feats["tf"][feats["vturn"][vrows]].float()
    vlogits = heads.value_logits(vx, vt[:, :heads.hidden])
    slot_t = feats["vslot"][vrows]
    enter_t = feats["venter"][vrows]
    ls = F.cross_entropy(vlogits[:, :K], slot_t.clamp(min=0), reduction="none")
    ls = (ls * (slot_t >= 0)).sum() / max(1, int((slot_t >= 0).sum()))
    em = enter_t >= 0
    le = F.binary_cross_entropy_with_logits(vlogits[:, K], enter_t.clamp(min=0), reduction="none")
    le = (le * em).sum() / max(1, int(em.sum()))
    tx = feats["tf"][trows_map].float()
    ulogits = heads.update_logits(tx[:, :heads.hidden], tx[:, heads.hidden:])
    target = torch.cat([feats["tacc"][trows_map], feats["tdrop"][trows_map], feats["treq"][trows_map]], dim=1)
    um = target >= 0
    lu = F.binary_cross_entropy_with_logits(ulogits, target.clamp(min=0), reduction="none")
    lu = (lu * um).sum() / max(1, int(um.sum())) * 4
    return ls + le + lu, (float(ls), float(le), float(lu))


def train_heads(cfg, feats, slots, hidden, ckpt):
    torch.manual_seed(cfg.seed)
    heads = StateHeads(hidden, len(slots), len(state_slots.REQUEST_TYPES), cfg.head_hidden, LOOKAHEAD)
    opt = torch.optim.Adam(heads.parameters(), lr=cfg.lr)
    nturns = feats["tf"].shape[0]
    # value rows grouped by turn so that a batch of turns brings its values
    by_turn = [[] for _ in range(nturns)]
    for i, t in enumerate(feats["vturn"].tolist()):
        by_turn[t].append(i)
    steps = math.ceil(nturns / cfg.batch) * cfg.epochs
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(1, s / steps))))
    state = {"epoch": 0}
    if cfg.resume and os.path.exists(ckpt):
        saved = loop.load_file(ckpt)
        heads.load_state_dict(saved["heads"])
        opt.load_state_dict(saved["opt"])
        sched.load_state_dict(saved["sched"])
        state = saved["state"]
        log(f"[state] resumed after epoch {state['epoch']}")
    while state["epoch"] < cfg.epochs:
        rng = random.Random(cfg.seed * 100 + state["epoch"])
        order = list(range(nturns))
        rng.shuffle(order)
        heads.train()
        t0, tot, n = time.time(), [0.0, 0.0, 0.0], 0
        for k in range(0, nturns, cfg.batch):
            trows = order[k:k + cfg.batch]
            vrows = [v for t in trows for v in by_turn[t]]
            if not vrows:
                continue
            loss, parts = losses(heads, feats, torch.tensor(vrows), torch.tensor(trows), None)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            tot = [a + b for a, b in zip(tot, parts)]
            n += 1
        state["epoch"] += 1
        log(f"[state] epoch {state['epoch']}/{cfg.epochs}: slot {tot[0] / n:.3f} enters {tot[1] / n:.3f} "
            f"updates {tot[2] / n:.3f} ({time.time() - t0:.0f}s)")
        torch.save({"heads": heads.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(), "state": state},
                   ckpt + ".tmp")
        os.replace(ckpt + ".tmp", ckpt)
    return heads.eval()


# ------------------------------------------------------------------------------------------------ evaluation

@torch.no_grad()
def track(model, heads, vocab, turns, slots):
    """The state as the runtime tracks it (DialogueStateTracker in Java): returns per user turn the state
    {slot: (value, turn)} after it and the requests predicted, reading the model's own tags. Values are the
    tagged tokens joined as the runtime joins them, normalised."""
    K = heads.slots
    types = [state_slots.key_type(k) for k in slots]
    h = model.zero_state(1)
    state, offers = {}, {}
    out = []
    for i, (speaker, text, spans, _, _) in enumerate(turns):
        if speaker != "user" and i > 0 and turns[i - 1][0] == "user":
            echo = [vocab.role_id(speaker)]
            for piece, kind in segments(text, spans):
                echo += vocab.encode_text(piece) if kind is None else [
                    vocab.stoi["[" + next(t for s, e, t, _ in spans if (s, e) == kind) + "]"]]
            echo.append(vocab.stoi[tokenizer.EOU])
            _, h = model.gru(model.emb(torch.tensor([echo])), h)
        toks = tokenizer.split(text)
        ids = [vocab.role_id(speaker)] + vocab.ids(toks) + [vocab.stoi[tokenizer.EOU]]
        x = torch.tensor([ids])
        o, h_after = model.gru(model.emb(x), h)
        tags = model.tag_logits(o, None)[0].argmax(dim=1).tolist()
        vlog = heads.value_logits_seq(o[0], h_after[0, 0])
        ulog = heads.update_logits(h_after[0], h[0])[0]
        values = state_slots.tagged_values(tags, toks)
        if speaker == "user":
            for k in range(K):
                if ulog[K + k] > 0 and slots[k] in state:
                    del state[slots[k]]
            for slot, value in sorted(offers.items()):
                if ulog[slots.index(slot)] > 0:
                    state[slot] = (value, i)
            for kind, value, last in values:
                slot = state_slots.best_slot(vlog[last], types, kind)
                if slot is not None and vlog[last, K] > 0:
                    if LONE_DOMAIN_RULE:
                        supersede_lone(state, slots[slot])
                    state[slots[slot]] = (value, i)
            req = {state_slots.REQUEST_TYPES[r] for r in range(len(state_slots.REQUEST_TYPES)) if ulog[2 * K + r] > 0}
            out.append((i, dict(state), req))
            offers = {}
        else:
            offers = {}
            for kind, value, last in values:
                slot = state_slots.best_slot(vlog[last], types, kind)
                if slot is not None:
                    offers[slots[slot]] = value
        h = h_after
    return out


LONE_DOMAIN_RULE = False  # measured on training slices: no gain on SGD, -0.002 state F1 on MultiWOZ


def supersede_lone(state, slot):
    """The runtime's rule (DialogueStateTracker): a value entering `slot` replaces the value of the same type and
    role that another domain holds alone (that domain was a misreading: "a booking at X for Tuesday", later "move
    it to Wednesday, 1 night" of a hotel)."""
    domain, rest = slot.split(".", 1)
    for other in list(state):
        d, r = other.split(".", 1)
        if d != domain and r == rest and not any(k.split(".", 1)[0] == d for k in state if k != other):
            del state[other]


def evaluate(model, heads, vocab, convs, slots):
    """State precision, recall, F1 of the final state (slot and value), per-turn joint accuracy over the values
    that occur in the conversation's text, request accuracy (the requested types of a user turn exactly)."""
    tp = fp = fn = 0
    joint = joint_n = 0
    req_ok = req_n = 0
    value_tp = value_fp = value_fn = 0
    for cid, turns in convs:
        said = state_slots.norm(" ".join(t[1] for t in turns))
        tracked = track(model, heads, vocab, turns, slots)
        by_turn = {i: (st, rq) for i, st, rq in tracked}
        for i, (speaker, _, _, gold, requests) in enumerate(turns):
            if speaker != "user" or gold is None or i not in by_turn:
                continue
            st, rq = by_turn[i]
            g = {(k, v) for k, vs in gold.items() for v in vs if v in said}
            gold_keys = {k for k, _ in g}
            p = {(k, v) for k, (v, _) in st.items()}
            ok = all(k in gold_keys and (k, v) in g for k, v in p) and gold_keys <= {k for k, _ in p}
            joint += ok
            joint_n += 1
            req_ok += (rq == set(requests or ()))
            req_n += 1
        gold = state_slots.final_state(turns)
        g = {k: {v for v in vs if v in said} for k, vs in gold.items()}
        g = {k: vs for k, vs in g.items() if vs}
        final = tracked[-1][1] if tracked else {}
        for k, (v, _) in final.items():
            if k in g and v in g[k]:
                tp += 1
            else:
                fp += 1
            if any(v in vs for vs in g.values()):
                value_tp += 1
            else:
                value_fp += 1
        fn += sum(1 for k, vs in g.items() if not (k in final and final[k][0] in vs))
        value_fn += sum(1 for k, vs in g.items() if not any(v in vs for v, _ in final.values()))
    p = tp / max(1, tp + fp)
    r = tp / max(1, tp + fn)
    vp = value_tp / max(1, value_tp + value_fp)
    vr = (value_tp) / max(1, value_tp + value_fn)
    return {"conversations": len(convs), "statePrecision": round(p, 4), "stateRecall": round(r, 4),
            "stateF1": round(2 * p * r / max(1e-9, p + r), 4), "valuePrecision": round(vp, 4),
            "valueRecall": round(vr, 4), "jointAccuracy": round(joint / max(1, joint_n), 4),
            "requestAccuracy": round(req_ok / max(1, req_n), 4), "userTurns": joint_n}


def main(argv=None):
    cfg = arguments(argv)
    torch.set_num_threads(1)
    os.makedirs(cfg.run_dir, exist_ok=True)
    model, vocab, manifest = load_base(cfg.base)
    for p in model.parameters():
        p.requires_grad_(False)
    sets = load_sets(cfg.data_dir, cfg.sgd_limit)
    log(", ".join(f"{k}: {len(v)} conversations" for k, v in sets.items()))
    slots = state_slots.inventory([t for _, t in sets["train"]], cfg.min_slot_count)
    log(f"{len(slots)} state slots")
    path = os.path.join(cfg.run_dir, "state-features.pt")
    key = {"format": FEATURES_FORMAT, "slots": slots, "sgdLimit": cfg.sgd_limit,
           "base": sum(float(p.double().sum()) for p in model.parameters())}
    feats = loop.load_file(path) if os.path.exists(path) else None
    if feats is None or feats.get("key") != key:
        t0 = time.time()
        feats = features(model, vocab, sets["train"], slots)
        feats["key"] = key
        torch.save(feats, path + ".tmp")
        os.replace(path + ".tmp", path)
        log(f"features of {feats['tf'].shape[0]} turns and {feats['vf'].shape[0]} values in {time.time() - t0:.0f}s")
    heads = train_heads(cfg, feats, slots, model.hidden, os.path.join(cfg.run_dir, "state.ckpt"))
    ev_path = os.path.join(cfg.run_dir, "state-evaluation.json")
    ev_key = {"heads": sum(float(p.double().sum()) for p in heads.parameters()), "limit": cfg.eval_limit,
              "slots": slots}
    saved = None
    if os.path.exists(ev_path):
        with open(ev_path) as f:
            saved = json.load(f)
    if saved is not None and saved.get("key") == ev_key:
        results = saved["sets"]
        log(f"evaluation: reusing {ev_path}")
    else:
        results = {}
        for name in ("sgd-held-out", "multiwoz-val-held-out", "multiwoz-test"):
            convs = sets[name][:cfg.eval_limit] if cfg.eval_limit else sets[name]
            t0 = time.time()
            results[name] = evaluate(model, heads, vocab, convs, slots)
            log(f"evaluation {name}: {json.dumps(results[name])} ({time.time() - t0:.0f}s)")
        with open(ev_path, "w") as f:
            json.dump({"key": ev_key, "slots": slots, "sets": results}, f, indent=1)
    torch.save({"heads": heads.state_dict(), "slots": slots, "config": vars(cfg)},
               os.path.join(cfg.run_dir, "state.pt"))
    if cfg.export:
        if manifest is None:
            raise SystemExit("--export needs --base to be a 2.x bundle folder (its manifest, tokenizer and card)")
        from wmtrain import export_state
        export_state.export(cfg, model, heads, vocab, slots, results, manifest)


if __name__ == "__main__":
    main()
