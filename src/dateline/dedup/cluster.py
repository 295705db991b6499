"""Pure in-memory clustering of compact mention records into events.

1. Blocking: each mention is filed under (type family, country) for every country it
   names, and under (type family, article). Inside a block, rows sorted by their first
   possible day give every pair whose day ranges overlap by one ``searchsorted``: no
   quadratic scan beyond the pairs that really overlap.
2. Pairwise compatibility (vectorised): negation, modality, type, overlapping days, place
   (same, nested or near; unknown matches any), actors and recipients (one set covers the
   other, comparing country + sector family); a mention naming no actor, recipient or
   place merges only inside its own article. Compatible pairs are scored edges.
3. Connected components of the edge graph (numpy hook-and-compress).
4. A component whose mentions agree as a whole (a common day, nested places, one actor set
   covering all) is one event. Otherwise the component is split by constrained merging:
   edges in descending score (ties by row), merging two clusters only when the union
   still agrees. Every step depends only on the component's rows and their order, so the
   result is the same whichever way the rows arrived: incremental equals batch.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from dateline.dedup.records import FAMILY_BITS, Records
from dateline.dedup.rules import (
    ADMIN1_LEVEL, COUNTRY_LEVEL, DAY, LOCAL_LEVEL, NO_PLACE, PUBLICATION, UNKNOWN, DedupRules,
)

EARTH_KM = 6371.0088
CHUNK = 1 << 20  # pairs checked per vectorised step


@dataclass
class Clustering:
    """labels[i]: the cluster of row i, named by its smallest row; components[i]: the same
    for the candidate-graph component. pairs: candidate pairs checked; edges: compatible
    pairs; resolved: components that needed constrained merging."""

    labels: np.ndarray
    components: np.ndarray
    pairs: int
    edges: int
    resolved: int

    def clusters(self) -> list[np.ndarray]:
        """Row indices of each cluster, clusters ordered by their first row."""
        return _groups(self.labels)


def _groups(labels: np.ndarray) -> list[np.ndarray]:
    order = np.argsort(labels, kind="stable")
    cuts = np.flatnonzero(np.diff(labels[order])) + 1
    return np.split(order, cuts) if len(order) else []


# -- 1. blocking -----------------------------------------------------------------------------
def _overlap_pairs(group: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                   item: np.ndarray, rows: int = CHUNK) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Pairs of items in the same group whose [lo, hi] overlap, in slices of ~``rows``."""
    if len(group) < 2:
        return
    order = np.lexsort((item, lo, group))
    g, lo, hi, item = group[order], lo[order].astype(np.int64), hi[order], item[order]
    base = int(lo.min())
    span = int(max(int(hi.max()), int(lo.max())) - base + 2)
    key = g * span + (lo - base)
    upper = np.searchsorted(key, g * span + (np.maximum(hi, lo) - base), side="right")
    counts = upper - np.arange(len(key)) - 1
    csum = np.cumsum(counts)
    start = 0
    while start < len(key):
        # cut so that each slice yields about ``rows`` pairs
        done = int(csum[start - 1]) if start else 0
        stop = max(start + 1, int(np.searchsorted(csum, done + rows, side="right")))
        c = counts[start:stop]
        total = int(c.sum())
        if total:
            first = np.repeat(np.arange(start, stop), c)
            offs = np.arange(total) - np.repeat(np.cumsum(c) - c, c)
            yield item[first], item[first + 1 + offs]
        start = stop


def candidate_pairs(rec: Records, focus: np.ndarray | None = None
                    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Candidate pairs (i < j) in slices; with ``focus``, only pairs touching a focus row.
    A pair found in several blocks may come more than once."""
    n = len(rec)
    if n < 2:
        return
    rows_i, cols = np.nonzero(rec.blocks)
    country = rec.blocks[rows_i, cols].astype(np.int64)
    fam = rec.family.astype(np.int64)
    group = fam[rows_i] * (int(country.max(initial=0)) + 1) + country
    art_group = fam * (int(rec.article.max(initial=0)) + 1) + rec.article
    zeros = np.zeros(n, dtype=np.int32)
    sources = (
        _overlap_pairs(group, rec.lo[rows_i], rec.hi[rows_i], rows_i.astype(np.int64)),
        _overlap_pairs(art_group, zeros, zeros, np.arange(n, dtype=np.int64)),
    )
    for source in sources:
        for a, b in source:
            i, j = np.minimum(a, b), np.maximum(a, b)
            keep = i != j
            if focus is not None:
                keep &= focus[i] | focus[j]
            yield i[keep], j[keep]


# -- 2. pairwise compatibility ---------------------------------------------------------------
def _km(lat1, lon1, lat2, lon2):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def places_compatible(rec: Records, i: np.ndarray, j: np.ndarray, near_km: float) -> np.ndarray:
    li, lj = rec.place_level[i], rec.place_level[j]
    ci, cj = rec.place_country[i], rec.place_country[j]
    ai, aj = rec.place_admin1[i], rec.place_admin1[j]
    same_country = (ci == cj) | (ci == 0) | (cj == 0)
    coarse = (li == COUNTRY_LEVEL) | (lj == COUNTRY_LEVEL)
    both_admin = (li == ADMIN1_LEVEL) & (lj == ADMIN1_LEVEL) & (ai == aj)
    admin_local = (((li == ADMIN1_LEVEL) & (lj == LOCAL_LEVEL) & ((aj == 0) | (aj == ai)))
                   | ((lj == ADMIN1_LEVEL) & (li == LOCAL_LEVEL) & ((ai == 0) | (ai == aj))))
    both_local = (li == LOCAL_LEVEL) & (lj == LOCAL_LEVEL)
    with np.errstate(invalid="ignore"):
        near = _km(rec.lat[i], rec.lon[i], rec.lat[j], rec.lon[j]) <= near_km
    local = both_local & ((rec.place_loc[i] == rec.place_loc[j]) | near)
    unknown = (li == NO_PLACE) | (lj == NO_PLACE)
    return unknown | (same_country & (coarse | both_admin | admin_local | local))


def _keys_match(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    mask = (1 << FAMILY_BITS) - 1
    ca, fa, cb, fb = a >> FAMILY_BITS, a & mask, b >> FAMILY_BITS, b & mask
    return ((ca == cb) | (ca == 0) | (cb == 0)) & ((fa == fb) | (fa == 0) | (fb == 0))


def _covered(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise: every key of a matches some key of b."""
    m = _keys_match(a[:, :, None], b[:, None, :]) & (b[:, None, :] != 0)
    return (m.any(axis=2) | (a == 0)).all(axis=1)


def sets_compatible(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise: one side unknown, or one key set covered by the other."""
    empty_a, empty_b = (a == 0).all(axis=1), (b == 0).all(axis=1)
    return empty_a | empty_b | _covered(a, b) | _covered(b, a)


def compatible(rec: Records, i: np.ndarray, j: np.ndarray, rules: DedupRules,
               tmatrix: np.ndarray, dates: bool = True) -> np.ndarray:
    """Row-wise compatibility of pairs (i, j)."""
    ok = (rec.negated[i] == rec.negated[j]) & (rec.modality[i] == rec.modality[j])
    ok &= tmatrix[rec.etype[i], rec.etype[j]]
    same_article = rec.article[i] == rec.article[j]
    # a mention naming no actor, recipient or place only merges inside its own article;
    # so does one whose date is unknown (no date in its text, none for its article)
    ok &= same_article | (_informative(rec, i) & _informative(rec, j))
    ok &= same_article | ((rec.precision[i] != UNKNOWN) & (rec.precision[j] != UNKNOWN))
    ok &= ~same_article | _same_story_event(rec, i, j, rules)
    # "traded barbs" (both sides act) is not "A accused B" (one side acts)
    recip = reciprocal(rec)
    ok &= recip[i] == recip[j]
    if dates:
        ok &= np.maximum(rec.lo[i], rec.lo[j]) <= np.minimum(rec.hi[i], rec.hi[j])
    idx = np.flatnonzero(ok)
    ii, jj = i[idx], j[idx]
    placeless = placeless_mask(rec, rules)
    good = places_compatible(rec, ii, jj, rules.near_km) | (
        placeless[rec.etype[ii]] & placeless[rec.etype[jj]])
    good &= sets_compatible(rec.actors[ii], rec.actors[jj])
    good &= sets_compatible(rec.recipients[ii], rec.recipients[jj])
    cross = rec.article[ii] != rec.article[jj]
    if cross.any():
        w = np.flatnonzero(cross)
        good[w] &= _same_reported_event(rec, ii[w], jj[w])
        # words in two articles are one statement only when said the same way: an
        # allegation is not a criticism, an appeal not a demand (CAMEO mode)
        words = placeless[rec.etype[ii[w]]] & placeless[rec.etype[jj[w]]]
        good[w] &= ~words | (rec.mode[ii[w]] == rec.mode[jj[w]])
    ok[idx] = good
    return ok


def _named_locality(rec: Records, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Both mentions name the same locality in their own sentences (a dateline shared by
    two stories filed from one city proves nothing)."""
    same = (rec.place_level[a] == LOCAL_LEVEL) & (rec.place_level[b] == LOCAL_LEVEL) \
        & (rec.place_loc[a] == rec.place_loc[b])
    if rec.place_named is not None:
        same &= rec.place_named[a] & rec.place_named[b]
    return same


def _same_reported_event(rec: Records, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Two articles' compatible mentions: one event only with evidence that ties them
    beyond a shared kind, country and few days. Two reports dated only by publication
    prove nothing of their day ("the government rejected ..." in seven papers of a week
    is seven statements) unless they name two parties of one exchange ("India and
    Pakistan agreed") or agree on three of the rest. Evidence, of which 2 are needed (3
    without a named day): the same named day (1; a day one names within the other's
    publication window: 0.5; a day planned counts nothing), both naming their actors, the
    same two parties, the same recipients, the same locality named in the sentences, the
    same death toll (1 each)."""
    # a day to come ("the March 15 programme") is shared by all that is said about it
    done = rec.modality[a] == 0
    pa, pb = rec.precision[a], rec.precision[b]
    same_day = (pa == DAY) & (pb == DAY) & (rec.lo[a] == rec.lo[b]) & done
    one_day = ((pa == DAY) | (pb == DAY)) & ~same_day & done
    aa, ab = rec.actors[a], rec.actors[b]
    ra, rb = rec.recipients[a], rec.recipients[b]
    who = (aa != 0).any(axis=1) & (ab != 0).any(axis=1)
    pooled = (aa == ab).all(axis=1) & ((aa != 0).sum(axis=1) >= 2)  # A met B
    whom = (ra == rb).all(axis=1) & (ra != 0).any(axis=1)
    toll = (rec.dead[a] == rec.dead[b]) & (rec.dead[a] >= 0)
    evidence = same_day * 1.0 + one_day * 0.5 + who + pooled + whom \
        + _named_locality(rec, a, b) + toll
    return ((same_day | one_day | pooled) & (evidence >= 2)) | (evidence >= 3)


def reciprocal(rec: Records) -> np.ndarray:
    """Per row: does an actor stand on both sides ("X and Y traded barbs": each accused
    the other)? Such a mention reports a two-sided exchange, never a one-sided act."""
    a, r = rec.actors, rec.recipients
    if not a.shape[1] or not r.shape[1]:
        return np.zeros(len(rec), dtype=bool)
    return ((a[:, :, None] == r[:, None, :]) & (a[:, :, None] != 0)).any(axis=(1, 2))


def _same_story_event(rec: Records, i: np.ndarray, j: np.ndarray,
                      rules: DedupRules) -> np.ndarray:
    """Within one article: may two mentions be one event? Two triggers of one sentence,
    two header lines, or a header line and a mention of the lede (the first
    ``lede_sentences`` body sentences: a headline tells the story's main event) may. Two
    body sentences must agree on something of their own: the same recipients, the same
    locality, the same explicit day or the same death toll (for exchanges, the same
    participants); sentences of one statement that merely share its actor ("The United
    States condemns ..."; "The United States remains committed ...") are not one event."""
    if rec.sentence is None:
        return np.ones(len(i), dtype=bool)
    si, sj = rec.sentence[i], rec.sentence[j]
    head_i, head_j = si < 0, sj < 0
    lede = rules.lede_sentences
    ok = (si == sj) | (head_i & head_j) | (head_i & (sj < lede)) | (head_j & (si < lede))
    body = ~head_i & ~head_j & (si != sj)
    if body.any():
        b = np.flatnonzero(body)
        bi, bj = i[b], j[b]
        ri, rj = rec.recipients[bi], rec.recipients[bj]
        ai, aj = rec.actors[bi], rec.actors[bj]
        agree = (ri == rj).all(axis=1) & (ri != 0).any(axis=1)
        agree |= (ai == aj).all(axis=1) & ((ai != 0).sum(axis=1) >= 2)  # pooled: A met B
        agree |= _named_locality(rec, bi, bj)
        agree |= (rec.precision[bi] == DAY) & (rec.precision[bj] == DAY) & (rec.lo[bi] == rec.lo[bj])
        agree |= (rec.dead[bi] == rec.dead[bj]) & (rec.dead[bi] >= 0)
        ok[b] = agree
    return ok


def _informative(rec: Records, i: np.ndarray) -> np.ndarray:
    return ((rec.actors[i] != 0).any(axis=1) | (rec.recipients[i] != 0).any(axis=1)
            | (rec.place_level[i] > NO_PLACE))


def scores(rec: Records, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """How strongly a compatible pair agrees: the order in which merges are tried."""
    li, lj = rec.place_level[i], rec.place_level[j]
    s = 4.0 * (rec.article[i] == rec.article[j])
    s += 2.0 * ((rec.lo[i] == rec.lo[j]) & (rec.hi[i] == rec.hi[j]))
    s += 1.0 * ((rec.precision[i] == DAY) & (rec.precision[j] == DAY))
    s += 2.0 * ((li == LOCAL_LEVEL) & (lj == LOCAL_LEVEL)
                & (rec.place_loc[i] == rec.place_loc[j]))
    s += 1.0 * ((li == lj) & (li > NO_PLACE))
    a_i, a_j = rec.actors[i], rec.actors[j]
    s += 2.0 * ((a_i == a_j).all(axis=1) & (a_i != 0).any(axis=1))
    r_i, r_j = rec.recipients[i], rec.recipients[j]
    s += 1.0 * ((r_i == r_j).all(axis=1) & (r_i != 0).any(axis=1))
    s += 1.0 * ((rec.mode[i] == rec.mode[j]) & (rec.mode[i] > 0))
    s += 1.0 * ((rec.dead[i] == rec.dead[j]) & (rec.dead[i] >= 0))
    return s


def placeless_mask(rec: Records, rules: DedupRules) -> np.ndarray:
    """Per type id: is a place disagreement no obstacle for it?"""
    return np.array([t in rules.placeless_types for t in rec.type_names or ("",)], dtype=bool)


def type_matrix(rec: Records, rules: DedupRules) -> np.ndarray:
    names = rec.type_names or ("",)
    return np.array(rules.type_matrix(tuple(names)), dtype=bool).reshape(len(names), len(names))


@dataclass
class Edges:
    src: np.ndarray
    dst: np.ndarray
    score: np.ndarray
    pairs: int


def find_edges(rec: Records, rules: DedupRules, focus: np.ndarray | None = None) -> Edges:
    """Every compatible candidate pair once (src < dst), with its score."""
    tm = type_matrix(rec, rules)
    src, dst, checked = [], [], 0
    for i, j in candidate_pairs(rec, focus):
        checked += len(i)
        ok = compatible(rec, i, j, rules, tm)
        src.append(i[ok])
        dst.append(j[ok])
    n = max(len(rec), 1)
    if src:
        code = np.unique(np.concatenate(src) * n + np.concatenate(dst))
    else:
        code = np.zeros(0, dtype=np.int64)
    s, d = code // n, code % n
    return Edges(s, d, scores(rec, s, d) if len(s) else np.zeros(0), checked)


# -- 3. components --------------------------------------------------------------------------
def connected(n: int, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Component label of each node: the smallest node index in its component."""
    parent = np.arange(n, dtype=np.int64)
    while len(src):
        ps, pd = parent[src], parent[dst]
        low, high = np.minimum(ps, pd), np.maximum(ps, pd)
        diff = low != high
        if not diff.any():
            break
        np.minimum.at(parent, high[diff], low[diff])
        while True:
            nxt = parent[parent]
            if np.array_equal(nxt, parent):
                break
            parent = nxt
        src, dst = src[diff], dst[diff]
    return parent


# -- 4. agreement of a whole cluster ---------------------------------------------------------
@dataclass(frozen=True)
class _Context:
    """What the merge checks need from the rules, in the records' type ids."""

    types: np.ndarray  # type id x type id: compatible?
    placeless: frozenset[int]  # type ids whose place disagreements do not count
    near_km: float

    @classmethod
    def of(cls, rec: Records, rules: DedupRules) -> _Context:
        mask = placeless_mask(rec, rules)
        return cls(type_matrix(rec, rules), frozenset(np.flatnonzero(mask).tolist()),
                   rules.near_km)


class _Profile:
    """What a cluster's members jointly say: a common day range, the distinct places,
    the distinct actor and recipient key sets, the types. Invariant: consistent."""

    __slots__ = ("lo", "hi", "types", "places", "actors", "recipients", "dyads", "recip")

    def __init__(self, lo: int, hi: int, types: frozenset, places: frozenset,
                 actors: frozenset, recipients: frozenset, dyads: frozenset = frozenset(),
                 recip: frozenset = frozenset()):
        self.lo, self.hi, self.types = lo, hi, types
        self.places, self.actors, self.recipients = places, actors, recipients
        self.dyads = dyads  # (actor keys, recipient keys) of each member
        self.recip = recip  # the members' reciprocity (see ``reciprocal``): one value

    @classmethod
    def of(cls, rec: Records, k: int) -> _Profile:
        level = int(rec.place_level[k])
        places = frozenset() if level == NO_PLACE else frozenset(((
            level, int(rec.place_country[k]), int(rec.place_admin1[k]),
            int(rec.place_loc[k]), float(rec.lat[k]), float(rec.lon[k])),))
        a = tuple(int(x) for x in rec.actors[k] if x)
        r = tuple(int(x) for x in rec.recipients[k] if x)
        return cls(int(rec.lo[k]), int(rec.hi[k]), frozenset((int(rec.etype[k]),)), places,
                   frozenset((a,)) if a else frozenset(), frozenset((r,)) if r else frozenset(),
                   frozenset(((a, r),)), frozenset((bool(set(a) & set(r)),)))

    def union(self, other: _Profile) -> _Profile:
        return _Profile(max(self.lo, other.lo), min(self.hi, other.hi),
                        self.types | other.types, self.places | other.places,
                        self.actors | other.actors, self.recipients | other.recipients,
                        self.dyads | other.dyads, self.recip | other.recip)

    def can_merge(self, other: _Profile, ctx: _Context) -> bool:
        """Would the union still agree? Both sides agree already, so only what crosses
        between them is checked."""
        if max(self.lo, other.lo) > min(self.hi, other.hi) or self.recip != other.recip:
            return False
        if self.types != other.types and not all(
                ctx.types[a, b] for a in self.types for b in other.types):
            return False
        if self.places != other.places and not ctx.placeless >= (self.types | other.types):
            near = ctx.near_km
            for p in self.places:
                for q in other.places:
                    if p != q and not _place_ok(p, q, near):
                        return False
        for mine, theirs in ((self.actors, other.actors), (self.recipients, other.recipients)):
            if mine and theirs and mine != theirs and not _has_cover(mine | theirs):
                return False
        return not any(_reversed(d, e) for d in self.dyads for e in other.dyads)

    def consistent(self, ctx: _Context) -> bool:
        """The full check (for a set built without merge checks)."""
        if self.lo > self.hi or len(self.recip) > 1:
            return False
        if len(self.types) > 1 and not all(
                ctx.types[a, b] for a in self.types for b in self.types):
            return False
        ps = [] if ctx.placeless >= self.types else list(self.places)
        if any(not _place_ok(ps[x], ps[y], ctx.near_km)
               for x in range(len(ps)) for y in range(x + 1, len(ps))):
            return False
        dyads = list(self.dyads)
        if any(_reversed(dyads[x], dyads[y])
               for x in range(len(dyads)) for y in range(x + 1, len(dyads))):
            return False
        return _has_cover(self.actors) and _has_cover(self.recipients)


def _key_ok(a: int, b: int) -> bool:
    mask = (1 << FAMILY_BITS) - 1
    ca, fa, cb, fb = a >> FAMILY_BITS, a & mask, b >> FAMILY_BITS, b & mask
    return (ca == cb or ca == 0 or cb == 0) and (fa == fb or fa == 0 or fb == 0)


def _subset(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    return all(any(_key_ok(x, y) for y in b) for x in a)


def _overlap(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    return any(_key_ok(x, y) for x in a for y in b)


def _reversed(d: tuple, e: tuple) -> bool:
    """Two mentions of opposite direction: different actors, and one's actor is the
    other's recipient ("Russia accused the US" vs "the US accused Russia")."""
    (a1, r1), (a2, r2) = d, e
    for (x_a, x_r), (y_a, y_r) in ((d, e), (e, d)):
        # an agentless report whose target is the other's actor ("regime troops were
        # attacked" vs "regime troops attacked")
        if not x_a and x_r and y_a and _overlap(x_r, y_a) and not (y_r and _overlap(y_r, x_r)):
            return True
    if not a1 or not a2 or _overlap(a1, a2):
        return False
    return bool((r1 and _overlap(r1, a2)) or (r2 and _overlap(r2, a1)))


def _has_cover(sets: frozenset) -> bool:
    """Some member's key set covers every other member's (they name one group of actors)."""
    return len(sets) <= 1 or any(all(_subset(t, s) for t in sets) for s in sets)


def _km_scalar(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(min(max(a, 0.0), 1.0)))


def _place_ok(p: tuple, q: tuple, near_km: float) -> bool:
    """Scalar twin of ``places_compatible`` for two known places."""
    lp, cp, ap, locp, latp, lonp = p
    lq, cq, aq, locq, latq, lonq = q
    if not (cp == cq or cp == 0 or cq == 0):
        return False
    if lp == COUNTRY_LEVEL or lq == COUNTRY_LEVEL:
        return True
    if lp == ADMIN1_LEVEL and lq == ADMIN1_LEVEL:
        return ap == aq
    if lp == ADMIN1_LEVEL:
        return aq in (0, ap)
    if lq == ADMIN1_LEVEL:
        return ap in (0, aq)
    if locp == locq:
        return True
    if math.isnan(latp) or math.isnan(latq) or math.isnan(lonp) or math.isnan(lonq):
        return False
    return _km_scalar(latp, lonp, latq, lonq) <= near_km


def _distinct_count(comp: np.ndarray, sig: np.ndarray, n: int) -> np.ndarray:
    """Per component, the number of distinct signatures among the given rows."""
    if not len(comp):
        return np.zeros(n, dtype=np.int64)
    pairs = np.unique(np.stack([comp, sig], axis=1), axis=0)
    return np.bincount(pairs[:, 0], minlength=n)


def _row_ids(a: np.ndarray) -> np.ndarray:
    return np.unique(a, axis=0, return_inverse=True)[1].reshape(-1)


def _suspect_components(rec: Records, comp: np.ndarray, placeless: np.ndarray) -> np.ndarray:
    """Components whose rows do not all trivially agree (vectorised first pass)."""
    n = len(rec)
    size = np.bincount(comp, minlength=n)
    lo = np.full(n, np.iinfo(np.int64).min)
    hi = np.full(n, np.iinfo(np.int64).max)
    np.maximum.at(lo, comp, rec.lo.astype(np.int64))
    np.minimum.at(hi, comp, rec.hi.astype(np.int64))
    bad = (size > 1) & (lo > hi)
    placed = np.flatnonzero((rec.place_level > NO_PLACE) & ~placeless[rec.etype])
    if len(placed):
        sig = _row_ids(np.stack([rec.place_level[placed].astype(np.int64),
                                 rec.place_country[placed], rec.place_admin1[placed],
                                 rec.place_loc[placed]], axis=1))
        bad |= _distinct_count(comp[placed], sig, n) > 1
    for keys in (rec.actors, rec.recipients):
        rows = np.flatnonzero((keys != 0).any(axis=1))
        if len(rows):
            bad |= _distinct_count(comp[rows], _row_ids(keys[rows]), n) > 1
    # different actor/recipient pairs may run in opposite directions (see ``_reversed``)
    dyads = np.concatenate([rec.actors, rec.recipients], axis=1)
    bad |= _distinct_count(comp, _row_ids(dyads), n) > 1
    bad |= _distinct_count(comp, rec.etype.astype(np.int64), n) > 1
    bad |= _distinct_count(comp, reciprocal(rec).astype(np.int64), n) > 1
    return np.flatnonzero(bad & (size > 1))


def _resolve(members: np.ndarray, src: np.ndarray, dst: np.ndarray, rec: Records,
             ctx: _Context) -> dict[int, int]:
    """One component: a single event if its mentions agree as a whole, else constrained
    merging along its edges (already sorted by priority)."""
    profile = {int(k): _Profile.of(rec, int(k)) for k in members}
    if rec.lo[members].max() <= rec.hi[members].min():
        whole = _Profile(0, 0, frozenset(), frozenset(), frozenset(), frozenset())
        for p in profile.values():
            whole = whole.union(p)
        whole.lo, whole.hi = int(rec.lo[members].max()), int(rec.hi[members].min())
        if whole.consistent(ctx):
            root = int(members.min())
            return {int(k): root for k in members}
    parent = {k: k for k in profile}
    version = dict.fromkeys(profile, 0)
    failed: set[tuple[int, int, int, int]] = set()

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in zip(src.tolist(), dst.tolist(), strict=True):
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        if ra > rb:
            ra, rb = rb, ra
        key = (ra, version[ra], rb, version[rb])
        if key in failed:
            continue
        if not profile[ra].can_merge(profile[rb], ctx):
            failed.add(key)
            continue
        parent[rb] = ra
        profile[ra] = profile[ra].union(profile.pop(rb))
        version[ra] += 1
    return {k: find(k) for k in parent}


def cluster_records(rec: Records, rules: DedupRules | None = None) -> Clustering:
    """Cluster the records into events (rows must be in canonical order)."""
    rules = rules or DedupRules()
    n = len(rec)
    edges = find_edges(rec, rules)
    comp = connected(n, edges.src, edges.dst)
    labels = comp.copy()
    suspects = _suspect_components(rec, comp, placeless_mask(rec, rules))
    if len(suspects):
        ctx = _Context.of(rec, rules)
        is_suspect = np.zeros(n, dtype=bool)
        is_suspect[suspects] = True
        e = np.flatnonzero(is_suspect[comp[edges.src]])
        ecomp = comp[edges.src[e]]
        e = e[np.lexsort((edges.dst[e], edges.src[e], -edges.score[e], ecomp))]
        ecomp = comp[edges.src[e]]
        ecuts = np.flatnonzero(np.diff(ecomp)) + 1
        member_rows = np.flatnonzero(is_suspect[comp])
        by_comp = {int(g[0]): g for g in _groups_of(comp, member_rows)}
        for chunk in np.split(e, ecuts):
            c = int(comp[edges.src[chunk[0]]])
            members = by_comp[c]
            for k, root in _resolve(members, edges.src[chunk], edges.dst[chunk], rec,
                                    ctx).items():
                labels[k] = root
    return Clustering(labels=labels, components=comp, pairs=edges.pairs,
                      edges=len(edges.src), resolved=len(suspects))


def _groups_of(comp: np.ndarray, rows: np.ndarray) -> list[np.ndarray]:
    """``rows`` (ascending) grouped by component; each group stays ascending, so its
    first row is the component's label."""
    order = rows[np.argsort(comp[rows], kind="stable")]
    cuts = np.flatnonzero(np.diff(comp[order])) + 1
    return np.split(order, cuts)


# -- within one article ----------------------------------------------------------------------
def adopt_article_dates(rec: Records, rules: DedupRules) -> Records:
    """A mention dated only by publication takes the explicit date of a compatible
    mention of the same article (a lede "Russia vetoed..." and the body's "on Monday"):
    the finest such date at most ``within_article_days`` before publication, the latest
    one when several; ties by row. A mention of unknown date (an undated article) takes
    such a date whatever it is: the text's own. Returns new records (precision, lo, hi
    updated)."""
    n = len(rec)
    prec, lo, hi = rec.precision.copy(), rec.lo.copy(), rec.hi.copy()
    vague = (rec.precision == PUBLICATION) | (rec.precision == UNKNOWN)
    if n < 2 or not vague.any():
        return rec
    zeros = np.zeros(n, dtype=np.int32)
    fam = rec.family.astype(np.int64)
    group = fam * (int(rec.article.max(initial=0)) + 1) + rec.article
    focus = vague
    tm = type_matrix(rec, rules)
    takers, givers = [], []
    for a, b in _overlap_pairs(group, zeros, zeros, np.arange(n, dtype=np.int64)):
        i = np.concatenate([a, b])
        j = np.concatenate([b, a])
        keep = focus[i] & ~vague[j]
        i, j = i[keep], j[keep]
        # publication-dated: a date up to a week before publication; unknown (an article
        # without a date): the date its own text gives
        p = rec.lo[i].astype(np.int64) + rules.publication_before
        keep = (rec.precision[i] == UNKNOWN) | (
            (rec.lo[j] >= p - rules.within_article_days) & (rec.hi[j] <= p + rules.publication_after))
        i, j = i[keep], j[keep]
        keep = compatible(rec, i, j, rules, tm, dates=False)
        takers.append(i[keep])
        givers.append(j[keep])
    if not takers or not sum(len(t) for t in takers):
        return rec
    i, j = np.concatenate(takers), np.concatenate(givers)
    order = np.lexsort((j, -rec.lo[j].astype(np.int64), rec.precision[j], i))
    i, j = i[order], j[order]
    first = np.ones(len(i), dtype=bool)
    first[1:] = i[1:] != i[:-1]
    i, j = i[first], j[first]
    prec[i], lo[i], hi[i] = rec.precision[j], rec.lo[j], rec.hi[j]
    return rec.with_dates(prec, lo, hi)
