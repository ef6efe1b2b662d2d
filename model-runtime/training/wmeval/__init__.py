"""Evaluation scripts apart from training: they score what a wmstream replay wrote against the datasets.

    facts   fact F1 of a replay's final summaries against each conversation's final dialogue state
            (PYTHONPATH=model-runtime/training /usr/bin/python3 -m wmeval.facts LOG REPLAY-OUT [--split test])

They use the training package's data side (wmtrain.datasets, delex, slices) and no torch.
"""
