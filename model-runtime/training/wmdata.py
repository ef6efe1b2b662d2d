"""Training data of model 2.0: SGD train and MultiWOZ val, their held-out slices, and delexicalisation.

* Held-out slice: a conversation is held out when the first four bytes of the SHA-256 of its id (UTF-8), read as
  an unsigned big-endian integer, are below 10 modulo 100: the same rule as the Java HeldOutSlice that
  `wmstream replay --slice held-out` applies, so the figures of EVALUATION.md are on data the model never saw.
* Delexicalisation: every annotated value of a turn (SGD slot spans of either speaker; MultiWOZ span_info) is
  replaced by a typed placeholder of one inventory shared by both datasets (PLACEHOLDERS below), and its
  character span in the original text is kept as a tag for the fact tagger.

Usage, to look at what it does:

    /usr/bin/python3 wmdata.py --data-dir ../../../shared/datasets --stats
    /usr/bin/python3 wmdata.py --data-dir ../../../shared/datasets --show 8 --dataset sgd
"""
import argparse
import gzip
import hashlib
import json
import os
import re
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wmtok2  # noqa: E402

HELD_OUT_PERCENT = 10

# The placeholder inventory: one type per kind of value a reply may need from the memory or a backend's
# database. Fine enough that filling a placeholder with the latest value of its type is right (an address is not
# a city), coarse enough that both datasets share every type.
PLACEHOLDERS = wmtok2.PLACEHOLDER_TYPES  # name, title, person, place, address, postcode, date, time, people,
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


def is_held_out(conversation_id):
    digest = hashlib.sha256(conversation_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % 100 < HELD_OUT_PERCENT


def multiwoz_type(slot, value):
    if slot == "Price":
        return "price" if any(c.isdigit() for c in value) else "price_range"
    return MULTIWOZ_SLOT_TYPES.get(slot)


def read_lines(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                yield json.loads(line)


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


def resolve(spans):
    """Spans sorted, overlaps dropped (the longer span wins; MultiWOZ names one value under several acts)."""
    spans = sorted(set(spans), key=lambda s: (s[0], -(s[1] - s[0])))
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


def load(data_dir, dataset):
    """Conversations of one dataset: {id: [(speaker, text, spans)]} in turn order. sgd: sgd-train; multiwoz: the
    val split of multiwoz21; multiwoz-test: its test split, the final held-out evaluation (never trained on)."""
    convs, stats = {}, Counter()
    if dataset == "sgd":
        for line in read_lines(os.path.join(data_dir, "sgd-train", "utterances.jsonl.gz")):
            spans = resolve(sgd_spans(line))
            stats["spans"] += len(spans)
            convs.setdefault(line["conversationId"], []).append((line["turn"], line["speaker"], line["text"], spans))
    elif dataset in ("multiwoz", "multiwoz-test"):
        wanted = "val" if dataset == "multiwoz" else "test"
        for line in read_lines(os.path.join(data_dir, "multiwoz21", "utterances.jsonl")):
            if line.get("split") != wanted:
                continue
            text, spans, unplaced = multiwoz_spans(line)
            spans = resolve(spans)
            stats["spans"] += len(spans)
            stats["unplaced"] += unplaced
            convs.setdefault(line["conversationId"], []).append((line["turn"], line["speaker"], text, spans))
    else:
        raise ValueError("unknown dataset " + dataset)
    ordered = {cid: [(s, t, sp) for _, s, t, sp in sorted(turns, key=lambda x: x[0])]
               for cid, turns in sorted(convs.items())}
    return ordered, stats


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


TAG_IDS = {t: i + 1 for i, t in enumerate(PLACEHOLDERS)}  # tag 0: no placeholder type


def encode_turn(vocab, text, spans):
    """One turn's text as the model sees it and as it should say it.

    Returns (raw, tags, starts, delex): raw token ids (values as said), the tag of each raw token (0 or 1 + the
    index of its placeholder type), whether each raw token starts a value, and the delexicalised token ids (each
    value one placeholder). Each piece is tokenised on its own, so a value's tokens never merge with their
    neighbours'."""
    raw, tags, starts, delex = [], [], [], []
    for piece, kind in segments(text, spans):
        ids = vocab.encode_text(piece)
        if not ids:
            continue
        raw += ids
        if kind is None:
            tags += [0] * len(ids)
            starts += [False] * len(ids)
            delex += ids
        else:
            tags += [TAG_IDS[kind]] * len(ids)
            starts += [True] + [False] * (len(ids) - 1)
            delex.append(vocab.stoi["[" + kind + "]"])
    return raw, tags, starts, delex


def token_counts(convs_by_dataset):
    """Token counts of the raw and the delexicalised training text, for the vocabulary."""
    counter = Counter()
    for convs in convs_by_dataset:
        for turns in convs.values():
            for _, text, spans in turns:
                for piece, kind in segments(text, spans):
                    counter.update(wmtok2.split(piece))
    return counter


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", default="../shared/datasets")
    p.add_argument("--dataset", choices=["sgd", "multiwoz", "both"], default="both")
    p.add_argument("--stats", action="store_true", help="conversations, slices, spans and types")
    p.add_argument("--show", type=int, default=0, help="print N delexicalised turns of the training slice")
    a = p.parse_args(argv)
    for name in (["sgd", "multiwoz"] if a.dataset == "both" else [a.dataset]):
        convs, stats = load(a.data_dir, name)
        held = [cid for cid in convs if is_held_out(cid)]
        if a.stats:
            types = Counter(kind for turns in convs.values() for _, _, spans in turns for _, _, kind in spans)
            turns = sum(len(t) for t in convs.values())
            print(f"{name}: {len(convs)} conversations ({len(held)} held out), {turns} turns, "
                  f"{stats['spans']} typed spans" + (f", {stats['unplaced']} values not found in the text"
                                                      if "unplaced" in stats else ""))
            print("  types: " + ", ".join(f"{k} {v}" for k, v in types.most_common()))
        shown = 0
        for cid, turns in convs.items():
            if shown >= a.show or is_held_out(cid):
                continue
            for speaker, text, spans in turns:
                if spans and shown < a.show:
                    print(f"{cid} {speaker}: {delexicalise(text, spans)}")
                    shown += 1


if __name__ == "__main__":
    main(sys.argv[1:])
