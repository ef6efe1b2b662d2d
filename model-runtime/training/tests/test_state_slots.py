"""The state slot rule (the Java StateSlots applies the same tables) and the reading of tagged values."""
import json
import os
import unittest

from tests import BUNDLE
from wmtrain import state_slots, tokenizer


class SlotRuleTest(unittest.TestCase):

    def test_should_name_a_slot_by_domain_type_and_role_word(self):
        self.assertEqual(state_slots.slot_key("taxi", "place", "destination"), "taxi.place.to")
        self.assertEqual(state_slots.slot_key("flight", "place", "origin_city"), "flight.place.from")
        self.assertEqual(state_slots.slot_key("train", "time", "leaveAt"), "train.time.leave")
        self.assertEqual(state_slots.slot_key("hotel", "date", "check_out_date"), "hotel.date.return")
        self.assertEqual(state_slots.slot_key("restaurant", "time", "time"), "restaurant.time")

    def test_should_map_sgd_services_to_domains_and_unknown_ones_by_their_name(self):
        self.assertEqual(state_slots.domain_of_service("Restaurants_1"), "restaurant")
        self.assertEqual(state_slots.domain_of_service("RideSharing_2"), "taxi")
        self.assertEqual(state_slots.domain_of_service("Payments_1"), "payment")

    def test_should_carry_the_tables_the_shipped_bundle_gives_the_java_runtime(self):
        with open(os.path.join(BUNDLE, "manifest.json"), encoding="utf-8") as f:
            rule = json.load(f)["state"]["slotRule"]
        self.assertEqual(rule["domains"], state_slots.DOMAINS)
        self.assertEqual(rule["roleWords"], state_slots.ROLE_WORDS)


class TaggedValuesTest(unittest.TestCase):

    def test_should_read_each_run_of_one_tag_as_a_value_ending_at_its_last_token(self):
        # Given "<user> at 19 : 30 on sunday <eou>" tagged time, time, time and date (positions count the role)
        toks = tokenizer.split("at 19:30 on Sunday")
        time_tag = 1 + tokenizer.PLACEHOLDER_TYPES.index("time")
        date_tag = 1 + tokenizer.PLACEHOLDER_TYPES.index("date")
        tags = [0, 0, time_tag, time_tag, time_tag, 0, date_tag, 0]
        # When the tagged values are read / Then each is typed, detokenised and placed at its last token
        self.assertEqual(state_slots.tagged_values(tags, toks), [("time", "19:30", 4), ("date", "sunday", 6)])

    def test_should_pick_the_highest_slot_of_the_value_type(self):
        types = ["place", "time", "time"]
        self.assertEqual(state_slots.best_slot([9.0, 1.0, 2.0], types, "time"), 2)
        self.assertIsNone(state_slots.best_slot([9.0, 1.0, 2.0], types, "date"))


if __name__ == "__main__":
    unittest.main()
