"""Delexicalisation: annotated values become typed placeholders, with their spans kept for the tagger."""
import os
import subprocess
import sys
import unittest

from tests import TRAINING
from wmtrain import delex


def sgd_line(text, slots=(), actions=()):
    return {"text": text, "annotations": {"frames": [{"service": "Restaurants_1", "slots": list(slots),
                                                      "actions": list(actions)}]}}


class DelexicaliseTest(unittest.TestCase):

    def test_should_replace_each_span_by_its_placeholder_when_spans_are_given_out_of_order(self):
        # Given a turn and the typed spans of its two values, the later one first
        text = "A table for 4 at 19:30, please."
        spans = [(17, 22, "time"), (12, 13, "people")]
        # When it is delexicalised / Then each value is its placeholder and the rest is unchanged
        self.assertEqual(delex.delexicalise(text, spans), "A table for [people] at [time], please.")

    def test_should_keep_the_longer_span_when_two_spans_overlap(self):
        # Given "Pizza Hut Cambridge" as a name and "Cambridge" inside it as a place (MultiWOZ names values twice)
        spans = [(0, 19, "name"), (10, 19, "place"), (0, 19, "name")]
        # When they are resolved / Then only the name remains, once
        self.assertEqual(delex.resolve(spans), [(0, 19, "name")])
        self.assertEqual(delex.delexicalise("Pizza Hut Cambridge is good", spans), "[name] is good")

    def test_should_type_a_span_typed_twice_alike_whatever_the_hash_seed(self):
        # Given one span typed as a place and as a category (MultiWOZ names "north" under Area and under Type), in
        # interpreters with different string hash seeds
        code = "from wmtrain import delex; print(delex.resolve([(0, 5, 'place'), (0, 5, 'category'), (6, 9, 'name')]))"
        results = set()
        for seed in range(6):
            env = dict(os.environ, PYTHONHASHSEED=str(seed))
            out = subprocess.run([sys.executable, "-c", code], cwd=TRAINING, env=env, capture_output=True,
                                 encoding="utf-8", check=True)
            results.add(out.stdout.strip())
        # When the spans are resolved / Then every seed keeps the same type: the first in alphabetical order
        self.assertEqual(results, {"[(0, 5, 'category'), (6, 9, 'name')]"})

    def test_should_cut_text_into_plain_and_typed_pieces(self):
        self.assertEqual(delex.segments("at 7 pm sharp", [(3, 7, "time")]),
                         [("at ", None), ("7 pm", "time"), (" sharp", None)])

    def test_should_find_a_value_only_on_word_boundaries(self):
        # "2" inside "12" is no value; the standalone "2" is
        self.assertEqual(delex.find_word("12 or 2 people", "2"), 6)
        self.assertEqual(delex.find_word("room 12", "2"), -1)
        self.assertEqual(delex.find_word("anything", ""), -1)


class SgdSpansTest(unittest.TestCase):

    def test_should_type_slot_spans_and_find_action_values_said_verbatim(self):
        # Given a system turn with a span for a restaurant name, an action value with no span (party_size is
        # categorical in SGD), a slot outside the inventory, and a span outside the text
        text = "Table for 2 at Mamma Mia booked."
        line = sgd_line(text, slots=[{"slot": "restaurant_name", "start": 15, "end": 24},
                                     {"slot": "has_live_music", "start": 0, "end": 5},
                                     {"slot": "city", "start": 30, "end": 99}],
                        actions=[{"act": "CONFIRM", "slot": "party_size", "values": ["2"]},
                                 {"act": "CONFIRM", "slot": "date", "values": ["tomorrow"]}])
        # When its spans are read
        spans = delex.resolve(delex.sgd_spans(line))
        # Then the name and the party size are typed, the rest ignored
        self.assertEqual(spans, [(10, 11, "people"), (15, 24, "name")])
        self.assertEqual(delex.delexicalise(text, spans), "Table for [people] at [name] booked.")


class MultiwozSpansTest(unittest.TestCase):

    def test_should_place_values_on_the_natural_text_and_count_values_it_lacks(self):
        # Given a tokenised MultiWOZ turn, its natural form, and span_info naming a time, a price range, an amount,
        # a "none" value and a value the text does not contain (its word indexes past the text's end)
        line = {"text": "i want a cheap taxi at 17:45 , it costs 12.50 pounds .",
                "textDetok": "i want a cheap taxi at 17:45, it costs 12.50 pounds.",
                "annotations": {"span_info": [["Taxi-Inform", "Leave", "17:45", 6, 6],
                                              ["Taxi-Inform", "Price", "cheap", 3, 3],
                                              ["Taxi-Inform", "Price", "12.50 pounds", 10, 11],
                                              ["Taxi-Inform", "Dest", "none", 0, 0],
                                              ["Taxi-Inform", "Depart", "ely", 40, 40]]}}
        # When its spans are read
        text, spans, unplaced = delex.multiwoz_spans(line)
        # Then they are on the natural text, typed by slot (Price by whether it has a digit); "ely" is not placed
        self.assertEqual(text, line["textDetok"])
        self.assertEqual(delex.delexicalise(text, spans), "i want a [price_range] taxi at [time], it costs [price].")
        self.assertEqual(unplaced, 1)


if __name__ == "__main__":
    unittest.main()
