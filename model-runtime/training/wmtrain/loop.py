"""The training loop of model 2.0: sequences, batches, truncated BPTT, checkpoints and resuming.

A conversation (memory model) or a single utterance (no-memory baseline) is one sequence of positions, each with
an input token, the token the model should predict next, the input token's fact tag, and how many tokens of the
same utterance follow it (the tagger's look-ahead stops at the utterance's end).

Inputs are what a replay feeds: the words as said. Targets are delexicalised: where a value starts the target is
its placeholder ("[time]"), inside a value there is no target, after it the next word. Half of the system turns
(chosen by a hash of conversation id and turn, the same for both models) are fed delexicalised instead, as the
model's own replies are, so it also learns to read placeholders; their tokens have no tag target.
"""
import inspect
import math
import os
import random
import time
import zlib

import numpy as np
import torch
import torch.nn.functional as F

IGNORE = -100


def load_file(path, map_location="cpu"):
    """torch.load of our own checkpoints on torch 1.13 and 2.x (2.6 made weights_only=True the default)."""
    if "weights_only" in inspect.signature(torch.load).parameters:
        return torch.load(path, map_location=map_location, weights_only=False)
    return torch.load(path, map_location=map_location)


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


def reads_delexicalised(conversation_id, turn, is_system):
    return is_system and zlib.crc32(f"{conversation_id}/{turn}".encode()) % 2 == 0


def turn_positions(turn, eou, placeholder_base, delexicalised):
    """(inputs, next-token view, tags) of one turn, role token and <eou> included."""
    role, is_system, raw, tags, starts, delex = turn
    xs, ds, gs = [role], [role], [0]
    if delexicalised:
        xs += delex
        ds += delex
        gs += [IGNORE] * len(delex)
    else:
        for tok, tag, start in zip(raw, tags, starts):
            xs.append(tok)
            ds.append(placeholder_base + tag - 1 if start else (IGNORE if tag else tok))
            gs.append(tag)
    xs.append(eou)
    ds.append(eou)
    gs.append(0)
    return xs, ds, gs


def sequence(conversation_id, turns, eou, placeholder_base, feed="mixed"):
    """One sequence of the given turns: arrays x, y (next-token targets), g (tags), rem, scored (y counts for
    perplexity: words, placeholders and <eou> of system turns), utt (turn index of each position).
    feed: "mixed" (training, see module doc), "raw" (every turn as said, as a replay of a log)."""
    x, d, g, rem, sysw, utt = [], [], [], [], [], []
    for i, turn in enumerate(turns):
        delex = feed == "mixed" and reads_delexicalised(conversation_id, i, turn[1])
        xs, ds, gs = turn_positions(turn, eou, placeholder_base, delex)
        n = len(xs)
        x += xs
        d += ds
        g += gs
        rem += list(range(n - 1, -1, -1))
        sysw += [0] + [1 if turn[1] else 0] * (n - 1)
        utt += [i] * n
    y = d[1:] + [IGNORE]
    scored = sysw[1:] + [0]
    scored = [s if t != IGNORE else 0 for s, t in zip(scored, y)]
    # a target across a turn boundary is the next role token: never scored (sysw of a role token is 0)
    as_np = lambda a: np.asarray(a, dtype=np.int32)  # noqa: E731
    return {"x": as_np(x), "y": as_np(y), "g": as_np(g), "rem": as_np(rem), "scored": as_np(scored),
            "utt": as_np(utt)}


def memory_sequences(convs, eou, placeholder_base, feed="mixed"):
    return [sequence(cid, turns, eou, placeholder_base, feed) for cid, _, turns in convs]


def utterance_sequences(convs, eou, placeholder_base, feed="mixed"):
    """Every turn as a sequence of its own (the no-memory baseline, and the memory-reset diagnostic)."""
    out = []
    for cid, _, turns in convs:
        for i, turn in enumerate(turns):
            delex = feed == "mixed" and reads_delexicalised(cid, i, turn[1])
            out.append(_single(*turn_positions(turn, eou, placeholder_base, delex), turn[1]))
    return out


def _single(xs, ds, gs, is_system):
    n = len(xs)
    y = ds[1:] + [IGNORE]
    scored = [1 if is_system else 0] * (n - 1) + [0]
    scored = [s if t != IGNORE else 0 for s, t in zip(scored, y)]
    as_np = lambda a: np.asarray(a, dtype=np.int32)  # noqa: E731
    return {"x": as_np(xs), "y": as_np(y), "g": as_np(gs), "rem": as_np(list(range(n - 1, -1, -1))),
            "scored": as_np(scored), "utt": as_np([0] * n)}


def make_batches(lengths, batch_size, rng, sort_chunk=50):
    idx = list(range(len(lengths)))
    rng.shuffle(idx)
    batches = []
    chunk = batch_size * sort_chunk
    for c in range(0, len(idx), chunk):
        part = sorted(idx[c:c + chunk], key=lambda i: lengths[i])
        batches += [part[k:k + batch_size] for k in range(0, len(part), batch_size)]
    rng.shuffle(batches)
    return batches


def pad(seqs, rows, key, fill):
    T = max(len(seqs[i]["x"]) for i in rows)
    a = np.full((len(rows), T), fill, dtype=np.int64)
    for r, i in enumerate(rows):
        v = seqs[i][key]
        a[r, :len(v)] = v
    return torch.from_numpy(a)


def windows_of(lengths, batch, bptt):
    return math.ceil(max(lengths[i] for i in batch) / bptt)


def epoch_batches(lengths, batch_size, seed, epoch):
    return make_batches(lengths, batch_size, random.Random(seed * 1000 + epoch))


def steps_per_epoch(lengths, batch_size, bptt, seed):
    return sum(windows_of(lengths, b, bptt) for b in epoch_batches(lengths, batch_size, seed, 0))


class Trainer:
    """Trains one model over sequences in truncated-BPTT windows, with checkpoints every few minutes and at the end
    of every epoch; `resume` continues from the last checkpoint at the batch where it stopped."""

    def __init__(self, model, seqs, cfg, tag, checkpoint, device, epoch_end=None):
        self.model, self.seqs, self.cfg, self.tag = model, seqs, cfg, tag
        self.checkpoint, self.device, self.epoch_end = checkpoint, device, epoch_end
        self.lengths = [len(s["x"]) for s in seqs]
        self.batch_size = cfg.batch if tag == "memory" else cfg.utterance_batch
        self.total = steps_per_epoch(self.lengths, self.batch_size, cfg.bptt, cfg.seed) * cfg.epochs
        self.opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
        warm = min(200, self.total // 10)
        total = self.total

        def lr_at(s):
            if s < warm:
                return (s + 1) / warm
            p = min(1.0, (s - warm) / max(1, total - warm))
            return cfg.min_lr_frac + (1 - cfg.min_lr_frac) * 0.5 * (1 + math.cos(math.pi * p))

        self.sched = torch.optim.lr_scheduler.LambdaLR(self.opt, lr_at)
        self.state = {"epoch": 0, "batch": 0, "step": 0, "seconds": 0.0, "tokens": 0, "history": []}

    def save(self):
        tmp = self.checkpoint + ".tmp"
        torch.save({"model": self.model.state_dict(), "opt": self.opt.state_dict(), "sched": self.sched.state_dict(),
                    "state": self.state, "total": self.total, "config": config_of(self.cfg)}, tmp)
        os.replace(tmp, self.checkpoint)

    def load(self):
        saved = load_file(self.checkpoint, self.device)
        if saved["config"] != config_of(self.cfg):
            raise SystemExit(f"{self.checkpoint} was written with another configuration: {saved['config']} "
                             f"(now {config_of(self.cfg)}); start again without --resume, in another --run-dir")
        self.model.load_state_dict(saved["model"])
        self.opt.load_state_dict(saved["opt"])
        self.sched.load_state_dict(saved["sched"])
        self.state = saved["state"]
        log(f"[{self.tag}] resumed at epoch {self.state['epoch'] + 1} batch {self.state['batch']} "
            f"step {self.state['step']}/{self.total}")

    def run(self):
        cfg, st = self.cfg, self.state
        last_save = last_line = time.time()
        t_mark, tok_mark = time.time(), 0
        loss_sum = tag_sum = 0.0
        loss_n = 0
        while st["epoch"] < cfg.epochs:
            batches = epoch_batches(self.lengths, self.batch_size, cfg.seed, st["epoch"])
            self.model.train()
            while st["batch"] < len(batches):
                b = batches[st["batch"]]
                torch.manual_seed(cfg.seed + st["step"])  # dropout masks: the same after a resume
                lm, tg, n = self.train_batch(b)
                loss_sum += lm
                tag_sum += tg
                loss_n += 1
                st["batch"] += 1
                st["tokens"] += n
                tok_mark += n
                now = time.time()
                if now - last_line >= cfg.progress_seconds:
                    st["seconds"] += now - t_mark
                    rate = tok_mark / max(1e-9, now - t_mark)
                    left = (self.total - st["step"]) * (st["seconds"] / max(1, st["step"]))
                    log(f"[{self.tag}] epoch {st['epoch'] + 1}/{cfg.epochs} step {st['step']}/{self.total} "
                        f"({100 * st['step'] / self.total:.1f}%) train ppl {math.exp(loss_sum / loss_n):.2f} "
                        f"tag loss {tag_sum / loss_n:.3f} lr {self.sched.get_last_lr()[0]:.2e} "
                        f"{rate:,.0f} tokens/s, about {left / 60:.0f} min left")
                    loss_sum = tag_sum = 0.0
                    loss_n = 0
                    t_mark, tok_mark, last_line = now, 0, now
                if now - last_save >= cfg.checkpoint_minutes * 60:
                    self.save()
                    last_save = now
            st["seconds"] += time.time() - t_mark
            t_mark, tok_mark = time.time(), 0
            st["epoch"] += 1
            st["batch"] = 0
            if self.epoch_end is not None:
                st["history"].append(self.epoch_end(self.model, self.tag, st["epoch"]))
                self.model.train()
            self.save()
            last_save = time.time()
        return {"epochs": cfg.epochs, "steps": st["step"], "tokens": st["tokens"], "seconds": round(st["seconds"], 1),
                "history": st["history"]}

    def train_batch(self, b):
        dev = self.device
        x = pad(self.seqs, b, "x", 0).to(dev)
        y = pad(self.seqs, b, "y", IGNORE).to(dev)
        g = pad(self.seqs, b, "g", IGNORE).to(dev)
        rem = pad(self.seqs, b, "rem", 0).to(dev)
        h = self.model.zero_state(len(b), dev)
        lm_tot = tag_tot = 0.0
        n_tot = 0
        for s in range(0, x.shape[1], self.cfg.bptt):
            xs, ys, gs, rs = (t[:, s:s + self.cfg.bptt] for t in (x, y, g, rem))
            n = int((ys != IGNORE).sum())
            if n == 0 and int((gs != IGNORE).sum()) == 0:
                continue
            logits, h, tags = self.model(xs, h, rs)
            h = h.detach()
            lm = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), ys.reshape(-1), ignore_index=IGNORE)
            tg = F.cross_entropy(tags.reshape(-1, tags.shape[-1]), gs.reshape(-1), ignore_index=IGNORE)
            if n == 0:
                lm = lm.new_zeros(())
            loss = lm + self.cfg.tag_weight * tg
            self.opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.cfg.clip)
            self.opt.step()
            self.sched.step()
            self.state["step"] += 1
            lm_tot += float(lm) * n
            tag_tot += float(tg) * n
            n_tot += n
        return lm_tot / max(1, n_tot), tag_tot / max(1, n_tot), n_tot


TRAINING_KEYS = ("seed", "hidden", "vocab_size", "min_count", "dropout", "epochs", "lr", "min_lr_frac", "clip",
                 "bptt", "batch", "utterance_batch", "tag_weight", "sgd_limit")


def config_of(cfg):
    return {k: getattr(cfg, k) for k in TRAINING_KEYS}
