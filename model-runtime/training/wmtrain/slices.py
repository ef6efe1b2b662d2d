"""The held-out slice of a dialogue dataset: the same rule as the Java HeldOutSlice (app/evaluation).

A conversation is held out when the first four bytes of the SHA-256 of its id (UTF-8), read as an unsigned
big-endian integer, are below 10 modulo 100. `wmstream replay --slice held-out` applies the Java twin, so the
evaluation figures are on conversations the model never trained on. tests/test_slices.py checks the two agree.
"""
import hashlib

HELD_OUT_PERCENT = 10


def bucket(conversation_id):
    """The conversation's bucket in [0, 100) (HeldOutSlice.bucket)."""
    digest = hashlib.sha256(conversation_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % 100


def is_held_out(conversation_id):
    return bucket(conversation_id) < HELD_OUT_PERCENT
