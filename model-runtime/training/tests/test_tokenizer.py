"""The Python tokenizer against the cases the Java WordTokenizer is tested with, and against the shipped bundle."""
import json
import os
import unittest
from collections import Counter

from tests import BUNDLE, SPLIT_CASES
from wmtrain import tokenizer, tokenizer_v1


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


class JavaSplitCasesTest(unittest.TestCase):
    """split-cases*.json are what WordTokenizerTest checks the Java scanners against: Python must split alike."""

    def test_should_split_every_v2_case_as_the_java_tokenizer_is_tested_to(self):
        # Given the wm-word-v2 cases of the Java tests
        cases = read_json(os.path.join(SPLIT_CASES, "split-cases-v2.json"))
        self.assertEqual(cases["spec"], tokenizer.SPEC_NAME)
        self.assertEqual(cases["placeholders"], tokenizer.PLACEHOLDERS)
        # When each text is split / Then the tokens are the Java test's
        for case in cases["cases"]:
            with self.subTest(text=case["text"]):
                self.assertEqual(tokenizer.split(case["text"]), case["tokens"])

    def test_should_split_every_v1_case_as_the_java_tokenizer_is_tested_to(self):
        cases = read_json(os.path.join(SPLIT_CASES, "split-cases.json"))
        self.assertEqual(cases["spec"], tokenizer_v1.SPEC_NAME)
        texts = [case for case in cases["cases"] if "text" in case]
        self.assertGreater(len(texts), 1000)
        for case in texts:
            with self.subTest(text=case["text"]):
                self.assertEqual(tokenizer_v1.split(case["text"]), case["tokens"])

    def test_should_map_each_speaker_label_of_the_java_cases_to_its_role(self):
        cases = read_json(os.path.join(SPLIT_CASES, "split-cases.json"))
        speakers = [case for case in cases["cases"] if "speaker" in case]
        self.assertTrue(speakers)
        for case in speakers:
            with self.subTest(speaker=case["speaker"]):
                self.assertEqual(tokenizer.role_of(case["speaker"]), case["role"])


class ShippedBundleTest(unittest.TestCase):
    """The bundle the jar ships was written by this code: its tokenizer.json and golden cases must still hold."""

    @classmethod
    def setUpClass(cls):
        cls.tokenizer_json = read_json(os.path.join(BUNDLE, "tokenizer.json"))
        cls.golden = read_json(os.path.join(BUNDLE, "golden.json"))
        cls.vocab = tokenizer.Vocab(cls.tokenizer_json["vocabulary"])

    def test_should_write_the_shipped_tokenizer_json_for_the_shipped_vocabulary(self):
        # Given the shipped vocabulary / When tokenizer.json is written for it / Then it is the shipped file's content
        written = tokenizer.tokenizer_json(self.vocab, self.tokenizer_json["minCount"])
        self.assertEqual(written, self.tokenizer_json)

    def test_should_give_the_golden_tokens_and_ids_of_each_golden_sentence(self):
        self.assertGreater(len(self.golden["tokenizer"]), 40)
        for case in self.golden["tokenizer"]:
            with self.subTest(text=case["text"]):
                self.assertEqual(tokenizer.split(case["text"]), case["tokens"])
                self.assertEqual(self.vocab.encode_text(case["text"]), case["ids"])

    def test_should_encode_each_golden_utterance_with_its_role_and_end_token(self):
        for case in self.golden["utterances"]:
            with self.subTest(text=case["text"]):
                self.assertEqual(self.vocab.encode_utterance(case["speaker"], case["text"]), case["ids"])

    def test_should_decode_golden_ids_to_the_golden_text(self):
        for case in self.golden["detokenize"]:
            with self.subTest(text=case["text"]):
                self.assertEqual(self.vocab.decode(case["ids"]), case["text"])


class VocabularyTest(unittest.TestCase):

    def test_should_order_specials_then_placeholders_then_by_count_and_code_point_when_built(self):
        # Given counts with a tie, a rare token, a special and a placeholder among them
        counts = Counter({"the": 9, "b": 4, "a": 4, "rare": 1, "<eou>": 50, "[time]": 7, "zebra": 2})
        # When a vocabulary with room for three words is built from tokens seen twice or more
        size = len(tokenizer.SPECIALS) + len(tokenizer.PLACEHOLDERS) + 3
        vocab = tokenizer.Vocab.build(counts, min_count=2, size=size)
        # Then the fixed ids come first, then "the", then the tie "a" before "b"; "zebra" does not fit, "rare" is rare
        fixed = tokenizer.SPECIALS + tokenizer.PLACEHOLDERS
        self.assertEqual(vocab.itos, fixed + ["the", "a", "b"])
        self.assertEqual(vocab.encode_text("The zebra at [time]"), [vocab.stoi["the"], 1, 1, vocab.stoi["[time]"]])

    def test_should_map_speaker_labels_to_roles_as_java_string_trim_and_ascii_lowercase_do(self):
        self.assertEqual(tokenizer.role_of(" \tAssistant\n"), "system")
        self.assertEqual(tokenizer.role_of("CUSTOMER"), "user")
        self.assertEqual(tokenizer.role_of("\u00a0bot"), "user")  # U+00A0 is not trimmed, so the label is unknown
        self.assertEqual(tokenizer.role_of("narrator"), tokenizer_v1.DEFAULT_ROLE)


if __name__ == "__main__":
    unittest.main()
