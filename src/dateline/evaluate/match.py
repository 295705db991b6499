"""Comparing one predicted Mention with one GoldEvent, and pairing them up per item.

Pairing maximises the summed similarity (an exact assignment, Hungarian algorithm):
the same event type weighs most, then actor overlap, recipient overlap, polarity,
date and place. A pair of different types is allowed only when the actors overlap,
so the type confusion table shows real confusions, not arbitrary pairings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from dateline.evaluate.gold import GoldActor, GoldEvent, GoldPlace
from dateline.model import ActorRef, Mention, Place

_ARTICLE = re.compile(r"\b(?:the|al|el)[\s\-']+")
_NON_WORD = re.compile(r"[\W_]+")


def fold(text: str | None) -> str:
    """Case, diacritics, punctuation and leading articles (the, al-, el-) removed."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = _ARTICLE.sub(" ", text)
    return " ".join(_NON_WORD.sub(" ", text).split())


def _sector(ref: ActorRef) -> str | None:
    if ref.sector:
        return ref.sector.upper()
    code = (ref.code or "").upper()
    if code.startswith(("IGO", "NGO")):
        return code[:3]
    return code[3:6] if len(code) >= 6 else None


def _contains_words(whole: str, part: str) -> bool:
    return bool(part) and f" {part} " in f" {whole} "


def actor_matches(spec: GoldActor, ref: ActorRef) -> bool:
    """Every field the annotator gave agrees with the predicted actor."""
    if spec.country is not None and (ref.country or "").upper() not in spec.country:
        return False
    if spec.sector is not None and _sector(ref) not in spec.sector:
        return False
    if spec.code is not None and not (ref.code or "").upper().startswith(spec.code):
        return False
    if spec.names is not None:
        got = (fold(ref.name), fold(ref.text))
        if not any(_contains_words(g, fold(n)) for n in spec.names for g in got):
            return False
    return True


def _distinct(refs: Sequence[ActorRef]) -> list[ActorRef]:
    """Predicted actors as a set: the same (country, sector, code) counted once."""
    seen: set[tuple] = set()
    out = []
    for r in refs:
        key = (r.country, _sector(r), r.code) if (r.country or r.sector or r.code) else ("text", fold(r.text))
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def actors_match(specs: Sequence[GoldActor], refs: Sequence[ActorRef]) -> bool:
    """Set match: every gold actor is found among the predicted ones and every predicted
    actor is one of the gold ones (a gold actor without sector matches on country)."""
    refs = _distinct(refs)
    return (all(any(actor_matches(s, r) for r in refs) for s in specs)
            and all(any(actor_matches(s, r) for s in specs) for r in refs))


def actors_cover(specs: Sequence[GoldActor], refs: Sequence[ActorRef]) -> bool:
    """Every gold actor is among the predicted ones (extra predicted actors allowed)."""
    return all(any(actor_matches(s, r) for r in refs) for s in specs)


def actor_overlap(specs: Sequence[GoldActor] | None, refs: Sequence[ActorRef]) -> float:
    """Share of gold and predicted actors that find a partner: 1 all, 0 none; 0.5 when
    the gold does not care (``None``) or neither side has an actor."""
    refs = _distinct(refs)
    if specs is None:
        return 0.5
    if not specs and not refs:
        return 1.0
    hit_gold = sum(any(actor_matches(s, r) for r in refs) for s in specs)
    hit_pred = sum(any(actor_matches(s, r) for s in specs) for r in refs)
    return (hit_gold + hit_pred) / (len(specs) + len(refs))


def place_matches(spec: GoldPlace, place: Place | None) -> bool:
    """A gold name fold-equal to the place's name or text, or found in them as whole words
    ("Aleppo" in "east Aleppo"), with the same country when both are known; with only a
    country in the gold, the same country."""
    if place is None:
        return False
    if spec.country and place.country and place.country.upper() != spec.country:
        return False
    if spec.names:
        got = [g for g in (fold(place.name), fold(place.text)) if g]
        return any(_contains_words(g, fold(n)) for n in spec.names for g in got)
    return (place.country or "").upper() == spec.country


def attribution_matches(want: str, mention: Mention) -> bool:
    att = mention.attribution
    if att is None:
        return False
    want = fold(want)
    texts = [fold(att.text)]
    if att.actor is not None:
        texts += [fold(att.actor.text), fold(att.actor.name)]
    return any(t and (want in t or t in want) for t in texts)


def cameo_matches(want: str, got: str | None) -> bool:
    """The predicted code is the gold code or a more specific code under it."""
    return bool(got) and str(got).startswith(want)


def similarity(gold: GoldEvent, pred: Mention) -> float | None:
    """How alike a gold event and a predicted mention are; None if they may not pair."""
    same_type = gold.event_type == pred.event_type
    actors = actor_overlap(gold.actor, pred.actor)
    if (not same_type or gold.optional) and actors <= 0.0:
        return None  # an optional event also needs its actors to overlap
    if not same_type and gold.optional:
        return None
    score = 4.0 * same_type + 2.0 * actors + actor_overlap(gold.recipient, pred.recipient)
    score += 0.5 * (gold.negated == pred.negated) - 0.1 * gold.optional
    if gold.date is not None:
        score += 0.25 * (gold.date == pred.date)
    if gold.location is not None:
        score += 0.25 * place_matches(gold.location, pred.location)
    if gold.attribution is not None:
        score += 0.25 * attribution_matches(gold.attribution, pred)
    if gold.modality is not None:
        score += 0.1 * (gold.modality == pred.modality)
    return score


def forbidden_hit(spec: GoldEvent, pred: Mention) -> bool:
    """The mention is the excluded event: same type and polarity (and modality, when the
    exclusion names one), and every actor and recipient named in it is among the mention's."""
    if spec.event_type != pred.event_type or spec.negated != pred.negated:
        return False
    if spec.modality is not None and spec.modality != pred.modality:
        return False
    if spec.actor and not actors_cover(spec.actor, pred.actor):
        return False
    return not (spec.recipient and not actors_cover(spec.recipient, pred.recipient))


def is_duplicate(gold: GoldEvent, pred: Mention) -> bool:
    """A second mention of an already found gold event (same type, polarity and actors)."""
    if gold.event_type != pred.event_type or gold.negated != pred.negated:
        return False
    return gold.actor is None or actors_match(gold.actor, pred.actor)


def assign(weights: Sequence[Sequence[float | None]]) -> list[tuple[int, int]]:
    """Rows paired with columns maximising the summed weight; ``None`` = may not pair.

    The Hungarian algorithm (shortest augmenting paths with potentials) on the square
    matrix padded with zero-weight dummies; pairs on dummies or forbidden cells dropped.
    """
    n_rows = len(weights)
    n_cols = len(weights[0]) if n_rows else 0
    if not n_rows or not n_cols:
        return []
    n = max(n_rows, n_cols)
    top = max((w for row in weights for w in row if w is not None), default=0.0)
    big = top + 1.0

    def cost(i: int, j: int) -> float:
        if i >= n_rows or j >= n_cols:
            return big  # dummy: as good as leaving unpaired
        w = weights[i][j]
        return big if w is None else big - w

    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (n + 1)
    p = [0] * (n + 1)  # p[j]: row (1-based) assigned to column j
    way = [0] * (n + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [inf] * (n + 1)
        used = [False] * (n + 1)
        while True:
            used[j0] = True
            i0 = p[j0]
            delta = inf
            j1 = 0
            for j in range(1, n + 1):
                if not used[j]:
                    cur = cost(i0 - 1, j - 1) - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j] = cur
                        way[j] = j0
                    if minv[j] < delta:
                        delta = minv[j]
                        j1 = j
            for j in range(n + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    pairs = []
    for j in range(1, n + 1):
        i = p[j] - 1
        if i < n_rows and j - 1 < n_cols and weights[i][j - 1] is not None:
            pairs.append((i, j - 1))
    return sorted(pairs)
