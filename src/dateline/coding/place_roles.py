"""How each place named in a sentence stands to a trigger in the parse: where it happened,
what it is about, where the actor sits, or a modifier of another noun."""

from __future__ import annotations

from dateline.model import Place
from dateline.nlp import upos

# nouns whose place modifier says where they act ("the Nalanda police", "Gujarat
# government"): the event's place, not its topic
_SEATED = frozenset({"police", "cops", "force", "forces", "administration", "government",
                     "authorities", "army", "troops", "unit", "court", "municipality",
                     "corporation", "council", "assembly"})
_PLACE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "around", "across",
                          "opposite", "beside", "within"})
_WITNESS = frozenset({"witness", "see", "experience", "record", "report", "suffer"})
_TOPIC_PREPS = frozenset({"on", "about", "over", "against", "for", "regarding", "of", "to",
                          "concerning", "towards"})


def place_roles(doc, trigger, places: list[Place], material: bool,
                 nested_topic: bool | None = None,
                 own_object: bool = False) -> dict[tuple[int, int], str]:
    """How each place (sentence offsets) stands to the trigger in the parse:

    * "direct": in the trigger's object, for a material act or a visit ("shelled Aleppo",
      "the bombing of Baghdad");
    * "topic": in the object of words ("condemned the attack on a church in Islamabad",
      "welcomed talks in Geneva"): what they are about;
    * "setting": where the actor sits ("the Nalanda police arrested"), the place a
      relative clause hangs on ("Patan, where a truck was seized"), or what witnessed the
      event ("Baroda witnessed an attack");
    * "modifier": qualifying another noun ("the Ayodhya dispute", "the Gujarat carnage").

    ``own_object``: the trigger's object is the event itself ("signed an agreement", "held
    talks"), so a place hanging on it by a place preposition is the setting ("signed an
    agreement in Nairobi").
    """
    out: dict[tuple[int, int], str] = {}
    objects: set[int] = set()
    for c in trigger.children:
        if c.dep_ in ("dobj", "obj") or (
                c.dep_ == "prep" and c.lower_ == "of" and upos(trigger) == "NOUN") or (
                not material and c.dep_ == "prep" and c.lower_ in _TOPIC_PREPS):
            objects.update(t.i for t in c.subtree)
    clause_head = trigger.head if upos(trigger) == "NOUN" and upos(trigger.head) == "VERB" \
        else trigger
    while clause_head.dep_ in ("xcomp", "conj", "aux", "auxpass") and clause_head.head.i != clause_head.i:
        clause_head = clause_head.head
    relative_to = clause_head.head.i if clause_head.dep_ == "relcl" else None
    where = next((c for c in clause_head.children if c.lower_ == "where"), None)
    witness = trigger.head if trigger.dep_ in ("dobj", "obj") and \
        trigger.head.lemma_ in _WITNESS else None
    if where is not None:
        # "taken to Patan in Gujarat, where a truck was seized": the place the clause hangs
        # on (the finest of those just before "where")
        before = [p for p in places if p.end <= where.idx and where.idx - p.end <= 40]
        if before:
            relative_to = -1
            best = min(before, key=lambda p: (FEATURE_RANK.get(p.feature or "", 3), -p.end))
            out[(best.start, best.end)] = "setting"
    for p in places:
        span = doc.char_span(p.start, p.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        root, ids = span.root, span_ids(span)
        key = (p.start, p.end)
        if key in out:
            continue
        if relative_to is not None and relative_to in ids:
            out[key] = "setting"
        elif witness is not None and root.head.i == witness.i and root.dep_ in ("nsubj", "nsubjpass"):
            out[key] = "setting"
        elif root.i in objects:
            if material and not _object_place(root, trigger):
                out[key] = "modifier"  # "withdrew the charges against the suspects in the
                # Godhra carnage": a place of something the object tells of
            elif material:
                out[key] = "direct"
            elif _in_site(root, trigger):
                out[key] = "setting"  # "occupied the parliament building in Jakarta"
            elif (nested_topic is False and (_with_party(root, trigger) or (
                    own_object and _on_object(root, trigger)))) or _at_gathering(root):
                out[key] = "setting"  # "signed a deal with rebels in Juba", "a deal in Brussels"
            else:
                out[key] = "topic"
        elif root.dep_ in ("compound", "amod", "nmod", "poss") and root.head.i != trigger.i \
                and upos(root.head) in ("NOUN", "PROPN") and root.head.i not in ids \
                and root.head.lower_ in _SEATED:
            out[key] = "setting"
        elif _in_subject(root, clause_head):
            out[key] = "setting"  # "workers at the Ulsan plant went on strike"
        elif not material and _nested(root, trigger):
            # "abide by the order on the issue of the land in Ayodhya"; but a gathering's
            # place may hang on a party ("talks with rebels in Juba")
            out[key] = "setting" if (nested_topic is False and _with_party(root, trigger)) \
                or _at_gathering(root) else "topic"
        elif root.dep_ in ("compound", "amod", "nmod", "poss") and root.head.i != trigger.i \
                and upos(root.head) in ("NOUN", "PROPN") and root.head.i not in ids \
                and root.head.lower_ not in _PLACE_NOUNS | _SITES \
                and not (root.dep_ == "poss" and root.head.dep_ == "pobj"
                         and root.head.head.lower_ in _PLACE_PREPS):
            # ("prantij town" is the town, "Tokyo's Hibiya Park" in Tokyo; "in Santiago's
            # shantytowns" in Santiago)
            out[key] = "modifier"
    return out


FEATURE_RANK = {"city": 0, "admin1": 1, "country": 2}
_GATHERINGS = frozenset({"talks", "talk", "summit", "meeting", "conference", "negotiations",
                         "ceremony", "session", "gathering"})
# buildings and grounds a protest occupies, marches to or blocks: a place they are in is
# where it happened
_SITES = frozenset({"building", "buildings", "palace", "parliament", "embassy", "consulate",
                    "ministry", "office", "offices", "headquarters", "square", "park", "grounds",
                    "airport", "port", "harbour", "campus", "university", "stadium", "avenue",
                    "street", "streets", "road", "roads", "highway", "bridge", "station",
                    "plant", "factory", "mine", "base", "camp", "court", "assembly", "secretariat",
                    "collectorate", "residence", "house", "compound", "gate", "gates"})
_PLACE_NOUNS = frozenset({"town", "city", "village", "district", "area", "areas", "region",
                          "towns", "districts", "township", "townships", "suburbs",
                          "neighbourhoods", "neighborhoods", "camps", "quarter", "quarters",
                          "state", "province", "suburb", "neighbourhood", "neighborhood",
                          "locality", "tehsil", "taluka", "block", "division", "outskirts",
                          "station", "camp", "market", "plant", "factory", "mill", "mine",
                          "office", "offices", "headquarters", "embassy", "consulate",
                          "university", "campus", "college", "school", "hospital", "prison",
                          "jail", "mosque", "temple", "church", "airport", "port", "base",
                          "house", "home", "palace", "square", "street", "streets", "belt",
                          "zone", "compound", "refinery", "complex", "court", "assembly",
                          "valley", "hills", "border", "frontier", "sector", "enclave",
                          "colony", "ward", "slum", "villages",
                          "countryside", "coast", "island", "islands", "highway", "road"})


def _with_party(root, trigger) -> bool:
    """Whether a place hangs on a party named with "with" on the way up to the trigger."""
    for tok in root.ancestors:
        if tok.i == trigger.i:
            return False
        if tok.dep_ == "prep" and tok.lower_ == "with":
            return True
    return False


HOME_SECTORS = frozenset({"COP", "JUD"})  # act in their own country
PROTESTERS = frozenset({"CVL", "OPP", "LAB", "EDU", "REL"})  # protest in their own country


def home_country(event_type: str, named, actor, recipient) -> str | None:
    """The one country of actors that act at home (``named``: those whose own words name
    their country, "Kenyan police"): police and courts, or a country's people protesting;
    None when other actors or others' countries are involved."""
    if not named or len(named) != len(actor) or len({a.country for a in named}) != 1:
        return None
    sectors = {a.sector for a in named}
    if not (sectors <= HOME_SECTORS or (event_type == "PROTEST" and sectors <= PROTESTERS)):
        return None
    home = named[0].country
    if any(r.country and r.country != home for r in recipient):
        return None
    return home


def _nouns_to(root, trigger) -> list | None:
    """The nouns passed on the way up from ``root`` to ``trigger`` (``root`` itself left
    out), or None when the walk does not reach it within ten steps."""
    tok, nouns = root, []
    for _ in range(10):
        head = tok.head
        if head.i == trigger.i:
            return nouns
        if head.i == tok.i:
            return None
        if upos(head) in ("NOUN", "PROPN"):
            nouns.append(head)
        tok = head
    return None


def _object_place(root, trigger) -> bool:
    """Whether a place in a material act's object is where the act fell: the object itself
    ("shelled Aleppo"), or reached from it only through place nouns and prepositions
    ("positions near Homs", "the town of Kidal") -- not a place of another noun on the way
    ("the suspects in the Godhra carnage")."""
    nouns = _nouns_to(root, trigger)
    if nouns and root.dep_ == "poss" and nouns[0].i == root.head.i and nouns[0].dep_ == "pobj" \
            and nouns[0].head.lower_ in _PLACE_PREPS:
        nouns = nouns[1:]  # "in Santiago's shantytowns": in Santiago
    if nouns and root.dep_ == "pobj" and root.head.lower_ in _PLACE_PREPS \
            and root.head.head.i == nouns[0].i:
        nouns = nouns[1:]  # "arrested three suspects in Kabul": the place itself is named
    return nouns is not None and all(
        n.head.i == trigger.i or n.lower_ in _PLACE_NOUNS for n in nouns)


def _in_site(root, trigger) -> bool:
    """Whether a place is reached from the trigger's object only through a site noun
    ("occupied the parliament building in Jakarta", "marched towards the presidential palace
    in Khartoum"): where the act happened, not what it was about ("protested against the
    killings in Gujarat", "protested against Israel")."""
    nouns = _nouns_to(root, trigger)
    return bool(nouns) and all(n.lower_ in _SITES for n in nouns)


def _phrase_top(root, deps: frozenset[str]):
    """The token above ``root`` past the dependencies ``deps`` (the preposition a place's
    noun phrase hangs by, say)."""
    tok = root
    while tok.dep_ in deps and tok.head.i != tok.i:
        tok = tok.head
    return tok


_NOUN_LINKS = frozenset({"pobj", "conj", "appos", "compound"})


def _in_subject(root, clause_head) -> bool:
    """Whether a place hangs by "at"/"in" on the subject of the trigger's clause: where the
    actor is ("workers at Hyundai's Ulsan plant", "students in Dhaka")."""
    tok = _phrase_top(root, _NOUN_LINKS | {"poss"})
    if tok.dep_ != "prep" or tok.lower_ not in ("at", "in"):
        return False
    head = tok.head
    return head.dep_ in ("nsubj", "nsubjpass") and head.head.i == clause_head.i


def _at_gathering(root) -> bool:
    """Whether a place hangs by "in"/"at" on a gathering ("a plan presented at talks in
    Moscow", "agreed at a summit in Minsk"): where the words were spoken."""
    tok = _phrase_top(root, _NOUN_LINKS)
    return tok.dep_ == "prep" and tok.lower_ in ("in", "at") and tok.head.lower_ in _GATHERINGS \
        and tok.head.dep_ == "pobj" and tok.head.head.lower_ in ("at", "during", "after")


def _on_object(root, trigger) -> bool:
    """Whether a place hangs by a place preposition on the trigger's direct object ("signed
    an agreement in Nairobi")."""
    tok = _phrase_top(root, _NOUN_LINKS)
    return tok.dep_ == "prep" and tok.lower_ in _PLACE_PREPS and tok.head.dep_ in ("dobj", "obj") \
        and tok.head.head.i == trigger.i


def _nested(root, trigger) -> bool:
    """Whether a place hangs on a noun phrase (a participant's description) rather than
    on the trigger's clause: its preposition attaches to a noun that is not the trigger. A
    noun that is itself where something happened ("a sit-in outside the commission in
    Nairobi": the noun after a place preposition) passes the question up."""
    tok = root
    for _ in range(8):
        if tok.dep_ in ("pobj", "conj", "appos", "compound", "poss", "amod"):
            tok = tok.head
            continue
        if tok.dep_ == "prep":
            head = tok.head
            if upos(head) not in ("NOUN", "PROPN", "PRON") or head.i == trigger.i:
                return False
            if head.dep_ == "pobj" and head.head.lower_ in _PLACE_PREPS - {"in"}:
                tok = head
                continue
            return True
        return False
    return False


def span_ids(span) -> set[int]:
    return {t.i for t in span}
