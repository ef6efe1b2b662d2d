"""The held-out slice rule: Python (training) and Java (HeldOutSlice, `wmstream replay --slice held-out`) must pick
the same conversations, or the evaluation would score conversations the model trained on."""
import gzip
import json
import os
import shutil
import subprocess
import tempfile
import unittest

from tests import REPO, dataset_file
from wmtrain import slices

HELD_OUT_SLICE = os.path.join(REPO, "src", "main", "java", "io", "wmstream", "app", "evaluation", "HeldOutSlice.java")
PROBE = """package io.wmstream.app.evaluation;

public final class Probe {
    public static void main(String[] args) throws java.io.IOException {
        java.io.BufferedReader in = new java.io.BufferedReader(
                new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder();
        for (String id = in.readLine(); id != null; id = in.readLine()) {
            out.append(HeldOutSlice.bucket(id)).append(HeldOutSlice.isHeldOut(id) ? " held\\n" : " kept\\n");
        }
        System.out.print(out);
    }
}
"""
# Conversation ids of every shape the datasets use, and the buckets HeldOutSliceTest asserts for the first four.
FIXED_IDS = {"1_00000": 27, "1_00001": 10, "MUL0012": 98, "c-1": 3}
MORE_IDS = ["100_00012", "PMUL4462.json", "SNG0073.json", "MUL0012.json", "dlg-00000000-0000", "Straße-1", ""]


def conversation_ids(relative, limit):
    """Distinct conversation ids of a shared dataset file, in file order, at most limit; [] when it is not here."""
    path = dataset_file(relative)
    if path is None:
        return []
    ids, opener = [], gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            cid = json.loads(line)["conversationId"]
            if not ids or ids[-1] != cid:
                ids.append(cid)
            if len(ids) >= limit:
                break
    return list(dict.fromkeys(ids))


class HeldOutSliceTest(unittest.TestCase):

    def test_should_give_the_buckets_the_java_test_asserts(self):
        for cid, bucket in FIXED_IDS.items():
            with self.subTest(id=cid):
                self.assertEqual(slices.bucket(cid), bucket)
        self.assertTrue(slices.is_held_out("c-1"))
        self.assertFalse(slices.is_held_out("1_00001"))  # bucket 10: the first one kept

    def test_should_hold_out_about_one_conversation_in_ten(self):
        held = sum(slices.is_held_out(f"conversation-{i}") for i in range(10000))
        self.assertTrue(900 < held < 1100, held)

    @unittest.skipUnless(shutil.which("javac") and shutil.which("java"), "no javac/java: Java agreement not checked")
    def test_should_agree_with_the_java_held_out_slice_on_real_dialogue_ids(self):
        # Given real ids of SGD train and MultiWOZ (when ../shared/datasets is here) and ids of every shape
        ids = list(FIXED_IDS) + MORE_IDS + conversation_ids("sgd-train/utterances.jsonl.gz", 3000) \
            + conversation_ids("multiwoz21/utterances.jsonl", 3000)
        # When the Java HeldOutSlice, compiled from its source now, buckets each
        with tempfile.TemporaryDirectory() as tmp:
            package = os.path.join(tmp, "src", "io", "wmstream", "app", "evaluation")
            os.makedirs(package)
            with open(os.path.join(package, "Probe.java"), "w", encoding="utf-8") as f:
                f.write(PROBE)
            classes = os.path.join(tmp, "classes")
            subprocess.run(["javac", "-encoding", "UTF-8", "-d", classes, HELD_OUT_SLICE,
                            os.path.join(package, "Probe.java")], check=True)
            java = subprocess.run(["java", "-Dfile.encoding=UTF-8", "-cp", classes, "io.wmstream.app.evaluation.Probe"],
                                  input="\n".join(ids) + "\n", capture_output=True, check=True, encoding="utf-8")
        # Then Python buckets and holds out each id as Java does
        python = [f"{slices.bucket(cid)} {'held' if slices.is_held_out(cid) else 'kept'}" for cid in ids]
        self.assertEqual(java.stdout.splitlines(), python)
        self.assertIn("held", " ".join(python))


if __name__ == "__main__":
    unittest.main()
