"""Running figures: cumulative counts and shares, dated and attributed.

A running figure is a count that says where a total stands ("more than 300,000 people have
died since 2011", "the death toll rose to 1,200", "about 3,000 families displaced this
week") or a share ("70 percent of former rebel territory"); a count of one event ("killing
12 people") is not one. Each becomes a ``Figure`` {quantity, qualifier, unit, what, place,
since, as_of, source, sentence}; ``figure_series`` lines them up per (what, place, since)
and flags days on which two sources disagree. Words: ``data/figures.tsv``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from dateline.coding.candidates import Candidate
from dateline.coding.numbers import NUMBER, parse_number
from dateline.control.model import Area, Figure
from dateline.control.rules import ControlRules
from dateline.dedup.rules import fold
from dateline.model import Article, Mention

QUALIFIERS = (r"more\s+than|over|at\s+least|nearly|almost|about|around|some|up\s+to|"
              r"as\s+many\s+as|roughly|approximately|an\s+estimated|close\s+to|fewer\s+than|"
              r"less\s+than|under")
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
PERFECT = re.compile(r"\b(?:have|has)\s+(?:since\s+|now\s+|so\s+far\s+|already\s+)?"
                     r"(?:been\s+)?\w+ed\b|\b(?:have|has)\s+(?:since\s+)?(?:died|fled|risen|"
                     r"climbed|reached)\b", re.IGNORECASE)
DISAGREE_RATIO = 0.05  # two figures of one day more than 5 % apart disagree


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+")
                    for w in sorted(words, key=len, reverse=True))


class FigureReader:
    """Reads running figures with a loaded ``Coder``'s parts."""

    def __init__(self, coder, rules: ControlRules | None = None):
        self.coder = coder
        self.rules = rules or ControlRules.load(getattr(coder.config, "dicts", ()))
        w = self.rules.figure_words
        self.verbs, self.nouns = w.get("verb", {}), w.get("noun", {})
        self.tolls, self.units, self.cues = w.get("toll", {}), w.get("unit", {}), w.get("cue", {})
        qual = rf"(?:(?P<qual>{QUALIFIERS})\s+)?"
        num = rf"(?P<n>{NUMBER})"
        self.count = re.compile(
            rf"\b{qual}{num}\s+(?:(?:[a-z]+|[A-Z][a-z]+)\s+){{0,2}}?"
            rf"(?P<unit>{_alt(self.units)}|{_alt(self.nouns)})\b"
            rf"(?P<rest>[^.;:]{{0,80}})", re.IGNORECASE)
        self.toll = re.compile(
            rf"\b(?P<toll>{_alt(self.tolls)})\b[^.;]{{0,40}}?\b(?:to|at|of|reached|hit|"
            rf"passed|topped|exceeded|is|was|stood\s+at|stands\s+at)\s+{qual}{num}\b",
            re.IGNORECASE)
        self.share = re.compile(
            rf"\b{qual}{num}\s*(?:percent|per\s+cent|%)\s+of\s+(?P<of>[^,.;]{{3,80}})",
            re.IGNORECASE)
        self.verb_re = re.compile(rf"\b(?:{_alt(self.verbs)})\b", re.IGNORECASE)
        self.cue_re = re.compile(rf"\b(?:{_alt(self.cues)})\b", re.IGNORECASE)
        self.prefilter = re.compile(r"\d|\b(?:hundred|thousand|million)\b", re.IGNORECASE)

    def read(self, articles: Iterable[Article],
             mentions: dict[str, Sequence[Mention]] | None = None) -> list[Figure]:
        out: list[Figure] = []
        for art in articles:
            ctx = self.coder._prepare(art)
            sents = [s for s in ctx.sentences.values() if self.prefilter.search(s.text)]
            found = [(s, f) for s in sents for f in self._sentence(ctx, s)]
            if not found:
                continue
            # attribution from the parse, for the sentences holding a figure only
            todo = list(dict.fromkeys(s.index for s, _f in found))
            docs = dict(zip(todo, self.coder.nlp.parse(
                [self.coder.parse_text(ctx.sentences[i].text) for i in todo])))
            matched_by = {}
            for s, f in found:
                doc = docs[s.index]
                if s.index not in matched_by:
                    matched_by[s.index] = self.coder.analyzer.matches(doc, [])
                f.source = self._source(ctx, s, doc, matched_by[s.index],
                                        f.start - s.start) or art.source
                ms = (mentions or {}).get(art.id, ())
                f.mention_ids = [m.id for m in ms if m.sentence_index == s.index and m.id]
                out.append(f)
        return out

    # -- one sentence -------------------------------------------------------------------
    def _sentence(self, ctx, sent) -> list[Figure]:
        text = sent.text
        out: list[Figure] = []
        taken: list[tuple[int, int]] = []
        for m in self.toll.finditer(text):
            what = self.tolls[_key(m.group("toll"))]
            f = self._figure(ctx, sent, m, what, "person", running=True)
            if f:
                out.append(f)
                taken.append(m.span())
        for m in self.share.finditer(text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            f = self._figure(ctx, sent, m, "share", "percent", running=True,
                             of=m.group("of").strip())
            if f:
                out.append(f)
                taken.append(m.span())
        for m in self.count.finditer(text):
            if any(a <= m.start("n") < b for a, b in taken):
                continue
            unit_word = _key(m.group("unit"))
            rest = m.group("rest")
            verb = self.verb_re.search(rest)
            if unit_word in self.nouns and unit_word not in self.units:
                what, unit = self.nouns[unit_word], "person"
            elif verb is not None and not re.search(r"[,(]\s*$", rest[:verb.start()]):
                what, unit = self.verbs[_key(verb.group(0))], self.units.get(unit_word, unit_word)
            elif unit_word in self.nouns:
                what, unit = self.nouns[unit_word], self.units.get(unit_word, "person")
            else:
                continue
            clause = text[m.start():m.end()]
            running = bool(self.cue_re.search(text)) or bool(PERFECT.search(clause))
            if not running:
                continue  # a count of one event ("killing 12 people"), not a running total
            f = self._figure(ctx, sent, m, what, unit, running=True)
            if f:
                out.append(f)
        return out

    def _figure(self, ctx, sent, m: re.Match, what: str, unit: str, running: bool,
                of: str | None = None) -> Figure | None:
        value = parse_number(m.group("n"))
        if value is None:
            return None
        if what != "share" and YEAR.fullmatch(m.group("n").strip()) and value < 2100 \
                and not m.group("qual"):
            return None  # "in 2011 people ..." is a year
        text = sent.text
        art = ctx.article
        published = ctx.published.isoformat() if ctx.published else None
        since, since_text, as_of = self._since(ctx, sent, m)
        place = self._place(ctx, sent, m.start())
        qual = m.group("qual")
        start = sent.start + m.start()
        return Figure(
            quantity=value, unit=unit, what=what, as_of=as_of or published,
            article_id=art.id, sentence=text, sentence_index=sent.index,
            char_start=sent.start, char_end=sent.end, text=m.group(0).strip(),
            start=start, end=sent.start + m.end(),
            qualifier=" ".join(qual.lower().split()) if qual else None, place=place,
            country=place.country if place else ctx.default_country, since=since,
            since_text=since_text, of=of, publisher=art.source, published=published,
            headline=art.headline)

    def _since(self, ctx, sent, m: re.Match) -> tuple[str | None, str | None, str | None]:
        """(since, its text, as_of) of a figure: "since 2011", "since the war began in
        2011", a bare "have since died" (the last year the story named before), "this
        week" (its first day)."""
        if ctx.published is None:
            return None, None, None
        text = sent.text
        dates = self.coder.dates.find(text, ctx.published)
        as_of = None
        for d in dates:
            lead = text[max(0, d.start - 12):d.start].lower()
            if d.text.lower().startswith("since") or lead.rstrip().endswith("since"):
                return d.date.isoformat(), d.text, None
            if d.precision == "week" or re.search(r"this|past|last", d.text, re.IGNORECASE):
                return d.date.isoformat(), d.text, None
            if d.precision == "day" and as_of is None and "as of" in lead:
                as_of = d.date.isoformat()
        since = re.search(r"\bsince\b(?P<what>[^.;]{0,60})", text, re.IGNORECASE)
        if since:
            year = YEAR.search(since.group("what"))
            if year:
                return f"{year.group(1)}-01-01", since.group(0).strip(), as_of
            # "have since died": since the last year named before the figure
            before = text[:m.start()]
            prev = ctx.sentences.get(sent.index - 1) if sent.index > 0 else None
            years = YEAR.findall(before) or (YEAR.findall(prev.text) if prev else [])
            if years:
                return f"{years[-1]}-01-01", f"since {years[-1]}", as_of
        return None, None, as_of

    def _place(self, ctx, sent, pos: int) -> Area | None:
        places = self.coder.places.find(sent.text, focus=ctx.focus)
        actor_spans = [(a.ref.start, a.ref.end) for a in ctx.actors.get(sent.index, ())
                       if a.kind not in ("country",)]
        free = [p for p in places if not any(a <= p.start < b for a, b in actor_spans)]
        if free:
            p = min(free, key=lambda p: abs(p.start - pos))
            return Area(name=p.name or p.text, country=p.country, feature=p.feature,
                        lat=p.lat, lon=p.lon, geonameid=p.geonameid, text=p.text)
        if ctx.default_country:
            p = self.coder.gazetteer.country_place(ctx.default_country)
            if p is not None:
                return Area(name=p.name or ctx.default_country, country=ctx.default_country,
                            feature="country", lat=p.lat, lon=p.lon, geonameid=p.geonameid)
        return None

    def _source(self, ctx, sent, doc, matched, offset: int) -> str | None:
        tok = next((t for t in doc if t.idx >= offset), None)
        if tok is None:
            return None
        # the figure's verb: the number's head chain up to a verb
        node = tok
        for _ in range(4):
            if node.tag_.startswith("VB") or node.head == node:
                break
            node = node.head
        cand = Candidate(token=node, start=node.idx, end=node.idx + len(node.text),
                         event_type="ASSAULT")
        try:
            self.coder.analyzer._speaker(node, cand, matched)
            att = self.coder._attribution(ctx, sent, doc, cand)
        except Exception:  # noqa: BLE001  attribution is a nicety
            return None
        if att is None:
            return None
        words = att.text
        words = re.sub(r"^according to\s+", "", words, flags=re.IGNORECASE)
        words = re.sub(r"\s+(?:said|says|reported|reports|told|added|stated)$", "", words)
        return words.strip() or None


def _key(word: str) -> str:
    return " ".join(word.lower().split())


def matches_place(fig: Figure, place: str | None, iso3: str | None = None) -> bool:
    if not place:
        return True
    key = fold(place)
    if iso3 and fig.country == iso3:
        return True
    area = fig.place
    return bool(area) and key in (fold(area.name), fold(area.within))


def figure_series(figures: Iterable[Figure], what: str | None = None,
                  place: str | None = None, iso3: str | None = None) -> list[dict[str, Any]]:
    """Figures grouped by (what, place, since year), each group ordered by as_of, with the
    days on which sources disagree."""
    groups: dict[tuple, list[Figure]] = defaultdict(list)
    for f in figures:
        if what and f.what != what:
            continue
        if not matches_place(f, place, iso3):
            continue
        where = f.country or (f.place.name if f.place else None)
        if f.what == "share":
            where = (f.place.key if f.place else where, fold(f.of or ""))
        groups[(f.what, where, (f.since or "")[:4])].append(f)
    out = []
    for (w, where, since_year), figs in sorted(groups.items(), key=lambda kv: str(kv[0])):
        figs.sort(key=lambda f: (f.as_of or "", f.article_id, f.start))
        points = [{
            "as_of": f.as_of, "quantity": f.quantity, "qualifier": f.qualifier,
            "unit": f.unit, "text": f.text, "since": f.since, "since_text": f.since_text,
            "of": f.of, "source": f.source, "publisher": f.publisher,
            "article_id": f.article_id, "headline": f.headline, "sentence": f.sentence,
            "figure_id": f.id, "mention_ids": f.mention_ids} for f in figs]
        out.append({"what": w, "place": figs[0].place.to_dict() if figs[0].place else None,
                    "country": figs[0].country, "since": since_year or None,
                    "of": figs[0].of, "points": points,
                    "disagreements": _disagreements(figs)})
    return out


def _disagreements(figs: Sequence[Figure]) -> list[dict[str, Any]]:
    by_day: dict[str, list[Figure]] = defaultdict(list)
    for f in figs:
        by_day[f.as_of or ""].append(f)
    out = []
    for day, fs in sorted(by_day.items()):
        by_source: dict[str, Figure] = {}
        for f in fs:
            by_source.setdefault(fold(f.source or f.publisher or f.article_id), f)
        if len(by_source) < 2:
            continue
        values = [f.quantity for f in by_source.values()]
        lo, hi = min(values), max(values)
        if hi > 0 and (hi - lo) / hi > DISAGREE_RATIO:
            out.append({"day": day, "figures": [
                {"quantity": f.quantity, "qualifier": f.qualifier,
                 "source": f.source or f.publisher, "article_id": f.article_id}
                for f in by_source.values()]})
    return out


def render_series(series: list[dict[str, Any]]) -> str:
    if not series:
        return "no running figures found"
    lines = []
    for g in series:
        where = (g["place"] or {}).get("name") or g["country"] or "?"
        head = f"{g['what']} · {where}"
        if g["since"]:
            head += f" · since {g['since']}"
        if g["of"]:
            head += f" · of {g['of']}"
        lines.append(head)
        for p in g["points"]:
            qty = f"{p['quantity']:,.0f}" if p["quantity"] >= 100 else f"{p['quantity']:g}"
            qual = (p["qualifier"] + " ") if p["qualifier"] else ""
            unit = "%" if p["unit"] == "percent" else p["unit"]
            src = p["source"] or p["publisher"] or "unattributed"
            since = f" (since {p['since'][:4]})" if p["since"] else ""
            lines.append(f"  {p['as_of']}  {qual}{qty} {unit}{since} — {src}: {p['sentence']}")
        for d in g["disagreements"]:
            parts = ", ".join(f"{f['quantity']:,.0f} ({f['source']})" for f in d["figures"])
            lines.append(f"  ! sources disagree on {d['day']}: {parts}")
    return "\n".join(lines)
