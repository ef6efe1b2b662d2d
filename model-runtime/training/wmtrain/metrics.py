"""Held-out evaluation of model 2.0: perplexity with and without memory, the tagger's F1, greedy replies' BLEU-4.

Every figure is on conversations the models never trained on: the held-out slices of SGD train and MultiWOZ val
(slices.is_held_out) and MultiWOZ test. Conversations are fed as a replay feeds them: every turn as said.
"""
import math

import torch
from nltk.translate.bleu_score import corpus_bleu

from wmtrain import loop, tokenizer

SUPPRESSED = (tokenizer.PAD, tokenizer.UNK, tokenizer.USER, tokenizer.SYSTEM)


@torch.no_grad()
def scored_nll(model, seqs, batch=32):
    """Sum of -log p over scored targets (system turns' words, placeholders and <eou>), and their count."""
    model.eval()
    tot, n = 0.0, 0
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]["x"]))
    for k in range(0, len(order), batch):
        rows = order[k:k + batch]
        x = loop.pad(seqs, rows, "x", 0)
        y = loop.pad(seqs, rows, "y", 0).clamp(min=0)
        m = loop.pad(seqs, rows, "scored", 0).bool()
        logits, _, _ = model(x, model.zero_state(len(rows)), loop.pad(seqs, rows, "rem", 0))
        lp = torch.log_softmax(logits.double(), dim=-1).gather(2, y.unsqueeze(2)).squeeze(2)
        tot += float(-lp[m].sum())
        n += int(m.sum())
    return tot, n


@torch.no_grad()
def tag_counts(model, seqs, classes, batch=32):
    """Token-level tagging counts over raw tokens with a tag target: per class tp, fp, fn (class 0, none, excluded)."""
    model.eval()
    k = len(classes)
    tp, fp, fn = [0] * k, [0] * k, [0] * k
    for s in range(0, len(seqs), batch):
        rows = list(range(s, min(s + batch, len(seqs))))
        x = loop.pad(seqs, rows, "x", 0)
        g = loop.pad(seqs, rows, "g", loop.IGNORE)
        _, _, tags = model(x, model.zero_state(len(rows)), loop.pad(seqs, rows, "rem", 0))
        pred = tags.argmax(dim=2)
        valid = g != loop.IGNORE
        for c in range(1, k):
            p, t = (pred == c) & valid, (g == c) & valid
            tp[c] += int((p & t).sum())
            fp[c] += int((p & ~t).sum())
            fn[c] += int((t & ~p).sum())
    return tp, fp, fn


def f1(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def tagger_report(model, convs, vocab, classes):
    seqs = loop.memory_sequences(convs, vocab.stoi[tokenizer.EOU], vocab.stoi[tokenizer.PLACEHOLDERS[0]], "raw")
    tp, fp, fn = tag_counts(model, seqs, classes)
    per_type = {classes[c]: {"f1": round(f1(tp[c], fp[c], fn[c]), 4), "tokens": tp[c] + fn[c]}
                for c in range(1, len(classes)) if tp[c] + fn[c]}
    return {"tokenF1": round(f1(sum(tp), sum(fp), sum(fn)), 4), "taggedTokens": sum(tp) + sum(fn),
            "perType": per_type}


def perplexities(mem, nomem, convs, vocab):
    eou, base = vocab.stoi[tokenizer.EOU], vocab.stoi[tokenizer.PLACEHOLDERS[0]]
    conv = loop.memory_sequences(convs, eou, base, "raw")
    utt = loop.utterance_sequences(convs, eou, base, "raw")
    t, n = scored_nll(mem, conv)
    t2, n2 = scored_nll(mem, utt, batch=256)
    t3, n3 = scored_nll(nomem, utt, batch=256)
    assert n == n2 == n3, (n, n2, n3)
    res = {"scoredTokens": n, "withMemory": math.exp(t / n), "memoryReset": math.exp(t2 / n),
           "noMemoryModel": math.exp(t3 / n)}
    res["memoryGainPercent"] = 100 * (1 - res["withMemory"] / res["noMemoryModel"])
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in res.items()}


@torch.no_grad()
def encode(model, ids, state):
    _, h, _ = model(torch.tensor([ids]), state)
    return h


@torch.no_grad()
def greedy_batch(model, vocab, states, max_tokens=32):
    """Greedy replies from states [1,N,H]: feed <system>, then the argmax (suppressed ids excluded, ties to the
    lowest id) until <eou> or max_tokens. Returns lists of ids."""
    model.eval()
    n = states.shape[1]
    sup = torch.tensor([vocab.stoi[t] for t in SUPPRESSED])
    eou = vocab.stoi[tokenizer.EOU]
    tok = torch.full((n, 1), vocab.stoi[tokenizer.SYSTEM], dtype=torch.int64)
    h = states
    out = [[] for _ in range(n)]
    done = [False] * n
    for _ in range(max_tokens):
        logits, h, _ = model(tok, h)
        lg = logits[:, -1].clone()
        lg[:, sup] = -float("inf")
        nxt = lg.argmax(dim=1)
        for i in range(n):
            if not done[i]:
                if int(nxt[i]) == eou:
                    done[i] = True
                else:
                    out[i].append(int(nxt[i]))
        if all(done):
            break
        tok = nxt.unsqueeze(1)
    return out


def reply_points(convs):
    """(conversation index, user turn index) where the next turn is the system's: where a reply is scored."""
    return [(ci, i) for ci, (_, _, turns) in enumerate(convs) for i in range(len(turns) - 1)
            if not turns[i][1] and turns[i + 1][1]]


@torch.no_grad()
def reply_states(model, convs, points, reset):
    states = []
    by_conv = {}
    for ci, i in points:
        by_conv.setdefault(ci, []).append(i)
    for ci, wanted in by_conv.items():
        _, _, turns = convs[ci]
        h = model.zero_state(1)
        wanted = set(wanted)
        for i, turn in enumerate(turns):
            ids = [turn[0]] + turn[2] + [2]  # role, raw words, <eou>
            if i in wanted:
                states.append(encode(model, ids, model.zero_state(1)) if reset else encode(model, ids, h))
            h = encode(model, ids, h)
            if i >= max(wanted):
                break
    return states


def replies(model, vocab, convs, points, reset, batch=256):
    states = reply_states(model, convs, points, reset)
    out = []
    for k in range(0, len(states), batch):
        out += greedy_batch(model, vocab, torch.cat(states[k:k + batch], dim=1))
    return out


def bleu_report(mem, vocab, convs, limit=None):
    """Corpus BLEU-4 (NLTK defaults) of greedy replies against the delexicalised reference (the next system turn),
    tokens as the model's vocabulary spells them; with memory and with the memory reset before the user turn."""
    points = reply_points(convs)
    if limit:
        points = points[:limit]
    refs = [[[vocab.itos[t] for t in convs[ci][2][i + 1][5]]] for ci, i in points]
    res = {"replies": len(points)}
    samples = {}
    for name, reset in (("withMemory", False), ("memoryReset", True)):
        hyps_ids = replies(mem, vocab, convs, points, reset)
        hyps = [[vocab.itos[t] for t in h] for h in hyps_ids]
        res[name] = round(100 * corpus_bleu(refs, hyps), 2)
        samples[name] = [vocab.decode(h) for h in hyps_ids]
    res["memoryGain"] = round(res["withMemory"] - res["memoryReset"], 2)
    return res, points, samples
