"""The store path of dedup: ``update_events`` (incremental = batch) and
``event_with_mentions``.

Incremental update, per event-type family:
1. the new mentions (no dedup row yet, or re-coded since) are encoded; a publication-dated
   mention adopts the explicit date of a compatible mention of its own article;
2. stored mentions in the blocks they touch (same family, overlapping days, a shared
   country or the same article) are fetched and compatible pairs with the new ones found;
3. every stored candidate-graph component linked to a new mention (or left dirty by a
   deleted/re-coded mention) is loaded whole -- as compact rows from ``dedup_mentions``,
   no JSON -- and the union is clustered by the same pure function a batch run uses;
4. only clusters whose mentions changed are rebuilt (their mentions' JSON loaded) and
   written; components not touched are not read at all.
Because clustering is a function of a component's mentions alone, and components only
grow by new edges, the partition equals a batch run over everything.

Event ids: an event is named after its anchor, its earliest mention (published time, then
article id, sentence, offset, mention id): ``stable_id("event", mention_id)``. A cluster
holding the anchors of stored events keeps the id of the oldest of them (the others are
retired); a cluster holding none takes the id of its own earliest mention.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pyarrow as pa

from dateline.dedup.cluster import adopt_article_dates, cluster_records, find_edges
from dateline.dedup.events import (
    EVENT_COLUMNS, ArticleInfo, Member, build_event, event_from_dict, event_id_for, event_row,
)
from dateline.dedup.records import Compact, Encoder
from dateline.dedup.rules import UNKNOWN, DedupRules
from dateline.model import Event, Mention
from dateline.store import Store
from dateline.store.dialect import is_postgres


@dataclass
class DedupSummary:
    """What one ``update_events`` call did."""

    mentions: int = 0  # mentions newly assigned to an event
    examined: int = 0  # mentions clustered (the new ones and those of touched components)
    components: int = 0  # candidate-graph components clustered
    events_new: int = 0
    events_updated: int = 0  # events rebuilt because their mentions changed
    events_retired: int = 0  # ids gone: merged into an older event, or no mention left
    events_total: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Row:
    """One mention during a run: its compact record, its place in the canonical order,
    what it was assigned to before (None for a new one), and, once loaded, the mention."""

    mention_id: str
    compact: Compact
    published: datetime | None
    sentence_index: int
    char_start: int
    old_event: str | None
    component: str | None
    new: bool
    mention: Mention | None = None
    article: ArticleInfo | None = None

    def member(self) -> Member:
        """The loaded mention as an event member (after ``_load_for``)."""
        assert self.mention is not None and self.article is not None, "not loaded"
        return Member(self.mention, self.article, self.compact.precision, self.compact.lo,
                      self.compact.hi)

    @property
    def sort_key(self) -> tuple:
        pub = self.published
        return (pub.timestamp() if pub else float("inf"), self.compact.article,
                self.sentence_index, self.char_start, self.mention_id)


_MENTIONS = (
    "SELECT m.data, m.event_id, a.id, a.source, a.url, a.published, a.ingested_at "
    "FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.id IN (SELECT unnest(?))"
)
_FIXED = ("mention_id", "component", "event_id", "published", "sentence_index", "char_start")
_COMPACT = tuple("article_id" if f == "article" else f for f in Compact._fields)
DEDUP_COLUMNS = _FIXED + _COMPACT


def _load_mentions(con, ids: Sequence[str]) -> dict[str, tuple[Mention, ArticleInfo]]:
    out: dict[str, tuple[Mention, ArticleInfo]] = {}
    for k in range(0, len(ids), 50_000):
        for data, m_event, aid, source, url, published, ingested in con.execute(
                _MENTIONS, [list(ids[k:k + 50_000])]).fetchall():
            m = Mention.from_dict(json.loads(data))
            m.event_id = m_event
            out[str(m.id)] = (m, ArticleInfo(aid, source, url, published, ingested))  # a stored id
    return out


def _insert(con, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    """Bulk insert through an Arrow table (executemany is slow on DuckDB); COPY on
    PostgreSQL."""
    if not rows:
        return
    if is_postgres(con):
        con.copy_rows(table, columns, rows)
        return
    data = {c: [r[k] for r in rows] for k, c in enumerate(columns)}
    name = f"_dedup_{table}"
    con.register(name, pa.table(data))
    try:
        cols = ", ".join(columns)
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name}")
    finally:
        con.unregister(name)


def _utc(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value is not None and value.tzinfo else value


@dataclass
class _Writes:
    """Everything one run writes, applied at the end in a few bulk statements."""

    events: list[Event] = field(default_factory=list)
    kept: set[str] = field(default_factory=set)  # events whose mentions did not change
    retire: set[str] = field(default_factory=set)
    assigned: dict[str, str] = field(default_factory=dict)  # changed mention -> event
    dedup_rows: list[tuple] = field(default_factory=list)


class _Updater:
    """One ``update_events`` run: the connection, the rules, the rows met so far, the
    pending writes and the tallies."""

    def __init__(self, store: Store, rules: DedupRules):
        self.con = store.con
        self.rules = rules
        self.summary = DedupSummary()
        self.writes = _Writes()
        self._rows: dict[str, _Row] = {}

    # -- reading ---------------------------------------------------------------------------
    def stored(self, where: str, params: Sequence[Any]) -> list[_Row]:
        """Stored dedup rows (cached by mention id)."""
        cols = ", ".join(DEDUP_COLUMNS)
        out = []
        for r in self.con.execute(f"SELECT {cols} FROM dedup_mentions WHERE {where}",
                                  list(params)).fetchall():
            mid, comp, event, published, index, start = r[:6]
            if mid not in self._rows:
                self._rows[mid] = _Row(mid, Compact(*r[6:]), published, index, start, event,
                                       comp, False)
            out.append(self._rows[mid])
        return out

    def drop_stale(self) -> tuple[dict[str, tuple[set[str], set[str]]], list[str]]:
        """Forget mentions deleted or re-coded since they were assigned: per family, their
        components become dirty and their events candidates for retirement. Also returns
        the ids forgotten (the re-coded ones are assigned again in this run)."""
        rows = self.con.execute(
            "SELECT d.mention_id, d.family, d.component, d.event_id FROM dedup_mentions d "
            "LEFT JOIN mentions m ON m.id = d.mention_id "
            "WHERE m.id IS NULL OR m.event_id IS DISTINCT FROM d.event_id"
        ).fetchall()
        dirty: dict[str, tuple[set[str], set[str]]] = {}
        for _, family, component, event in rows:
            comps, events = dirty.setdefault(family, (set(), set()))
            comps.add(component)
            events.add(event)
        stale = [r[0] for r in rows]
        if stale:
            self.con.execute("DELETE FROM dedup_mentions WHERE mention_id IN (SELECT unnest(?))",
                             [stale])
        return dirty, stale

    def unassigned(self, article_ids: Sequence[str] | None,
                   also: Sequence[str] = ()) -> dict[str, list[_Row]]:
        """Mentions without a dedup row (of ``article_ids`` if given, plus ``also``) as new
        rows, per type family; publication-dated ones adopt their article's dates."""
        sql = ("SELECT m.id FROM mentions m LEFT JOIN dedup_mentions d "
               "ON d.mention_id = m.id WHERE d.mention_id IS NULL")
        params: list[Any] = []
        if article_ids is not None:
            sql += " AND (m.article_id IN (SELECT unnest(?)) OR m.id IN (SELECT unnest(?)))"
            params += [list(article_ids), list(also)]
        loaded = _load_mentions(self.con, [r[0] for r in self.con.execute(sql, params).fetchall()])
        if not loaded:
            return {}
        encoder = Encoder(self.rules)
        new = []
        for m, art in loaded.values():
            # the fallback date is the publication day, never the day of ingestion
            c = encoder.compact(m, art.published.date() if art.published else None)
            new.append(_Row(str(m.id), c, art.published, m.sentence_index, m.char_start,
                            m.event_id, None, True, m, art))
        new.sort(key=lambda r: r.sort_key)
        rec = adopt_article_dates(encoder.records([r.compact for r in new],
                                                  [r.sentence_index for r in new]), self.rules)
        out: dict[str, list[_Row]] = {}
        for k, r in enumerate(new):
            r.compact = r.compact._replace(precision=int(rec.precision[k]), lo=int(rec.lo[k]),
                                           hi=int(rec.hi[k]))
            out.setdefault(r.compact.family, []).append(r)
        return out

    def _touched(self, family: str, new: list[_Row]) -> set[str]:
        """Components of stored mentions that share a compatible pair with a new one."""
        if not new:
            return set()
        dated = [r for r in new if r.compact.precision != UNKNOWN]
        # a mention of unknown date pairs only inside its own article
        candidates = self.stored(
            "family = ? AND article_id IN (SELECT unnest(?))",
            [family, sorted({r.compact.article for r in new})])
        if dated:
            candidates += self.stored(
                "family = ? AND hi >= ? AND lo <= ? AND list_has_any(keys, ?)",
                [family, min(r.compact.lo for r in dated), max(r.compact.hi for r in dated),
                 sorted({k for r in dated for k in r.compact.keys})])
        candidates = list({id(r): r for r in candidates}.values())
        if not candidates:
            return set()
        items = new + candidates
        rec = Encoder(self.rules).records([r.compact for r in items],
                                          [r.sentence_index for r in items])
        focus = np.zeros(len(items), dtype=bool)
        focus[:len(new)] = True
        edges = find_edges(rec, self.rules, focus)
        linked = set(edges.src.tolist()) | set(edges.dst.tolist())
        return {items[k].component for k in linked if k >= len(new)}

    # -- one family ------------------------------------------------------------------------
    def family(self, family: str, new: list[_Row], dirty: set[str],
               orphan_events: set[str]) -> None:
        components = sorted(set(dirty) | self._touched(family, new))
        old = self.stored("component IN (SELECT unnest(?))", [components]) if components else []
        items = sorted(new + old, key=lambda r: r.sort_key)
        w = self.writes
        w.retire |= orphan_events
        if not items:
            return
        result = cluster_records(Encoder(self.rules).records(
            [r.compact for r in items], [r.sentence_index for r in items]), self.rules)
        clusters = result.clusters()
        ids = self._assign_ids(items, clusters)
        w.retire |= {r.old_event for r in items if r.old_event}
        size_before: dict[str, int] = {}
        for r in items:
            if r.old_event and not r.new:
                size_before[r.old_event] = size_before.get(r.old_event, 0) + 1
        build = []
        for cid, rows in zip(ids, clusters, strict=True):
            members = [items[int(k)] for k in rows]
            if (cid not in orphan_events and size_before.get(cid) == len(members)
                    and all(not r.new and r.old_event == cid for r in members)):
                w.kept.add(cid)  # the same mentions as before: nothing to rebuild
            else:
                build.append((cid, members))
        self._load_for(r for _, members in build for r in members)
        for cid, members in build:
            group = [r.member() for r in members]
            lo = max(r.compact.lo for r in members)
            hi = min(r.compact.hi for r in members)
            w.events.append(build_event(cid, group, lo, hi, self.rules))
        index = {int(rows[0]): n for n, rows in enumerate(clusters)}  # label -> cluster
        for k, r in enumerate(items):
            comp = items[int(result.components[k])].mention_id
            eid = ids[index[int(result.labels[k])]]
            if r.new or comp != r.component or eid != r.old_event:
                w.assigned[r.mention_id] = eid
                w.dedup_rows.append((r.mention_id, comp, eid, _utc(r.published),
                                     r.sentence_index, r.char_start, *r.compact))
        self.summary.mentions += len(new)
        self.summary.examined += len(items)
        self.summary.components += len(np.unique(result.components))

    def _load_for(self, rows) -> None:
        missing = {r.mention_id: r for r in rows if r.mention is None}
        for mid, (m, art) in _load_mentions(self.con, list(missing)).items():
            missing[mid].mention, missing[mid].article = m, art

    # -- ids -------------------------------------------------------------------------------
    @staticmethod
    def _assign_ids(items: list[_Row], clusters: list[np.ndarray]) -> list[str]:
        """Each stored event id goes with its anchor: the member whose id it was derived
        from, else (anchor gone) its earliest remaining member. A cluster keeps the id
        whose anchor is earliest; a cluster without one is named after its first mention."""
        anchor: dict[str, int] = {}
        for k, r in enumerate(items):
            if r.old_event and event_id_for(r.mention_id) == r.old_event:
                anchor[r.old_event] = k
        for k, r in enumerate(items):
            if r.old_event and r.old_event not in anchor:
                anchor[r.old_event] = k
        by_row = {k: old for old, k in anchor.items()}
        ids, used = [], set()
        for rows in clusters:
            owned = sorted(int(k) for k in rows if int(k) in by_row)
            first = items[int(rows[0])].mention_id
            cid = by_row[owned[0]] if owned else event_id_for(first)
            n = 0
            while cid in used:  # only on a hash collision
                n += 1
                cid = event_id_for(f"{first}#{n}")
            used.add(cid)
            ids.append(cid)
        return ids

    # -- writing ---------------------------------------------------------------------------
    def apply(self, rebuild: bool) -> None:
        con, w = self.con, self.writes
        ids = [e.id for e in w.events]
        retire = sorted(w.retire - set(ids) - w.kept)
        existing = {r[0] for r in con.execute(
            "SELECT id FROM events WHERE id IN (SELECT unnest(?))", [ids + retire]).fetchall()}
        self.summary.events_new = len(set(ids) - existing)
        self.summary.events_updated = len(set(ids) & existing)
        self.summary.events_retired = len(set(retire) & existing)
        con.execute("DELETE FROM events WHERE id IN (SELECT unnest(?))", [ids + retire])
        _insert(con, "events", EVENT_COLUMNS, [event_row(e, self.rules) for e in w.events])
        if w.assigned:
            con.execute("UPDATE mentions SET event_id = t.event_id FROM (SELECT unnest(?) AS "
                        "id, unnest(?) AS event_id) t WHERE mentions.id = t.id",
                        [list(w.assigned), list(w.assigned.values())])
            con.execute("DELETE FROM dedup_mentions WHERE mention_id IN (SELECT unnest(?))",
                        [list(w.assigned)])
        _insert(con, "dedup_mentions", DEDUP_COLUMNS, w.dedup_rows)
        if rebuild:  # events whose mentions are all gone
            gone = "id NOT IN (SELECT event_id FROM mentions WHERE event_id IS NOT NULL)"
            self.summary.events_retired += con.execute(
                f"SELECT count(*) FROM events WHERE {gone}").fetchone()[0]
            con.execute(f"DELETE FROM events WHERE {gone}")


def pending_articles(con) -> list[str]:
    """Articles with mentions that have no event yet: what a run killed between storing
    and dedup left (``update_events`` on them finishes it)."""
    return [r[0] for r in con.execute(
        "SELECT DISTINCT article_id FROM mentions WHERE event_id IS NULL "
        "ORDER BY article_id").fetchall()]


def finish_pending(store: Store, article_ids: Sequence[str] = ()) -> DedupSummary | None:
    """``update_events`` on ``article_ids`` plus every article with mentions still waiting
    for an event; None when there is nothing to do."""
    ids = sorted(set(article_ids) | set(pending_articles(store.con)))
    return update_events(store, ids) if ids else None


def update_events(store: Store, article_ids: Sequence[str] | None = None, *,
                  rules: DedupRules | None = None, rebuild: bool = False) -> DedupSummary:
    """Assign every not yet assigned mention (of ``article_ids``; None: of all articles) to
    an event, updating the events table and ``mentions.event_id``. Mentions deleted or
    re-coded since the last run are taken care of too. ``rebuild``: forget the dedup
    bookkeeping and cluster everything again (ids are kept through ``mentions.event_id``),
    e.g. after changing ``rules``. One transaction: all or nothing."""
    with store.lock("dedup"):  # one dedup at a time across processes: each sees the last
        return _update_events(store, article_ids, rules, rebuild)


def _update_events(store: Store, article_ids: Sequence[str] | None,
                   rules: DedupRules | None, rebuild: bool) -> DedupSummary:
    started = time.perf_counter()
    updater = _Updater(store, rules or DedupRules())
    con = store.con
    con.execute("BEGIN TRANSACTION")
    try:
        if rebuild:
            con.execute("DELETE FROM dedup_mentions")
        dirty, stale = updater.drop_stale()
        new = updater.unassigned(None if rebuild else article_ids, stale)
        for family in sorted(set(new) | set(dirty)):
            comps, events = dirty.get(family, (set(), set()))
            updater.family(family, new.get(family, []), comps, events)
        updater.apply(rebuild)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    from dateline.query import refresh_search

    refresh_search(store)  # the query layer's search and actor-key columns of new events
    s = updater.summary
    s.events_total = con.execute("SELECT count(*) FROM events").fetchone()[0]
    s.seconds = round(time.perf_counter() - started, 3)
    return s


def event_with_mentions(store: Store, event_id: str) -> tuple[Event, list[Mention]]:
    """One event and its mentions, ordered by publication, then article, then position.
    Raises KeyError when there is no such event."""
    row = store.con.execute("SELECT data FROM events WHERE id = ?", [event_id]).fetchone()
    if row is None:
        raise KeyError(event_id)
    event = event_from_dict(json.loads(row[0]))
    rows = store.con.execute(
        "SELECT m.data, m.event_id FROM mentions m JOIN articles a ON a.id = m.article_id "
        "WHERE m.event_id = ? "
        "ORDER BY a.published NULLS LAST, m.article_id, m.sentence_index, m.char_start, m.id",
        [event_id]).fetchall()
    mentions = []
    for data, eid in rows:
        m = Mention.from_dict(json.loads(data))
        m.event_id = eid
        mentions.append(m)
    return event, mentions
