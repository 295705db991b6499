"""Claims checked against the rest of their sentence: police against criminals, reports the
sentence disputes, and holdings the sentence's own captures and losses supersede. Functions
of ``ControlReader`` (extract.py); docs/control.md, "What makes no claim".
"""

from __future__ import annotations

from dataclasses import replace

from dateline.control.holders import holder_side
from dateline.control.model import ControlClaim

SAYING = {"say", "said", "announce", "report", "claim", "tell", "told", "state", "confirm",
          "acknowledge", "admit", "declare", "insist", "allege"}
POLICE = ("COP", "POL")
VERB_TAGS = {"VB", "VBD", "VBG", "VBN", "VBP", "VBZ"}


def _lemmas(rules, tok) -> set[str]:
    return set(rules.lemmas(tok.lower_))


def _trigger(doc, sent, c: ControlClaim):
    start = c.trigger_start - sent.start
    return next((t for t in doc if t.idx == start), None)


def policing(rules, crime: set[str], doc, sent, found: list[ControlClaim]) -> list[ControlClaim]:
    """"Police retook the prison from rioting inmates", "soldiers and police surrounded the
    town ... searches for gang members": in a sentence naming criminals, the police's claims
    and those of the forces acting with them (the same word) are policing, no claim."""
    if not any(_lemmas(rules, t) & crime for t in doc):
        return found
    raids = {c.trigger_start for c in found if (c.holder.sector or "") in POLICE}
    return [c for c in found if (c.holder.sector or "") not in POLICE
            and c.trigger_start not in raids]


def _reporter(rules, tok):
    """The verb of saying a claim word is reported under ("said it had seized", "claimed to
    have captured"), or None."""
    for anc in tok.ancestors:
        if _lemmas(rules, anc) & SAYING and anc.tag_ in VERB_TAGS:
            return anc
    return None


def disputed(rules, words: dict[str, set[str]], doc, sent,
             found: list[ControlClaim]) -> list[ControlClaim]:
    """A reported claim the sentence disputes: "said its forces had retaken Hadrut, a claim
    that could not be verified" (a dispute word, or a verb of checking negated), "claimed
    ... but Ukraine said troops were still holding", "seized the airport, though the
    minister insisted the Americans had been driven out" (a contested report, flag contest,
    with a contrast word)."""
    lemmas = [(t, _lemmas(rules, t)) for t in doc]
    disputing = any(ls & words["dispute"] for _t, ls in lemmas) or any(
        ls & words["check"] and any(c.dep_ == "neg" for c in t.children) for t, ls in lemmas)
    contrast = any(ls & words["contrast"] for _t, ls in lemmas)
    if not disputing and not contrast:
        return found
    out, reported, dropped = [], [], False
    for c in found:
        tok = _trigger(doc, sent, c)
        reporter = _reporter(rules, tok) if tok is not None else None
        if reporter is not None and (disputing or _lemmas(rules, reporter) & words["contest"]):
            dropped = True
            continue
        out.append(c)
        if reporter is not None:
            reported.append(id(c))
    if dropped and contrast:
        # "The army claimed to have retaken X, but rebel leaders said their fighters still
        # held the town": the counter-claim is as contested as the claim
        out = [c for c in out if id(c) not in reported]
    return out


def superseded(found: list[ControlClaim]) -> list[ControlClaim]:
    """A holding the same sentence says ended or began: "abandoned their stronghold of
    Slaviansk" (a loss by the holder), "overran Siuna, holding it for hours" and "swept into
    Aleppo ..., the first time rebels have controlled it" (a capture by the holder says it).
    A holding dated after them is news of its own: "seized Mitu on Sunday ... and were still
    holding the town on Monday"."""
    moved: dict[tuple, str] = {}
    for c in found:
        if c.kind in ("capture", "loss"):
            key = (c.place.key, holder_side(c.holder))
            moved[key] = max(moved.get(key, ""), c.from_date or "")
    # "Kismayo, al-Shabaab's last stronghold, fell to Kenyan troops": the holding the
    # sentence names in passing ended with the other side's capture, a loss by the holder
    taken = [c for c in found if c.kind == "capture"]
    out = []
    for c in found:
        if c.kind == "hold":
            side = holder_side(c.holder)
            by = next((t for t in taken
                       if t.place.key == c.place.key and holder_side(t.holder) != side), None)
            if by is not None and (c.place.key, side) not in moved:
                moved[(c.place.key, side)] = by.from_date or ""
                c = replace(c, kind="loss", from_date=by.from_date,
                            date_precision=by.date_precision, date_text=by.date_text,
                            share=by.share)
        out.append(c)
    found = out
    return [c for c in found if not (c.kind == "hold" and (
        key := (c.place.key, holder_side(c.holder))) in moved and not (
        c.date_precision not in ("publication", "undated") and (c.from_date or "") > moved[key]))]


def contested_entries(rules, fighting: set[str], doc, entries: set,
                      found: list[ControlClaim]) -> list[ControlClaim]:
    """Entering a town is taking it ("entered Asmara after government troops abandoned the
    city"), unless the sentence says the fight for it goes on: a fighting word ("poured into
    Grozny ... were battling Russian troops"; not "without a fight") or a siege by the same
    side ("entered N'Djamena and besieged the presidential palace")."""
    if not entries:
        return found
    fought = any(_lemmas(rules, t) & fighting and t.head.lower_ != "without" and not any(
        c.lower_ == "no" for c in t.children) for t in doc)  # not "without a fight"
    besieging = {holder_side(c.holder) for c in found if c.kind == "siege"}
    return [c for c in found if c.id not in entries or not (
        fought or holder_side(c.holder) in besieging)]
