"""The fuzz targets: what each one generates, what it calls, and which invariant it checks.

A ``Target`` builds its state once (``setup``: a read context and an in-memory store, the
date resolver, or the real coder) and then ``run(state, example)`` per generated example.
``hypothesis_test`` wraps a target into a hypothesis test counting the inputs it tried.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from . import checks
from .strategies import Strategies


@dataclass
class ReaderState:
    ctx: Any
    store: Any

    @classmethod
    def create(cls) -> ReaderState:
        from dateline.ingest import ReadContext
        from dateline.store import Store

        return cls(ReadContext.create(), Store.open(":memory:"))

    def close(self) -> None:
        self.store.close()


def _reader(fn_name: str | None) -> Callable[[ReaderState, tuple], int]:
    """Run one reader (``None``: sniffing ``read_bytes``) on (name, bytes[, records]) and
    check what it gives; with ``records``, that each record became an article or an error."""
    def run(state: ReaderState, example: tuple) -> int:
        import dateline.ingest as ingest

        name, data, *expected = example
        if fn_name is None:
            items = ingest.read_bytes(data, name, state.ctx)
        elif fn_name == "read_text":
            items = ingest.read_text(data, name, state.ctx, reference=datetime(2016, 12, 7))
        else:
            items = getattr(ingest, fn_name)(data, name, state.ctx)
        items = list(items)
        arts = checks.check_read_items(items, name)
        if expected and expected[0] is not None:  # its records, each to be accounted for
            checks.check_accounted(items, expected[0])
        checks.check_store_round_trip(state.store, arts)
        return len(arts)
    return run


@dataclass
class DateState:
    resolver: Any

    @classmethod
    def create(cls) -> DateState:
        from dateline.coding.dates import DateResolver

        return cls(DateResolver())

    def close(self) -> None:
        pass


def _dates(state: DateState, example: tuple[str, date | datetime, bool | None]) -> int:
    text, published, future = example
    refs = state.resolver.find(text, published, future=future)
    s = state.resolver.settings
    checks.check_date_refs(refs, text, s.min_year, s.max_year)
    return len(refs)


@dataclass
class CoderState:
    coder: Any

    @classmethod
    def create(cls) -> CoderState:
        from dateline.coding import Coder
        from dateline.config import Config

        return cls(Coder.from_config(Config()))

    def close(self) -> None:
        pass


def _coder(state: CoderState, example: Any) -> int:
    [(art, mentions)] = list(state.coder.code_articles([example]))
    assert art is example
    checks.check_mentions(art, mentions)
    return len(mentions)


@dataclass(frozen=True)
class Target:
    name: str
    what: str
    strategy: Callable[[Strategies], st.SearchStrategy]
    setup: Callable[[], Any]
    run: Callable[[Any, Any], int]  # checks one example; how many outputs it gave
    output: str = "articles"  # what run counts
    heavy: bool = False  # loads the coder (about 10 s)


TARGETS: dict[str, Target] = {t.name: t for t in [
    Target("reader_text", "read_text on text in many encodings", lambda s: s.text_file,
           ReaderState.create, _reader("read_text")),
    Target("reader_html", "read_html on random HTML trees", lambda s: s.html_file,
           ReaderState.create, _reader("read_html")),
    Target("reader_feed", "read_feed on RSS/Atom documents", lambda s: s.feed_file,
           ReaderState.create, _reader("read_feed")),
    Target("reader_jsonl", "read_jsonl on JSON Lines and JSON arrays", lambda s: s.jsonl_file,
           ReaderState.create, _reader("read_jsonl")),
    Target("reader_warc", "read_warc on WARC files written by warcio", lambda s: s.warc_file,
           ReaderState.create, _reader("read_warc")),
    Target("reader_any", "read_bytes (sniffing) on any format, packed in .gz/.zip and damaged",
           lambda s: s.reader_input, ReaderState.create, _reader(None)),
    Target("dates", "DateResolver.find on news text with date expressions",
           lambda s: s.date_examples, DateState.create, _dates, output="dates"),
    Target("coder", "Coder.code_articles on news-like articles", lambda s: s.articles,
           CoderState.create, _coder, output="mentions", heavy=True),
]}


@dataclass
class Tally:
    """Inputs tried and failures met by one target."""

    tried: int = 0
    outputs: int = 0  # articles read, dates found, mentions coded
    failures: list[str] = field(default_factory=list)


def hypothesis_test(target: Target, state: Any, strategies: Strategies, tally: Tally,
                    max_examples: int, seed: int | None = None) -> Callable[[], None]:
    """A zero-argument hypothesis test running ``target`` on ``max_examples`` inputs."""
    def body(example: Any) -> None:
        tally.tried += 1
        tally.outputs += target.run(state, example)

    test = given(target.strategy(strategies))(body)
    test = settings(max_examples=max_examples, deadline=None, database=None,
                    derandomize=False, print_blob=True,
                    suppress_health_check=list(HealthCheck))(test)
    if seed is not None:
        from hypothesis import seed as with_seed

        test = with_seed(seed)(test)
    return test
