"""Control claims and running figures on demand from the store.

Nothing is stored: ``ControlService`` selects the articles that name the place asked for
(a text match on body and headline), reads their mentions, and derives claims and figures
with the coder's parts; results are kept per article (id + text digest) in a bounded
in-process cache, so a server answers repeated questions without parsing again. Why on
demand rather than at ingest: docs/control.md.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from dateline.control.extract import ControlReader
from dateline.control.figures import FigureReader, figure_series
from dateline.control.model import ControlClaim, Figure
from dateline.control.rules import ControlRules
from dateline.control.timeline import control_timeline
from dateline.dedup.rules import fold
from dateline.model import Article, Mention

MAX_ARTICLES = 5000
CACHE_ARTICLES = 20000


class ControlService:
    def __init__(self, coder, rules: ControlRules | None = None,
                 cache_size: int = CACHE_ARTICLES):
        rules = rules or ControlRules.load(getattr(coder.config, "dicts", ()))
        self.coder = coder
        self.claim_reader = ControlReader(coder, rules)
        self.figure_reader = FigureReader(coder, rules)
        self.cache_size = cache_size
        self._cache: OrderedDict[tuple, list] = OrderedDict()
        self._lock = threading.Lock()

    # -- public -------------------------------------------------------------------------
    def claims(self, con, place: str | None = None, since: str | None = None,
               until: str | None = None, limit: int = MAX_ARTICLES) -> list[ControlClaim]:
        arts = articles_naming(con, place, since, until, limit)
        return self._derive("claims", con, arts)

    def timeline(self, con, place: str | None = None, on: str | None = None,
                 limit: int = MAX_ARTICLES) -> dict[str, Any]:
        claims = self.claims(con, place, limit=limit)
        found = self.coder.gazetteer.resolve(place) if place else None
        aliases = [found.name] if found is not None and found.name else []
        out = control_timeline(claims, place, on, aliases=aliases,
                               geonameid=found.geonameid if found is not None else None)
        out["articles_read"] = len({c.article_id for c in claims})
        return out

    def figures(self, con, place: str | None = None, what: str | None = None,
                since: str | None = None, until: str | None = None,
                limit: int = MAX_ARTICLES) -> list[Figure]:
        arts = articles_naming(con, place, since, until, limit)
        return self._derive("figures", con, arts)

    def figure_series(self, con, place: str | None = None, what: str | None = None,
                      since: str | None = None, until: str | None = None,
                      limit: int = MAX_ARTICLES) -> list[dict[str, Any]]:
        figs = self.figures(con, place, what, since, until, limit)
        return figure_series(figs, what=what, place=place, iso3=self._country(place))

    # -- helpers ------------------------------------------------------------------------
    def _country(self, place: str | None) -> str | None:
        if not place:
            return None
        return self.coder.gazetteer.country(place, adjectives=False)

    def _derive(self, what: str, con, arts: list[Article]) -> list:
        out: list = []
        todo: list[Article] = []
        with self._lock:
            for a in arts:
                hit = self._cache.get((what, a.id, _digest(a)))
                if hit is None:
                    todo.append(a)
                else:
                    self._cache.move_to_end((what, a.id, _digest(a)))
        if todo:
            mentions = mentions_of(con, [a.id for a in todo])
            reader = self.claim_reader if what == "claims" else self.figure_reader
            found = reader.read(todo, mentions)
            per: dict[str, list] = {a.id: [] for a in todo}
            for item in found:
                per[item.article_id].append(item)
            with self._lock:
                for a in todo:
                    self._cache[(what, a.id, _digest(a))] = per[a.id]
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        with self._lock:
            for a in arts:
                out.extend(self._cache.get((what, a.id, _digest(a)), ()))
        return out


def _digest(a: Article) -> str:
    return hashlib.sha1((a.headline or "").encode() + b"\x1f" + a.text.encode()).hexdigest()[:12]


def articles_naming(con, place: str | None, since: str | None = None, until: str | None = None,
                    limit: int = MAX_ARTICLES) -> list[Article]:
    """Stored articles whose body or headline holds ``place`` (any case), oldest first.
    ``until`` keeps articles published up to that day (claims can only be about the past)."""
    where, params = ["TRUE"], []
    for name in [place] if place else []:
        variants = list(dict.fromkeys([name.lower(), fold(name)]))
        where.append("(" + " OR ".join(
            ["lower(text) LIKE ? OR lower(coalesce(headline, '')) LIKE ?"] * len(variants)) + ")")
        for v in variants:
            params += [f"%{_like(v)}%", f"%{_like(v)}%"]
    if since:
        where.append("CAST(published AS DATE) >= CAST(? AS DATE)")
        params.append(since)
    if until:
        where.append("CAST(published AS DATE) <= CAST(? AS DATE)")
        params.append(until)
    sql = ("SELECT id, text, headline, subheadlines, source, url, published, section, language "
           "FROM articles WHERE " + " AND ".join(where) +
           f" ORDER BY published NULLS LAST, id LIMIT {int(limit)}")
    rows = con.execute(sql, params).fetchall()
    out = []
    for r in rows:
        pub = r[6]
        if isinstance(pub, str):
            pub = datetime.fromisoformat(pub)
        subs = r[3]
        out.append(Article(id=r[0], text=r[1], headline=r[2],
                           subheadlines=json.loads(subs) if isinstance(subs, str) else (subs or []),
                           source=r[4], url=r[5], published=pub, section=r[7], language=r[8]))
    return out


def _like(text: str) -> str:
    return text.replace("\\", "").replace("%", "").replace("_", " ").strip()


def mentions_of(con, article_ids: Sequence[str]) -> dict[str, list[Mention]]:
    out: dict[str, list[Mention]] = {i: [] for i in article_ids}
    if not article_ids:
        return out
    rows = con.execute("SELECT data, event_id FROM mentions WHERE article_id IN "
                       "(SELECT unnest(?))", [list(article_ids)]).fetchall()
    for data, event_id in rows:
        m = Mention.from_dict(json.loads(data) if isinstance(data, str) else data)
        m.event_id = event_id
        out.setdefault(m.article_id, []).append(m)
    return out
