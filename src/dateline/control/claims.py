"""Claims once read: the day a claim speaks of, one claim per article, the link to the
coder's mentions. Functions of ``ControlReader`` (extract.py); docs/control.md, "Dates" and
"One claim per article".
"""

from __future__ import annotations

from collections.abc import Sequence

from dateline.control.holders import holder_side
from dateline.control.model import ControlClaim
from dateline.model import Mention

VERB_TAGS = {"VB", "VBD", "VBG", "VBN", "VBP", "VBZ"}


def claim_date(coder, rules, ctx, sent, doc, tok):
    """The date expression a claim word governs (or its clause's verb, or the verb it is
    coordinated with), or the sentence's only day; None: the article's day."""
    if ctx.published is None:
        return None
    dates = coder.dates.find(sent.text, ctx.published)
    best, best_depth = None, 99
    anchor = tok if tok.tag_ in VERB_TAGS else _verb_above(tok)
    for d in dates:
        span = doc.char_span(d.start, d.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        root = span.root
        chain = [root, *root.ancestors]
        if tok in chain and not any(t.dep_ in ("relcl", "acl") and t.tag_ in VERB_TAGS
                                    for t in chain[:chain.index(tok)]):
            # (not through a clause describing a noun: "recaptured Bor from forces who had
            # seized the town last week")
            depth = chain.index(tok)
        elif anchor is not None and _verb_above(root) == anchor:
            depth = 50  # "seized Mosul, Iraq's second city, on Tuesday"
        else:
            continue
        if depth < best_depth:
            best, best_depth = d, depth
    if best is not None:
        return best
    # "Yesterday, troops retook X and were in control of Y": the coordinated head's date
    up = tok
    for _ in range(3):
        if up.dep_ not in ("conj", "xcomp", "advcl", "pcomp", "pobj", "prep", "acl") \
                or up.head == up:
            break
        up = up.head
        for d in dates:
            span = doc.char_span(d.start, d.end, alignment_mode="expand")
            if span is not None and len(span) and span.root.head == up \
                    and span.root.dep_ in ("npadvmod", "prep", "pobj", "tmod", "advmod"):
                return d
            if span is not None and len(span) and span.root.head.head == up \
                    and span.root.head.dep_ == "prep":
                return d
    # one date in the sentence, hung on a verb the parse put elsewhere ("seized key
    # ground in its battle to retake Aleppo yesterday, capturing ..."): it dates the claim
    if len(dates) == 1 and dates[0].precision == "day" and tok.tag_ in VERB_TAGS \
            and not any(t.dep_ == "relcl" for t in [tok, *tok.ancestors]) \
            and not set(rules.lemmas(tok.lower_)) & {"hold", "control"}:
        return dates[0]
    return None


def _one_per_article(claims: list[ControlClaim]) -> list[ControlClaim]:
    """A headline and the body report the same capture: one claim per (kind, area, side)
    and article; an explicit day beats the publication day, the body the headline."""
    best: dict[tuple, ControlClaim] = {}
    order: list[tuple] = []
    # a headline sums up the body: with a body claim of the same kind and area, its own
    # (often generic: "Fighters hold Palmyra") holder adds nothing
    in_body = {(c.kind, c.place.key) for c in claims if c.sentence_index >= 0}
    claims = [c for c in claims if c.sentence_index >= 0 or (c.kind, c.place.key) not in in_body]
    for c in claims:
        key = (c.kind, c.place.key, holder_side(c.holder))
        old = best.get(key)
        if old is None:
            best[key] = c
            order.append(key)
        elif _rank(c) > _rank(old):
            c.mention_ids = list(dict.fromkeys(c.mention_ids + old.mention_ids))
            best[key] = c
    return [best[k] for k in order]


def _rank(c: ControlClaim) -> tuple:
    return (c.date_precision == "day", c.sentence_index >= 0, c.confidence)


def _link(claim: ControlClaim, mentions: Sequence[Mention]) -> None:
    same = [m for m in mentions if m.sentence_index == claim.sentence_index]
    hit = [m for m in same if m.trigger_start is not None and m.trigger_start < claim.trigger_end
           and claim.trigger_start < (m.trigger_end or m.trigger_start)]
    chosen = hit or [m for m in same if m.event_type in ("ASSAULT", "RETREAT", "COERCE")]
    claim.mention_ids = [m.id for m in chosen if m.id]
    claim.event_ids = list(dict.fromkeys(m.event_id for m in chosen if m.event_id))


def _verb_above(tok):
    for anc in tok.ancestors:
        if anc.tag_ in VERB_TAGS:
            return anc
    return None
