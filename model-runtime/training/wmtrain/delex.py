"""Delexicalisation: every annotated value of a turn becomes a typed placeholder of one inventory.

SGD slot spans of either speaker (and action values found verbatim in the text) and MultiWOZ span_info are mapped
to one placeholder inventory shared by both datasets (PLACEHOLDERS, the tokenizer's PLACEHOLDER_TYPES); each
value's character span in the original text is kept as a tag for the fact tagger.
"""
import re

from wmtrain import tokenizer

# The placeholder inventory: one type per kind of value a reply may need from the memory or a backend's
# database. Fine enough that filling a placeholder with the latest value of its type is right (an address is not
# a city), coarse enough that both datasets share every type.
PLACEHOLDERS = tokenizer.PLACEHOLDER_TYPES  # name, title, person, place, address, postcode, date, time, people,
# count (rooms, nights, stars, stops, choices), number (ratings, temperatures, durations), price, price_range, phone,
# reference (a booking reference), id (a train or other service id), car, food (a cuisine), category (hotel type, genre).

SGD_SLOT_TYPES = {
    "restaurant_name": "name", "hotel_name": "name", "attraction_name": "name", "property_name": "name",
    "theater_name": "name", "dentist_name": "name", "doctor_name": "name", "stylist_name": "name",
    "venue": "name", "airlines": "name", "car_name": "car",
    "movie_name": "title", "title": "title", "song_name": "title", "album": "title", "event_name": "title",
    "artist": "person", "directed_by": "person", "recipient_account_name": "person",
    "city": "place", "area": "place", "location": "place", "destination": "place", "origin": "place",
    "from_location": "place", "to_location": "place", "pickup_location": "place", "pickup_city": "place",
    "event_location": "place", "city_of_event": "place", "where_to": "place", "destination_city": "place",
    "origin_city": "place", "destination_airport": "place", "origin_airport": "place", "from_station": "place",
    "to_station": "place", "destination_station_name": "place", "origin_station_name": "place",
    "address": "address", "street_address": "address", "venue_address": "address",
    "address_of_location": "address",
    "date": "date", "appointment_date": "date", "check_in_date": "date", "check_out_date": "date",
    "departure_date": "date", "dropoff_date": "date", "event_date": "date", "leaving_date": "date",
    "pickup_date": "date", "return_date": "date", "show_date": "date", "visit_date": "date",
    "time": "time", "appointment_time": "time", "available_end_time": "time", "available_start_time": "time",
    "departure_time": "time", "event_time": "time", "inbound_arrival_time": "time",
    "inbound_departure_time": "time", "leaving_time": "time", "outbound_arrival_time": "time",
    "outbound_departure_time": "time", "pickup_time": "time", "show_time": "time",
    "party_size": "people", "number_of_adults": "people", "number_of_seats": "people",
    "number_of_tickets": "people", "number_of_riders": "people", "group_size": "people", "passengers": "people",
    "travelers": "people",
    "number_of_rooms": "count", "number_of_beds": "count", "number_of_baths": "count", "number_of_days": "count",
    "number_stops": "count", "transfers": "count", "star_rating": "count",
    "rating": "number", "average_rating": "number", "humidity": "number", "temperature": "number",
    "wind": "number", "precipitation": "number", "wait_time": "number", "approximate_ride_duration": "number",
    "year": "number",
    "price": "price", "total_price": "price", "fare": "price", "ride_fare": "price", "rent": "price",
    "price_per_night": "price", "amount": "price", "balance": "price",
    "price_range": "price_range",
    "phone_number": "phone",
    "car_type": "car", "ride_type": "car",
    "cuisine": "food",
    "category": "category", "subcategory": "category", "genre": "category", "event_type": "category",
    "type": "category", "show_type": "category", "account_type": "category", "recipient_account_type": "category",
    "seating_class": "category", "fare_type": "category", "playback_device": "category",
}

MULTIWOZ_SLOT_TYPES = {
    "Name": "name", "Area": "place", "Dest": "place", "Depart": "place", "Addr": "address", "Post": "postcode",
    "Day": "date", "Leave": "time", "Arrive": "time", "Time": "time", "Open": "time", "People": "people",
    "Stay": "count", "Stars": "count", "Choice": "count", "Ticket": "price", "Fee": "price", "Ref": "reference",
    "Phone": "phone", "Id": "id", "Car": "car", "Food": "food", "Type": "category",
    # "Price" is a range ("cheap") or an amount ("12.50 pounds"): see multiwoz_type.
}


def multiwoz_type(slot, value):
    if slot == "Price":
        return "price" if any(c.isdigit() for c in value) else "price_range"
    return MULTIWOZ_SLOT_TYPES.get(slot)


def sgd_spans(line):
    """Typed character spans of an SGD turn's text: (start, end, type). The slot spans of every frame, and the
    values of its actions found verbatim in the text: SGD gives spans for non-categorical slots only, so "a table
    for 2" (party_size, categorical) has its value in an action but no span."""
    spans = []
    text = line["text"]
    lowered = text.lower()
    for frame in line.get("annotations", {}).get("frames", []):
        for slot in frame.get("slots", []):
            kind = SGD_SLOT_TYPES.get(slot.get("slot"))
            if kind is not None and 0 <= slot["start"] < slot["end"] <= len(text):
                spans.append((slot["start"], slot["end"], kind))
        for action in frame.get("actions", []):
            kind = SGD_SLOT_TYPES.get(action.get("slot"))
            for value in action.get("values", []) if kind is not None else []:
                at = find_word(lowered, value.lower())
                if at >= 0:
                    spans.append((at, at + len(value), kind))
    return spans


def multiwoz_spans(line):
    """Typed character spans of a MultiWOZ turn, on its natural text (textDetok) where each value is found there,
    else on its tokenised text; returns (text, spans, unplaced) with unplaced the values found in neither."""
    words = line["text"].split(" ")
    natural = line.get("textDetok") or line["text"]
    lowered = natural.lower()
    spans, unplaced = [], 0
    for act, slot, value, start, end in line.get("annotations", {}).get("span_info", []):
        kind = multiwoz_type(slot, value)
        if kind is None or not value or value.lower() in ("none", "?", "dontcare"):
            continue
        said = " ".join(words[start:end + 1]) if 0 <= start <= end < len(words) else value
        candidates = [said, value, re.sub(r" (?=[.,!?])", "", said)]
        placed = False
        for candidate in candidates:
            at = find_word(lowered, candidate.lower())
            if at >= 0:
                spans.append((at, at + len(candidate), kind))
                placed = True
                break
        unplaced += 0 if placed else 1
    return natural, spans, unplaced


def find_word(text, value, start=0):
    """The first index of value in text on word boundaries, or -1."""
    while value:
        at = text.find(value, start)
        if at < 0:
            return -1
        end = at + len(value)
        if (at == 0 or not text[at - 1].isalnum()) and (end == len(text) or not text[end].isalnum()):
            return at
        start = at + 1
    return -1


def resolve(spans, tie=2):
    """Spans sorted, overlaps dropped (the longer span wins; MultiWOZ names one value under several acts). One span
    given twice keeps the one whose field `tie` (the type by default) is first in order: sorting by position alone
    left the tie to the set's iteration order, which changes with Python's string hash seed, so two runs encoded
    different training data."""
    spans = sorted(set(spans), key=lambda s: (s[0], -(s[1] - s[0]), s[tie]))
    out = []
    for span in spans:
        if out and span[0] < out[-1][1]:
            continue
        out.append(span)
    return out


def delexicalise(text, spans):
    """The text with each span replaced by its placeholder, e.g. 'a table at [time]'."""
    out, last = [], 0
    for start, end, kind in resolve(spans):
        out.append(text[last:start])
        out.append("[" + kind + "]")
        last = end
    out.append(text[last:])
    return "".join(out)


def segments(text, spans):
    """The text cut at its resolved spans: [(piece, type or None)], in order."""
    out, last = [], 0
    for start, end, kind in resolve(spans):
        if start > last:
            out.append((text[last:start], None))
        out.append((text[start:end], kind))
        last = end
    if last < len(text):
        out.append((text[last:], None))
    return out

