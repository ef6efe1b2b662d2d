"""Training of wmstream's dialogue model (model 3.0: a GRU working memory with a fact tagger and dialogue-state
heads), run by ops/train-model. Run its modules from model-runtime/training (or with it on PYTHONPATH):
`python3 -m wmtrain.train --help`, `-m wmtrain.export`, `-m wmtrain.state`, `-m wmtrain.datasets --stats`.

Data side (standard library only; tests/ covers it):
    tokenizer     wm-word-v2, the tokenizer of models 2.x and 3.x (the Java WordTokenizer's twin)
    tokenizer_v1  wm-word-v1: normalisation, code point classes, roles, vocabulary and detokenising v2 builds on
    slices        the held-out slice rule (the Java HeldOutSlice's twin)
    delex         delexicalisation: annotated values to typed placeholders, with their spans
    datasets      SGD train and MultiWOZ read into conversations; turns encoded as the model sees them
    state_slots   the dialogue-state slot inventory, its labels and the reading of tagged values

Model side (torch, numpy, nltk, onnx):
    model         the networks: the GRU working memory with its heads, the state heads, the exported graphs
    loop          sequences, batches, truncated BPTT, checkpoints
    train         trains model 2.0 (memory model and its no-memory baseline)
    metrics       held-out perplexity, tagger F1 and BLEU-4, the figures the bundle records
    card          the 2.0 model card
    export        evaluates model 2.0 and writes its bundle (the base of 3.0)
    state         trains and evaluates the state heads on a 2.0 bundle, then exports 3.0 (export_state)

Nothing here imports the model side at package import, so the data side runs without torch.
"""
