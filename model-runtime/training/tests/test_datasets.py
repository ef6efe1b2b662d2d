"""Loading the dialogue datasets into conversations of typed spans, and encoding a turn as the model sees it."""
import gzip
import json
import os
import re
import tempfile
import unittest

from tests import dataset_file
from wmtrain import datasets, slices, tokenizer


def write_lines(path, lines):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8") as f:
        for line in lines:
            f.write(json.dumps(line) + "\n")


class LoadTest(unittest.TestCase):
    """Small files in the shared datasets' formats (../shared/datasets/README.md), in our own words."""

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        frames = lambda slots: {"frames": [{"service": "Hotels_1", "slots": slots, "actions": []}]}  # noqa: E731
        write_lines(os.path.join(self.dir.name, "sgd-train", "utterances.jsonl.gz"), [
            {"conversationId": "7_00001", "turn": 1, "speaker": "system", "text": "Sure, which city?",
             "annotations": frames([])},
            {"conversationId": "7_00001", "turn": 0, "speaker": "user", "text": "Find me a hotel in Oslo.",
             "annotations": frames([{"slot": "location", "start": 19, "end": 23}])},
            {"conversationId": "7_00000", "turn": 0, "speaker": "user", "text": "Hello.", "annotations": frames([])},
        ])
        write_lines(os.path.join(self.dir.name, "multiwoz21", "utterances.jsonl"), [
            {"conversationId": "MUL9001.json", "turn": 0, "speaker": "user", "split": "val",
             "text": "a train to ely please .", "textDetok": "a train to ely please.",
             "annotations": {"span_info": [["Train-Inform", "Dest", "ely", 3, 3]]}},
            {"conversationId": "MUL9002.json", "turn": 0, "speaker": "user", "split": "test",
             "text": "hello .", "textDetok": "hello.", "annotations": {"span_info": []}},
        ])

    def test_should_order_sgd_turns_by_turn_number_and_keep_their_spans(self):
        # When SGD is loaded
        convs, stats = datasets.load(self.dir.name, "sgd")
        # Then conversations are sorted by id, turns by number, and the location is a typed span
        self.assertEqual(list(convs), ["7_00000", "7_00001"])
        self.assertEqual(convs["7_00001"], [("user", "Find me a hotel in Oslo.", [(19, 23, "place")]),
                                            ("system", "Sure, which city?", [])])
        self.assertEqual(stats["spans"], 1)

    def test_should_read_only_the_val_split_for_multiwoz_and_only_test_for_multiwoz_test(self):
        val, _ = datasets.load(self.dir.name, "multiwoz")
        test, _ = datasets.load(self.dir.name, "multiwoz-test")
        self.assertEqual(val, {"MUL9001.json": [("user", "a train to ely please.", [(11, 14, "place")])]})
        self.assertEqual(list(test), ["MUL9002.json"])

    def test_should_refuse_an_unknown_dataset(self):
        with self.assertRaises(ValueError):
            datasets.load(self.dir.name, "sgd-test")


class EncodeTurnTest(unittest.TestCase):

    def test_should_tag_said_value_tokens_and_put_one_placeholder_in_the_delexicalised_ids(self):
        # Given a vocabulary and a turn whose value "19:30" is said as three tokens
        vocab = tokenizer.Vocab(tokenizer.SPECIALS + tokenizer.PLACEHOLDERS + ["at", "19", ":", "30", "ok"])
        text, spans = "ok at 19:30", [(6, 11, "time")]
        # When the turn is encoded
        raw, tags, starts, delexed = datasets.encode_turn(vocab, text, spans)
        # Then the raw ids are the words as said, tagged [time] where the value is, starting at its first token
        ids = vocab.stoi
        time_tag = datasets.TAG_IDS["time"]
        self.assertEqual(raw, [ids["ok"], ids["at"], ids["19"], ids[":"], ids["30"]])
        self.assertEqual(tags, [0, 0, time_tag, time_tag, time_tag])
        self.assertEqual(starts, [False, False, True, False, False])
        self.assertEqual(delexed, [ids["ok"], ids["at"], ids["[time]"]])

    def test_should_count_the_tokens_of_values_and_of_the_words_around_them(self):
        counts = datasets.token_counts([{"c": [("user", "ok at 19:30", [(6, 11, "time")])]}])
        self.assertEqual(counts, {"ok": 1, "at": 1, "19": 1, ":": 1, "30": 1})


@unittest.skipUnless(dataset_file("multiwoz21/utterances.jsonl"), "no ../shared/datasets/multiwoz21 on this machine")
class SharedMultiwozTest(unittest.TestCase):
    """The real MultiWOZ 2.1 copy: what the training code reads from it."""

    @classmethod
    def setUpClass(cls):
        data_dir = os.path.dirname(os.path.dirname(dataset_file("multiwoz21/utterances.jsonl")))
        cls.val, cls.val_stats = datasets.load(data_dir, "multiwoz")
        cls.test, _ = datasets.load(data_dir, "multiwoz-test")

    def test_should_load_the_val_and_test_dialogues_the_readme_counts(self):
        # ../shared/datasets/README.md: 1,999 dialogues in the val and test splits together
        self.assertEqual(len(self.val) + len(self.test), 1999)
        self.assertFalse(set(self.val) & set(self.test))

    def test_should_put_every_span_inside_its_text_and_type_it_from_the_inventory(self):
        spans = 0
        for turns in self.val.values():
            for speaker, text, turn_spans in turns:
                self.assertIn(speaker, ("user", "system"))
                last = 0
                for start, end, kind in turn_spans:
                    self.assertTrue(last <= start < end <= len(text), (text, turn_spans))
                    self.assertIn(kind, tokenizer.PLACEHOLDER_TYPES)
                    last = end
                    spans += 1
        self.assertEqual(spans, self.val_stats["spans"])
        # most annotated values are found in the natural text
        self.assertLess(self.val_stats["unplaced"], 0.05 * spans)

    def test_should_hold_out_about_a_tenth_of_val(self):
        held = sum(1 for cid in self.val if slices.is_held_out(cid))
        self.assertTrue(0.07 * len(self.val) < held < 0.13 * len(self.val), held)


@unittest.skipUnless(dataset_file("sgd-train/utterances.jsonl.gz"), "no ../shared/datasets/sgd-train on this machine")
class SharedSgdTest(unittest.TestCase):
    """The real SGD train split (dev and test are never read)."""

    def test_should_load_the_train_dialogues_the_readme_counts_with_their_turns_in_order(self):
        data_dir = os.path.dirname(os.path.dirname(dataset_file("sgd-train/utterances.jsonl.gz")))
        convs, stats = datasets.load(data_dir, "sgd")
        # ../shared/datasets/README.md: 12,174 dialogues, 223,756 utterances
        self.assertEqual(len(convs), 12174)
        self.assertEqual(sum(len(turns) for turns in convs.values()), 223756)
        self.assertTrue(all(re.fullmatch(r"\d+_\d{5}", cid) for cid in convs))
        self.assertTrue(all(turns[0][0] == "user" for turns in convs.values()))
        self.assertGreater(stats["spans"], 100000)


if __name__ == "__main__":
    unittest.main()
