"""Tests of the parts of wmtrain that need no torch: data loading, delexicalisation, the tokenizer, the held-out
slice rule and the state slot rule. Standard library only (unittest), so any Python 3.8+ runs them:

    /usr/bin/python3 -m unittest discover -s model-runtime/training/tests -t model-runtime/training

Tests that read ../shared/datasets (or $WMSTREAM_DATASETS) skip, saying so, when it is not there; the Java
agreement test of the held-out slice skips without javac.
"""
import os

TRAINING = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(os.path.dirname(TRAINING))
DATASETS = os.environ.get("WMSTREAM_DATASETS") or os.path.join(os.path.dirname(REPO), "shared", "datasets")
BUNDLE = os.path.join(REPO, "model-runtime", "models", "wm-gru-dialogue-3")
SPLIT_CASES = os.path.join(REPO, "model-runtime", "src", "test", "resources", "io", "wmstream", "model", "tokenizer")


def dataset_file(relative):
    """The path of a shared dataset file, or None when the datasets are not on this machine."""
    path = os.path.join(DATASETS, relative)
    return path if os.path.isfile(path) else None
