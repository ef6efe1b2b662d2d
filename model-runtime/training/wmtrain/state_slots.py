"""The dialogue-state slot inventory of model 3.0 and the labels it is trained on, from SGD and MultiWOZ.

A state slot is `domain.type` or `domain.type.role`: the domain of the service the value is for (restaurant, hotel,
train, taxi, flight, ...), the value's placeholder type (delex.PLACEHOLDERS) and, where one domain holds two values
of one type, a role (a place a trip leaves `from` or goes `to`; a time to `leave` or `arrive`; a `return` date; a
hotel's `stars` and its `stay`). So a taxi's departure and destination, a restaurant's time and a taxi's time, and a
hotel's area and a restaurant's area are different slots.

Both datasets map to it by one rule (`slot_key`): the domain from the MultiWOZ domain or the SGD service's name
(DOMAINS; an unknown service's name lowercased, without its number and plural "s"), the type from the slot's
placeholder type (delex), the role from words in the slot's name (ROLE_WORDS). The Java evaluation applies the same
rule (the bundle's manifest carries DOMAINS and ROLE_WORDS), so an SGD service outside the training data gets slots
by the same rule; the model can only predict the slots of its inventory, so a service of an unseen domain scores its
values as missed.

Labels of one conversation (`conversation_labels`): for each value span of a turn, its slot; for a user turn's
values, whether the value is in the state after the turn; for the values the system offered in the turn before a
user turn, whether the user's turn put them in the state (accepted); for the slots held before a user turn, whether
the turn dropped them; and the attribute types the user asked for (requests).
"""
import hashlib
import json
import os
import re

from wmtrain import datasets, delex, tokenizer, tokenizer_v1

# SGD services (the part before "_N") to domains; MultiWOZ's domains are used as they are.
DOMAINS = {
    "restaurants": "restaurant", "hotels": "hotel", "travel": "attraction", "ridesharing": "taxi", "buses": "bus",
    "flights": "flight", "rentalcars": "car_rental", "movies": "movie", "music": "music", "events": "event",
    "homes": "home", "services": "service", "media": "media", "weather": "weather", "banks": "bank",
    "calendar": "calendar", "trains": "train",
}
# Per type, the roles a slot name gives, first match wins: a role applies when one of its words occurs in the
# lowercased slot name ("origin_city" -> from, "leaveAt" -> leave, "check_out_date" -> return).
ROLE_WORDS = {
    "place": [["from", ["origin", "from", "depart", "pickup"]], ["to", ["dest", "to_", "where_to", "dropoff"]]],
    "time": [["arrive", ["arriv", "end"]], ["leave", ["leav", "depart", "pickup", "start"]]],
    "date": [["return", ["return", "check_out", "dropoff", "inbound"]]],
    "count": [["stars", ["star"]], ["stay", ["stay", "night", "days"]]],
}
# MultiWOZ 2.1 belief-state slots to types (yes/no slots such as parking have no value said in the text).
MULTIWOZ_STATE_TYPES = {
    "area": "place", "destination": "place", "departure": "place", "leaveAt": "time", "arriveBy": "time",
    "book_time": "time", "book_people": "people", "book_day": "date", "day": "date", "book_stay": "count",
    "stars": "count", "pricerange": "price_range", "food": "food", "type": "category", "name": "name",
}
BOOKABLE = ("hotel", "restaurant", "train", "taxi", "attraction")
NOT_VALUES = {"", "none", "not mentioned", "dontcare", "dont care", "don't care", "?"}
# Attribute types a user may ask for: the placeholder types (a reply gives one as its placeholder or value).
REQUEST_TYPES = list(delex.PLACEHOLDERS)
MULTIWOZ_REQUEST_TYPES = {
    "Addr": "address", "Post": "postcode", "Phone": "phone", "Ref": "reference", "Fee": "price", "Ticket": "price",
    "Id": "id", "Car": "car", "Leave": "time", "Arrive": "time", "Time": "time", "Area": "place", "Name": "name",
    "Type": "category", "Stars": "count", "Food": "food", "Day": "date", "People": "people", "Stay": "count",
    "Dest": "place", "Depart": "place", "Choice": "count",
}


def domain_of_service(service):
    """'Restaurants_1' -> 'restaurant'; an unknown service's name lowercased, its number and plural 's' dropped."""
    base = service.split("_")[0].lower()
    if base in DOMAINS:
        return DOMAINS[base]
    return base[:-1] if base.endswith("s") and len(base) > 3 else base


def role_of(kind, slot_name):
    name = slot_name.lower()
    for role, words in ROLE_WORDS.get(kind, []):
        if any(w in name for w in words):
            return role
    return ""


def slot_key(domain, kind, slot_name):
    role = role_of(kind, slot_name)
    return f"{domain}.{kind}" + (f".{role}" if role else "")


def key_type(key):
    return key.split(".")[1]


def norm(value):
    v = " ".join(str(value).lower().split())
    v = v[:-1] if v.endswith(".") else v
    return v[4:] if v.startswith("the ") else v


def multiwoz_request_type(domain, slot):
    if slot == "Price":
        return "price" if domain in ("train", "attraction") else "price_range"
    return MULTIWOZ_REQUEST_TYPES.get(slot)


def multiwoz_belief(belief):
    """{key: {values}} of a MultiWOZ belief state (the 'booked' results are not what the user asked for)."""
    out = {}
    for domain, slots in (belief or {}).items():
        if not isinstance(slots, dict):
            continue
        for slot, value in slots.items():
            kind = MULTIWOZ_STATE_TYPES.get(slot)
            if kind and isinstance(value, str) and norm(value) not in NOT_VALUES:
                out[slot_key(domain, kind, slot)] = {norm(value)}
    return out


def sgd_state(services):
    """{key: {values}} of SGD's per-service slot_values (each service's latest frame)."""
    out = {}
    for service, values in services.items():
        domain = domain_of_service(service)
        for slot, alternatives in values.items():
            kind = delex.SGD_SLOT_TYPES.get(slot)
            forms = {norm(a) for a in (alternatives if isinstance(alternatives, list) else [alternatives])}
            forms -= NOT_VALUES
            if kind and forms:
                out.setdefault(slot_key(domain, kind, slot), set()).update(forms)
    return out


def read_conversations(data_dir, dataset):
    """{id: [line]} in turn order: sgd (sgd-train), multiwoz (val), multiwoz-test."""
    convs = {}
    if dataset == "sgd":
        lines = datasets.read_lines(os.path.join(data_dir, "sgd-train", "utterances.jsonl.gz"))
    else:
        split = "val" if dataset == "multiwoz" else "test"
        lines = (x for x in datasets.read_lines(os.path.join(data_dir, "multiwoz21", "utterances.jsonl"))
                 if x.get("split") == split)
    for line in lines:
        convs.setdefault(line["conversationId"], []).append(line)
    return {c: sorted(t, key=lambda x: x["turn"]) for c, t in sorted(convs.items())}


def annotated_turns(lines, dataset):
    """Per turn: (speaker, text, spans [(start, end, type, key)], state after it or None, requests set or None).
    The state of a user turn is the dialogue state after it (SGD: its frames' slot_values over every service so far;
    MultiWOZ: the belief state of the system turn after it); system turns have None."""
    turns = []
    services = {}
    active = None
    for i, line in enumerate(lines):
        ann = line.get("annotations") or {}
        speaker = line["speaker"]
        if dataset == "sgd":
            text = line["text"]
            spans = []
            lowered = text.lower()
            for frame in ann.get("frames", []):
                domain = domain_of_service(frame.get("service", ""))
                for slot in frame.get("slots", []):
                    kind = delex.SGD_SLOT_TYPES.get(slot.get("slot"))
                    if kind and 0 <= slot["start"] < slot["end"] <= len(text):
                        spans.append((slot["start"], slot["end"], kind, slot_key(domain, kind, slot["slot"])))
                for action in frame.get("actions", []):
                    kind = delex.SGD_SLOT_TYPES.get(action.get("slot"))
                    for value in action.get("values", []) if kind else []:
                        at = delex.find_word(lowered, value.lower())
                        if at >= 0:
                            spans.append((at, at + len(value), kind, slot_key(domain, kind, action["slot"])))
            state, requests = None, None
            if speaker == "user":
                requests = set()
                for frame in ann.get("frames", []):
                    values = (frame.get("state") or {}).get("slot_values")
                    if isinstance(values, dict) and frame.get("service"):
                        services[frame["service"]] = values
                    for action in frame.get("actions", []):
                        kind = delex.SGD_SLOT_TYPES.get(action.get("slot"))
                        if action.get("act") == "REQUEST" and kind:
                            requests.add(kind)
                state = sgd_state(services)
        else:
            acts = ann.get("dialog_act") or {}
            for act in acts:
                d = act.split("-")[0].lower()
                if d in BOOKABLE:
                    active = d
            text, typed, _ = delex.multiwoz_spans(line)
            spans = []
            # span_info in the order multiwoz_spans placed them: recompute the key of each placed span
            words = line["text"].split(" ")
            lowered = text.lower()
            for act, slot, value, start, end in ann.get("span_info", []):
                kind = delex.multiwoz_type(slot, value)
                if kind is None or not value or value.lower() in ("none", "?", "dontcare"):
                    continue
                said = " ".join(words[start:end + 1]) if 0 <= start <= end < len(words) else value
                d = act.split("-")[0].lower()
                d = d if d in BOOKABLE else (active or d)
                for candidate in (said, value, re.sub(r" (?=[.,!?])", "", said)):
                    at = delex.find_word(lowered, candidate.lower())
                    if at >= 0:
                        spans.append((at, at + len(candidate), kind, slot_key(d, kind, slot)))
                        break
            state, requests = None, None
            if speaker == "user":
                requests = set()
                for act, pairs in acts.items():
                    if act.endswith("-Request"):
                        d = act.split("-")[0].lower()
                        for slot, _ in pairs:
                            kind = multiwoz_request_type(d, slot)
                            if kind:
                                requests.add(kind)
                nxt = lines[i + 1] if i + 1 < len(lines) else None
                belief = ((nxt or {}).get("annotations") or {}).get("belief_state")
                state = multiwoz_belief(belief) if isinstance(belief, dict) else None
        turns.append((speaker, text, resolve(spans), state, requests))
    return turns


def resolve(spans):
    """delex.resolve on spans that carry their key (start, end, type, key), ties broken by the key."""
    return delex.resolve(spans, tie=3)


def inventory(conversations, min_count=20):
    """The slots of the training data's states seen at least min_count times, sorted."""
    counts = {}
    for turns in conversations:
        for _, _, _, state, _ in turns:
            for key in state or {}:
                counts[key] = counts.get(key, 0) + 1
    return sorted(k for k, c in counts.items() if c >= min_count)


def conversation_labels(turns, slots):
    """Per turn (text spans and their labels): a dict with
    values: [(start, end, type, slot index or -1, enters 0/1 or -1 when unknown)],
    accept: {slot index: 0/1} for the values the system offered in the turn before (user turns),
    drop: {slot index: 0/1} for the slots held before (user turns),
    requests: set of REQUEST_TYPES indexes or None (system turns)."""
    index = {k: i for i, k in enumerate(slots)}
    out = []
    before = {}
    offers = {}
    for speaker, text, spans, state, requests in turns:
        label = {"values": [], "accept": {}, "drop": {}, "requests": None}
        if speaker == "user" and state is not None:
            for start, end, kind, key in spans:
                value = norm(text[start:end])
                held = [k for k, vs in state.items() if key_type(k) == kind and value in vs]
                target = key if key in held else (held[0] if held else key)
                label["values"].append((start, end, kind, index.get(target, -1), 1 if held else 0))
            # Every slot is labelled, 0 where nothing was offered: the gate then reads from the memory what the
            # system offered, and says nothing for the slots it did not.
            label["accept"] = {k: 0 for k in range(len(slots))}
            for slot, value in offers.items():
                if slot in index:
                    label["accept"][index[slot]] = 1 if value in state.get(slot, ()) else 0
            for slot in before:
                if slot in index:
                    label["drop"][index[slot]] = 0 if slot in state else 1
            label["requests"] = {REQUEST_TYPES.index(r) for r in requests or ()}
            before = state
            offers = {}
        else:
            for start, end, kind, key in spans:
                label["values"].append((start, end, kind, index.get(key, -1), -1))
            if speaker != "user":
                offers = {key: norm(text[start:end]) for start, end, kind, key in spans}
        out.append(label)
    return out


def final_state(turns):
    last = None
    for speaker, _, _, state, _ in turns:
        if speaker == "user" and state is not None:
            last = state
    return last or {}


def fingerprint(slots):
    return hashlib.sha256(json.dumps(slots).encode()).hexdigest()[:16]


def best_slot(logits, types, kind):
    """The index of the slot of type `kind` with the highest logit (ties to the lowest index), or None."""
    best, score = None, None
    for k, t in enumerate(types):
        if t == kind and (score is None or float(logits[k]) > score):
            best, score = k, float(logits[k])
    return best


def tagged_values(tags, toks):
    """(type, normalised text, last token position in the row) of each run of one tag; positions count the role."""
    out, t = [], 1
    classes = ["none"] + tokenizer.PLACEHOLDER_TYPES
    end = len(tags) - 1
    while t < end:
        tag = tags[t]
        if tag == 0:
            t += 1
            continue
        s = t
        while t < end and tags[t] == tag:
            t += 1
        run = toks[s - 1:t - 1]
        if any(any(c.isalnum() for c in w) for w in run):
            out.append((classes[tag], norm(tokenizer_v1.detokenize(run)), t - 1))
    return out
