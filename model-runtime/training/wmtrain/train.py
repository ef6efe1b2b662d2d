"""Train model 2.0 (memory model and its same-budget no-memory baseline), resumable from checkpoints.

    /usr/bin/python3 -m wmtrain.train --data-dir ../shared/datasets --run-dir RUN [--model memory|nomemory|both] [--resume]

Data: SGD train and MultiWOZ val without their held-out slices (slices.is_held_out). Writes RUN/data.pkl (the
encoded conversations and the vocabulary), RUN/<model>.ckpt (checkpoints) and RUN/<model>.pt (the finished model).
wmtrain.export evaluates the finished models and writes the bundle. Uses CUDA when torch sees a GPU.
"""
import os

# 2 CPU cores: BLAS (OpenBLAS, pthreads) gets both; torch's own intra-op pool stays at 1. Must precede torch.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import hashlib  # noqa: E402
import math  # noqa: E402
import pickle  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402

from wmtrain import datasets, loop, slices, tokenizer  # noqa: E402
from wmtrain.loop import log  # noqa: E402
from wmtrain.model import WorkingMemoryModel  # noqa: E402

DATA_FORMAT = 2


def arguments(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", required=True, help="holds sgd-train/ and multiwoz21/")
    ap.add_argument("--run-dir", required=True, help="data cache, checkpoints and finished models")
    ap.add_argument("--model", choices=["memory", "nomemory", "both"], default="both")
    ap.add_argument("--resume", action="store_true", help="continue from RUN/<model>.ckpt")
    ap.add_argument("--seed", type=int, default=20261201)
    ap.add_argument("--threads", type=int, default=1, help="torch intra-op threads (BLAS: OPENBLAS_NUM_THREADS)")
    ap.add_argument("--hidden", type=int, default=384, help="GRU size = embedding size (tied)")
    ap.add_argument("--vocab-size", type=int, default=5120)
    ap.add_argument("--min-count", type=int, default=2)
    ap.add_argument("--dropout", type=float, default=0.15)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--min-lr-frac", type=float, default=0.05)
    ap.add_argument("--clip", type=float, default=1.0)
    ap.add_argument("--bptt", type=int, default=50)
    ap.add_argument("--batch", type=int, default=64, help="conversations per batch (memory model)")
    ap.add_argument("--utterance-batch", type=int, default=0,
                    help="utterances per batch of the baseline; 0: as many optimizer steps per epoch as the memory model")
    ap.add_argument("--tag-weight", type=float, default=0.5, help="weight of the tagger's loss")
    ap.add_argument("--sgd-limit", type=int, default=0, help="smoke tests: only the first N SGD conversations")
    ap.add_argument("--checkpoint-minutes", type=float, default=5)
    ap.add_argument("--progress-seconds", type=float, default=60)
    ap.add_argument("--dev-conversations", type=int, default=120,
                    help="held-out conversations per dataset scored after each epoch (progress only)")
    return ap.parse_args(argv)


def file_sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


SOURCES = {"sgd": "sgd-train/utterances.jsonl.gz", "multiwoz": "multiwoz21/utterances.jsonl"}


def encode(vocab, convs, dataset):
    out = []
    for cid, turns in convs.items():
        enc = []
        for speaker, text, spans in turns:
            raw, tags, starts, delexed = datasets.encode_turn(vocab, text, spans)
            enc.append((vocab.role_id(speaker), tokenizer.role_of(speaker) == "system", raw, tags, starts, delexed))
        out.append((cid, dataset, enc))
    return out


def prepare(cfg):
    """Loads, splits, builds the vocabulary and encodes; cached in RUN/data.pkl."""
    path = os.path.join(cfg.run_dir, "data.pkl")
    key = {"format": DATA_FORMAT, "vocabSize": cfg.vocab_size, "minCount": cfg.min_count, "sgdLimit": cfg.sgd_limit,
           "sha256": {d: file_sha256(os.path.join(cfg.data_dir, f)) for d, f in SOURCES.items()}}
    if os.path.exists(path):
        with open(path, "rb") as f:
            data = pickle.load(f)
        if data["key"] == key:
            return data
        log(f"{path} is for other data or settings; rebuilding it")
    t0 = time.time()
    loaded = {}
    for dataset in ("sgd", "multiwoz"):
        convs, stats = datasets.load(cfg.data_dir, dataset)
        if dataset == "sgd" and cfg.sgd_limit:
            convs = dict(list(convs.items())[:cfg.sgd_limit])
        loaded[dataset] = convs
        log(f"{dataset}: {len(convs)} conversations, {stats['spans']} typed values")
    training = [{c: t for c, t in convs.items() if not slices.is_held_out(c)} for convs in loaded.values()]
    counter = datasets.token_counts(training)
    vocab = tokenizer.Vocab.build(counter, cfg.min_count, cfg.vocab_size)
    covered = sum(c for w, c in counter.items() if w in vocab.stoi)
    log(f"vocabulary {len(vocab)} of {len(counter)} distinct tokens; covers {100 * covered / sum(counter.values()):.2f}% "
        f"of training tokens")
    data = {"key": key, "vocab": vocab.itos, "train": [], "heldOut": [],
            "counts": {"distinctTokens": len(counter), "coveredPercent": 100 * covered / sum(counter.values())}}
    for dataset, convs in loaded.items():
        for item in encode(vocab, convs, dataset):
            data["heldOut" if slices.is_held_out(item[0]) else "train"].append(item)
    data["sources"] = [{"dataset": "sgd-train" if d == "sgd" else "multiwoz21", "split": "train" if d == "sgd" else "val",
                        "conversations": sum(1 for c in data["train"] if c[1] == d),
                        "heldOutConversations": sum(1 for c in data["heldOut"] if c[1] == d),
                        "sha256": key["sha256"][d]} for d in loaded]
    os.makedirs(cfg.run_dir, exist_ok=True)
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "wb") as f:
        pickle.dump(data, f, protocol=4)
    os.replace(tmp, path)
    log(f"encoded {len(data['train'])} training and {len(data['heldOut'])} held-out conversations "
        f"in {time.time() - t0:.0f}s")
    return data


def placeholder_base(vocab):
    return vocab.stoi[tokenizer.PLACEHOLDERS[0]]


def new_model(cfg, vocab_len):
    return WorkingMemoryModel(vocab_len, cfg.hidden, cfg.hidden, 1 + len(tokenizer.PLACEHOLDERS), cfg.dropout)


@torch.no_grad()
def quick_perplexity(model, seqs, device, batch=32):
    model.eval()
    tot, n = 0.0, 0
    for k in range(0, len(seqs), batch):
        rows = list(range(k, min(k + batch, len(seqs))))
        x = loop.pad(seqs, rows, "x", 0).to(device)
        y = loop.pad(seqs, rows, "y", 0).clamp(min=0).to(device)
        m = loop.pad(seqs, rows, "scored", 0).to(device).bool()
        logits, _, _ = model(x, model.zero_state(len(rows), device), loop.pad(seqs, rows, "rem", 0).to(device))
        lp = torch.log_softmax(logits.double(), dim=-1).gather(2, y.unsqueeze(2)).squeeze(2)
        tot += float(-lp[m].sum())
        n += int(m.sum())
    return math.exp(tot / max(1, n))


def main(argv=None):
    cfg = arguments(argv)
    torch.set_num_threads(cfg.threads)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    log(f"device {device}, torch {torch.__version__}, threads {cfg.threads}")
    os.makedirs(cfg.run_dir, exist_ok=True)
    data = prepare(cfg)
    vocab = tokenizer.Vocab(data["vocab"])
    eou, base = vocab.stoi[tokenizer.EOU], placeholder_base(vocab)
    train = data["train"]
    mem_seqs = loop.memory_sequences(train, eou, base)
    if cfg.utterance_batch <= 0:
        lengths = [len(s["x"]) for s in mem_seqs]
        steps = loop.steps_per_epoch(lengths, cfg.batch, cfg.bptt, cfg.seed)
        utterances = sum(len(t) for _, _, t in train)
        cfg.utterance_batch = max(1, round(utterances / steps))
        log(f"baseline batch: {cfg.utterance_batch} utterances ({steps} optimizer steps per epoch, as the memory model)")
    dev_convs = ([c for c in data["heldOut"] if c[1] == "sgd"][:cfg.dev_conversations]
                 + [c for c in data["heldOut"] if c[1] == "multiwoz"][:cfg.dev_conversations])

    def epoch_end(model, tag, epoch):
        seqs = (loop.memory_sequences(dev_convs, eou, base, "raw") if tag == "memory"
                else loop.utterance_sequences(dev_convs, eou, base, "raw"))
        ppl = quick_perplexity(model, seqs, device)
        log(f"[{tag}] epoch {epoch}: held-out sample perplexity {ppl:.3f} ({len(dev_convs)} conversations)")
        return {"epoch": epoch, "heldOutSamplePerplexity": round(ppl, 4)}

    for tag in (["memory", "nomemory"] if cfg.model == "both" else [cfg.model]):
        final = os.path.join(cfg.run_dir, f"{tag}.pt")
        ckpt = os.path.join(cfg.run_dir, f"{tag}.ckpt")
        if os.path.exists(final) and cfg.resume:
            log(f"[{tag}] already trained: {final}")
            continue
        if os.path.exists(ckpt) and not cfg.resume:
            raise SystemExit(f"{ckpt} exists: pass --resume to continue it, or use another --run-dir")
        torch.manual_seed(cfg.seed)
        model = new_model(cfg, len(vocab)).to(device)
        seqs = mem_seqs if tag == "memory" else loop.utterance_sequences(train, eou, base)
        trainer = loop.Trainer(model, seqs, cfg, tag, ckpt, device, epoch_end)
        if cfg.resume and os.path.exists(ckpt):
            trainer.load()
        log(f"[{tag}] {sum(p.numel() for p in model.parameters())} parameters, {len(seqs)} sequences, "
            f"{sum(len(s['x']) for s in seqs)} tokens an epoch, {trainer.total} optimizer steps in all")
        info = trainer.run()
        info["device"] = str(device)
        info["torch"] = torch.__version__
        torch.save({"model": {k: v.cpu() for k, v in model.state_dict().items()}, "info": info,
                    "config": loop.config_of(cfg), "vocab": vocab.itos}, final + ".tmp")
        os.replace(final + ".tmp", final)
        log(f"[{tag}] finished: {info}")


if __name__ == "__main__":
    main()
