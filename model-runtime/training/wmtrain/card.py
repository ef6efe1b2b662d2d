"""MODEL_CARD.md of model 2.0: data and licences, placeholder inventory, training, every figure with its command,
examples and limitations. Figures come from wmtrain.export's evaluation (metrics.py); nothing here is typed in by hand except the
comparison with 1.0.0, whose figures are quoted from its own card (retired) and docs/evaluation.md."""
import json

from wmtrain import delex, slices, tokenizer

LICENCE_LINE = ("Schema-Guided Dialogue (train split): CC BY-SA 4.0; MultiWOZ 2.1 (val split, ConvLab-2 copy): CC BY 4.0 "
                "(upstream repository MIT). The bundle is a work adapted from CC BY-SA 4.0 material and is therefore "
                "offered under CC BY-SA 4.0 (attribution: Rastogi et al., Schema-Guided Dialogue; Eric et al., MultiWOZ 2.1).")

SETS = {"sgd-held-out": "SGD train, held-out slice", "multiwoz-val-held-out": "MultiWOZ val, held-out slice",
        "multiwoz-test": "MultiWOZ test"}

COMMAND_TRAIN = "ops/train-model"
COMMAND_EXPORT = ("PYTHONPATH=model-runtime/training /usr/bin/python3 -m wmtrain.export --data-dir ../shared/datasets "
                  "--run-dir model-runtime/training/runs/v3 --out model-runtime/training/runs/v3/base-bundle")


class ModelCard:
    def __init__(self, name, version, cfg, vocab, data, evaluation, info, nparams, classes, perf_note):
        self.name, self.version, self.cfg, self.vocab, self.data = name, version, cfg, vocab, data
        self.ev, self.info, self.nparams, self.classes, self.perf_note = evaluation, info, nparams, classes, perf_note

    def render(self):
        lines = []
        for section in (self.intro, self.data_section, self.inventory, self.architecture, self.training,
                        self.metrics, self.examples, self.limitations):
            lines += section()
            lines.append("")
        return "\n".join(lines)

    def intro(self):
        return [f"# Model card: {self.name} {self.version}", "",
                "A GRU language model over whole task-oriented dialogues with a fact tagger. Its hidden state after each "
                "utterance is the conversation's *working memory* in wmstream. Replies say typed placeholders "
                "(`[time]`, `[reference]`, `[name]`) where a value belongs, instead of inventing one; the tagger marks, "
                "for each token of an utterance, which placeholder type it is a value of, so a consumer can fill "
                "the placeholders from what the conversation said.", "",
                "Intended use: the working memory and reply/tagging model of wmstream's streaming topology, and a "
                "reproducible reference for the Java runtime (`golden.json`). Not a production assistant: it has no "
                "database, and its replies are template-like."]

    def data_section(self):
        out = ["## Data and licence", ""]
        for s in self.data["sources"]:
            out.append(f"- `{s['dataset']}` split `{s['split']}`: {s['conversations']} conversations trained on, "
                       f"{s['heldOutConversations']} held out (file sha256 `{s['sha256'][:16]}...`).")
        out += ["- Held-out slice: a conversation is held out when the first four bytes of SHA-256(conversation id, "
                f"UTF-8), read as an unsigned big-endian integer, modulo 100 are below {slices.HELD_OUT_PERCENT} (the same "
                "rule as `wmstream replay --slice held-out`). The slices were used for progress lines during training "
                "and for the figures below; MultiWOZ `test` is the final held-out evaluation. SGD's dev and test "
                "splits were not read.",
                f"- Licence: {LICENCE_LINE} CC BY-SA means: anyone may use, share and adapt the bundle, also "
                "commercially, if they credit the sources and distribute adaptations of it (a retrained or fine-tuned "
                "model, a bundle derived from this one) under the same licence. wmstream's code is not affected: it is "
                "not adapted from the data.",
                f"- Vocabulary: {len(self.vocab)} entries (5 special, {len(tokenizer.PLACEHOLDERS)} placeholders, then the most "
                f"frequent tokens seen at least {self.cfg.min_count} times; they cover "
                f"{self.data['counts']['coveredPercent']:.2f}% of the {self.data['counts']['distinctTokens']} distinct "
                "training tokens' occurrences). Quoted lines below are from the held-out data."]
        return out

    def inventory(self):
        out = ["## Placeholder inventory", "",
               "One inventory shared by both datasets; every annotated value (SGD slot spans of either speaker and "
               "action values found verbatim in the text; MultiWOZ `span_info`) becomes its type's placeholder in the "
               "training targets.", "", "| placeholder | SGD slots | MultiWOZ slots |", "|---|---|---|"]
        for t in tokenizer.PLACEHOLDER_TYPES:
            sgd = sorted(k for k, v in delex.SGD_SLOT_TYPES.items() if v == t)
            mw = sorted(k for k, v in delex.MULTIWOZ_SLOT_TYPES.items() if v == t)
            if t in ("price", "price_range"):
                mw.append("Price (" + ("with a digit" if t == "price" else "without a digit") + ")")
            out.append(f"| `[{t}]` | {', '.join(sgd) or '-'} | {', '.join(mw) or '-'} |")
        return out

    def architecture(self):
        c = self.cfg
        return ["## Architecture and graph", "",
                f"- Embedding {len(self.vocab)} x {c.hidden} -> GRU (1 layer, hidden {c.hidden}) -> Linear to "
                f"{len(self.vocab)} logits (tied to the embedding); tagger: Linear over the GRU outputs at t, t+1 and t+2 "
                f"of the same utterance to {len(self.classes)} classes; {self.nparams} parameters.",
                "- Step graph `model.onnx` (opset 17): inputs `tokens` int64 [B,T], `lengths` int64 [B], `state` float32 "
                "[1,B,H]; outputs `logits` [B,V] after each row's last real position, `state_out` [1,B,H], and `tags` "
                "[B,T,K] (tag logits per position; class = argmax). The runtime's encode graph keeps `state_out` and "
                "`tags` only, so encoding never pays for the vocabulary-sized output layer.",
                f"- Tokenizer `{tokenizer.SPEC_NAME}` (full rules in `tokenizer.json`): as wm-word-v1, plus placeholders as "
                "single tokens, numbers with inner '.' or ',' whole (`12.50`), letters and digits together whole "
                "(`eb05kfxv`, `tr1234`)."]

    def training(self):
        c, m, n = self.cfg, self.info["memory"], self.info["nomemory"]
        return ["## Training", "",
                "- Inputs are the words as said (as a replay feeds a log); targets are delexicalised: where a value "
                "starts the target is its placeholder, inside a value there is none. Half of the system turns (a hash "
                "of conversation id and turn decides, the same for both models) are fed delexicalised instead, as the "
                "model's own replies would be. Tagger targets: each said token's placeholder type or none; its loss is "
                f"weighted {c.tag_weight}.",
                f"- Memory model: whole conversations, truncated BPTT windows of {c.bptt} tokens with the state carried "
                f"(zero at each conversation's start), {c.batch} conversations per batch.",
                f"- No-memory baseline (same budget): same architecture, hyper-parameters, epochs and optimizer steps per "
                f"epoch, each utterance a separate sequence from a zero state ({c.utterance_batch} utterances per batch).",
                f"- Adam lr {c.lr}, warm-up then cosine to {c.min_lr_frac} x lr, clip {c.clip}, dropout {c.dropout}, "
                f"{c.epochs} epochs, seed {c.seed}.",
                f"- Memory model: {m['steps']} steps, {m['tokens']:,} tokens, {m['seconds'] / 60:.0f} min on {m['device']} "
                f"(torch {m['torch']}); baseline: {n['steps']} steps, {n['seconds'] / 60:.0f} min. The two ran side by "
                "side, one BLAS thread each, on the 2 cores.",
                f"- Rebuild: `{COMMAND_TRAIN}` (trains both, resumable with `--resume`, then evaluates and exports); "
                f"re-export only: `{COMMAND_EXPORT}`."]

    def metrics(self):
        out = ["## Metrics (held out)", "",
               f"All figures: `{COMMAND_EXPORT}` (evaluation in `wmtrain/metrics.py`; conversations fed as said).", "",
               "| set | conversations | perplexity, memory | memory reset | no-memory model | memory gain | tagger token F1 "
               "| BLEU-4 memory | BLEU-4 reset | BLEU gain |", "|---|---|---|---|---|---|---|---|---|---|"]
        for key, label in SETS.items():
            r = self.ev["sets"].get(key)
            if r is None:
                continue
            p, b = r["perplexity"], r["bleu4"]
            out.append(f"| {label} | {r['conversations']} | {p['withMemory']:.2f} | {p['memoryReset']:.2f} | "
                       f"{p['noMemoryModel']:.2f} | {p['memoryGainPercent']:.1f}% | {r['tagger']['tokenF1']:.3f} | "
                       f"{b['withMemory']:.2f} | {b['memoryReset']:.2f} | {b['memoryGain']:+.2f} |")
        out += ["",
                "- Perplexity: over the delexicalised targets of system turns (words, placeholders, `<eou>`; the "
                "`<system>` token is given). Memory gain = 1 - memory / no-memory model. *Memory reset*: the same "
                "model from a zero state before each utterance (a diagnostic).",
                "- Tagger: token-level micro F1 over tokens with a value type (gold or predicted), each conversation "
                "fed from the zero state; per type in `manifest.json` (`evaluation`).",
                "- BLEU-4: NLTK 3.8 `corpus_bleu` defaults, greedy replies (placeholders unfilled, at most 32 tokens) "
                "after every user turn that the log answers with a system turn, against that system turn "
                "delexicalised, tokens as the vocabulary spells them. *Reset*: the same model with its memory reset "
                "before the user turn.",
                "- 1.0.0 for comparison (its retired card, MultiWOZ test, not delexicalised, so not like for "
                "like): memory gain over its no-memory model 11%, BLEU-4 9.76 with memory against 7.45 with the memory "
                "reset (+2.3), 46.7% of replies with an invented value."]
        if self.perf_note:
            out += ["", f"Speed: {self.perf_note}"]
        return out

    def examples(self):
        out = ["## Examples (MultiWOZ test, greedy, placeholders unfilled)", ""]
        for e in self.ev["sets"].get("multiwoz-test", {}).get("examples", []):
            out.append(f"**{e['conversationId']}**, reply after turn {e['turn']}")
            out.append("")
            for t in e["earlier"]:
                out.append(f"- earlier: {json.dumps(t, ensure_ascii=False)}")
            out.append(f"- user: {json.dumps(e['user'], ensure_ascii=False)}")
            out.append(f"- reference (delexicalised): {json.dumps(e['reference'], ensure_ascii=False)}")
            out.append(f"- **with memory**: {json.dumps(e['withMemory'], ensure_ascii=False)}")
            out.append(f"- memory reset: {json.dumps(e['memoryReset'], ensure_ascii=False)}")
            out.append("")
        return out

    def limitations(self):
        return ["## Limitations", "",
                "- Placeholders are not filled by the model: a consumer fills them from tagged values of the "
                "conversation or from its own backend; `[reference]`, `[phone]` and similar need a backend.",
                "- English only; SGD's 16 domains and MultiWOZ's 5; other domains are mostly `<unk>` and untagged.",
                "- The tagger sees two tokens ahead within the utterance and everything before; a value split across "
                "a chunk boundary of a very long utterance loses its look-ahead.",
                "- Annotation gaps become training noise: SGD categorical values without a span are found by exact "
                "match only, and MultiWOZ values that are not in the text stay words.",
                "- Small model on two CPU cores for a few epochs: replies are generic and repetitive."]
