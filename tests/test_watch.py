"""`watch`: feeds and pages served by a local HTTP server, the real Coder, a real store file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from scale_fixtures import ipe_records, site  # noqa: F401  (fixture)

from dateline.store import Store
from dateline.watch import (
    USER_AGENT,
    Fetcher,
    HostRateLimiter,
    Watcher,
    WatchOptions,
    canonical_url,
    parse_interval,
)

RECORDS = ipe_records(8, containing="arrested")  # police news: events to code


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def _options(**kw) -> WatchOptions:
    # the fixture site is on 127.0.0.1: the tests opt in (loopback is refused by default)
    base = dict(every=60, timeout=1.0, host_interval=0.0, retry_base=300, max_attempts=3,
                allow_hosts=("127.0.0.1",))
    base.update(kw)
    return WatchOptions(**base)


def _watcher(store, coder, clock, **kw) -> Watcher:
    opts = _options(**kw)
    return Watcher(store, Fetcher.open(opts), coder, opts, clock=clock)


def _publish(site, n: int, path: str = "/feed.xml", atom: bool = False) -> str:
    items = []
    for i, rec in enumerate(RECORDS[:n]):
        link = f"/news/{rec['doc_id']}.cms"
        if site.routes.get(link) is None:
            site.add_article(link, rec)
        # relative links and tracking parameters: the watcher resolves and strips them
        items.append((f"story {i}", link + ("?utm_source=rss" if i % 2 else "")))
    return site.set_feed(path, items, atom=atom)


def _counts(store) -> tuple[int, int]:
    q = store.con.execute
    return (q("SELECT count(*) FROM articles").fetchone()[0],
            q("SELECT count(*) FROM seen_urls").fetchone()[0])


def test_new_entries_stored_once_across_cycles_and_restarts(tmp_path, site, coder):
    feed = _publish(site, 3)
    clock = Clock()
    db = tmp_path / "w.duckdb"
    with Store.open(db) as store:
        w = _watcher(store, coder, clock)
        s1 = w.cycle([feed])
        assert (s1.polled, s1.new_urls, s1.articles, s1.failed) == (1, 3, 3, 0)
        assert s1.mentions > 0  # real text, really coded
        assert store.counts()["mentions"] == s1.mentions
        texts = [r[0] for r in store.con.execute("SELECT text FROM articles").fetchall()]
        assert all("copyright" not in t.lower() and "home | city" not in t.lower() for t in texts)
        clock.advance(60)
        s2 = w.cycle([feed])  # unchanged feed: 304, nothing fetched
        assert (s2.not_modified, s2.new_urls, s2.articles) == (1, 0, 0)
        assert _counts(store) == (3, 3)
    for _path, headers in site.requests():
        assert headers["user-agent"] == USER_AGENT
    # restart: a new watcher over the same file, the feed now has two more entries
    _publish(site, 5)
    fetched_before = len([p for p, _ in site.requests() if p.startswith("/news/")])
    with Store.open(db) as store:
        w = _watcher(store, coder, clock)
        clock.advance(60)
        s3 = w.cycle([feed])
        assert (s3.new_urls, s3.articles, s3.duplicates) == (2, 2, 0)
        assert _counts(store) == (5, 5)
        fetched = [p for p, _ in site.requests() if p.startswith("/news/")]
        assert len(fetched) - fetched_before == 2  # only the new pages were fetched
        assert store.con.execute("SELECT count(DISTINCT id) FROM mentions").fetchone()[0] == \
            store.counts()["mentions"]
        clock.advance(60)
        s4 = w.cycle([feed])
        assert (s4.not_modified, s4.articles) == (1, 0)
        row = store.con.execute("SELECT kind, failures, entries_seen, articles_stored, last_status "
                                "FROM feeds WHERE url = ?", [feed]).fetchone()
        assert row == ("feed", 0, 5, 5, 304)


def test_conditional_get_sends_validators_and_handles_304(tmp_path, site, coder):
    feed = _publish(site, 1, atom=True)
    with Store.open(tmp_path / "c.duckdb") as store:
        w = _watcher(store, coder, Clock())
        w.cycle([feed])
        w.cycle([feed])
    first, second = site.requests("/feed.xml")
    assert "if-none-match" not in first[1]
    assert second[1]["if-none-match"] == site.routes["/feed.xml"].etag
    assert second[1]["if-modified-since"] == site.routes["/feed.xml"].last_modified


def test_server_error_is_retried_after_backoff_not_fatal(tmp_path, site, coder):
    feed = _publish(site, 2)
    site.routes["/feed.xml"].faults = [500, 503]
    clock = Clock()
    with Store.open(tmp_path / "e.duckdb") as store:
        w = _watcher(store, coder, clock, retry_base=100)
        s1 = w.cycle([feed])
        assert (s1.failed, s1.articles) == (1, 0) and "HTTP 500" in s1.errors[0]
        clock.advance(50)  # inside the backoff: not polled at all
        s2 = w.cycle([feed])
        assert (s2.skipped, s2.polled) == (1, 0)
        assert len(site.requests("/feed.xml")) == 1
        clock.advance(60)
        s3 = w.cycle([feed])  # second failure: the backoff doubles
        assert s3.failed == 1
        nxt = store.con.execute("SELECT next_attempt, failures FROM feeds").fetchone()
        assert nxt == (clock.now + timedelta(seconds=200), 2)
        clock.advance(200)
        s4 = w.cycle([feed])
        assert (s4.failed, s4.articles) == (0, 2)
        assert store.con.execute("SELECT failures, last_error FROM feeds").fetchone() == (0, None)


def test_article_timeout_and_error_retried_while_feed_unchanged(tmp_path, site, coder):
    feed = _publish(site, 3)
    first, second = (f"/news/{RECORDS[i]['doc_id']}.cms" for i in (0, 1))
    site.routes[first].faults = ["timeout"]
    site.routes[second].faults = [500]
    site.stall = 2.5
    clock = Clock()
    with Store.open(tmp_path / "t.duckdb") as store:
        w = _watcher(store, coder, clock, timeout=0.5, retry_base=30)
        s1 = w.cycle([feed])
        assert (s1.articles, s1.fetch_failed, s1.failed) == (1, 2, 0)
        assert any("timeout" in e for e in s1.errors)
        status = dict(store.con.execute("SELECT url, status FROM seen_urls").fetchall())
        assert sorted(status.values()) == ["retry", "retry", "stored"]
        clock.advance(60)
        s2 = w.cycle([feed])  # the feed answers 304, the two failed pages are fetched again
        assert (s2.not_modified, s2.articles, s2.fetch_failed) == (1, 2, 0)
        assert _counts(store) == (3, 3)
        assert {r[0] for r in store.con.execute("SELECT status FROM seen_urls").fetchall()} == {"stored"}


def test_coder_or_dedup_failure_is_retried_not_lost(tmp_path, site, coder):
    from scale_fixtures import FlakyCoder

    from dateline.dedup import update_events

    calls = []

    def dedup_failing_once(store, article_ids=None):
        calls.append(list(article_ids))
        if len(calls) == 1:
            raise RuntimeError("dedup down")
        return update_events(store, article_ids=article_ids)

    feed = _publish(site, 2)
    page = site.add_article("/single.cms", RECORDS[6])
    clock = Clock()
    with Store.open(tmp_path / "f.duckdb") as store:
        opts = _options(retry_base=30)
        w = Watcher(store, Fetcher.open(opts), FlakyCoder(str(tmp_path / "once"), coder=coder), opts,
                    clock=clock, update_events=dedup_failing_once)
        s1 = w.cycle([feed, page])  # the coder fails: nothing stored, nothing lost
        assert (s1.articles, s1.new_urls) == (0, 2) and "storing failed" in s1.errors[0]
        clock.advance(60)
        s2 = w.cycle([feed, page])  # read again, stored; dedup fails, the articles stay
        assert s2.articles == 3 and any("dedup failed" in e for e in s2.errors)
        assert store.con.execute("SELECT count(*) FROM mentions WHERE event_id IS NULL").fetchone()[0] > 0
        clock.advance(60)
        _publish(site, 3)
        s3 = w.cycle([feed, page])  # the next new article: events for it and the three before
        assert s3.articles == 1 and not s3.errors
        assert len(calls[-1]) == 4
        assert store.con.execute("SELECT count(*) FROM mentions WHERE event_id IS NULL").fetchone()[0] == 0
        assert store.counts()["articles"] == 4


def test_gone_pages_refused_connections_and_unknown_hosts(tmp_path, site, coder):
    import socket

    feed = site.set_feed("/feed.xml", [("missing", "/news/none.cms")])
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    dead = f"http://127.0.0.1:{sock.getsockname()[1]}/rss"  # nothing listens: refused
    sock.close()
    unknown = "http://dateline-test.invalid/rss"  # a reserved name: DNS says no such host
    with Store.open(tmp_path / "g.duckdb") as store:
        w = _watcher(store, coder, Clock())
        s = w.cycle([dead, unknown, feed])
        assert (s.failed, s.fetch_failed, s.articles) == (2, 1, 0)
        assert store.con.execute("SELECT status FROM seen_urls").fetchone() == ("gone",)
        errors = dict(store.con.execute("SELECT url, last_error FROM feeds WHERE failures = 1").fetchall())
        assert set(errors) == {dead, unknown} and all("ConnectError" in e for e in errors.values())


def test_article_url_watched_directly(tmp_path, site, coder):
    page = site.add_article("/live/story.cms", RECORDS[5])
    clock = Clock()
    with Store.open(tmp_path / "p.duckdb") as store:
        w = _watcher(store, coder, clock)
        assert w.cycle([page]).articles == 1
        clock.advance(60)
        s2 = w.cycle([page])
        assert (s2.not_modified, s2.articles) == (1, 0)
        # the same article under a second URL: fetched, but not stored again
        twin = site.url("/mirror/story.cms")
        site.routes["/mirror/story.cms"] = site.routes["/live/story.cms"]
        s3 = w.cycle([page, twin])
        assert (s3.articles, s3.duplicates) == (0, 1)
        assert store.counts()["articles"] == 1
        assert store.con.execute("SELECT kind FROM feeds WHERE url = ?", [page]).fetchone() == ("page",)


def test_run_loop_stops_after_max_cycles(tmp_path, site):
    feed = _publish(site, 1)
    sleeps = []
    with Store.open(tmp_path / "r.duckdb") as store:
        w = _watcher(store, None, Clock(), every=30)  # no coder: stored uncoded
        summaries = list(w.run([feed], max_cycles=3, sleep=sleeps.append))
        assert [s.cycle for s in summaries] == [1, 2, 3]
        assert len(sleeps) == 2 and all(0 < s <= 30 for s in sleeps)
        assert store.con.execute("SELECT coded FROM articles").fetchall() == [(False,)]
        assert list(w.run([feed], once=True, sleep=sleeps.append))[0].cycle == 4


def test_rate_limiter_spaces_requests_per_host():
    t = [0.0]
    slept = []

    def sleep(s: float) -> None:
        slept.append(round(s, 3))
        t[0] += s

    lim = HostRateLimiter(2.0, clock=lambda: t[0], sleep=sleep)
    lim.wait("http://a.example/1")
    lim.wait("http://b.example/1")  # another host: no wait
    t[0] += 0.5
    lim.wait("http://a.example/2")
    assert slept == [1.5]


def test_intervals_and_urls():
    assert parse_interval("15m") == 900 and parse_interval("30s") == 30
    assert parse_interval("2h") == 7200 and parse_interval("90") == 90
    for bad in ("", "soon", "-5m", "0"):
        with pytest.raises(ValueError):
            parse_interval(bad)
    assert canonical_url("HTTP://News.Example/a?id=3&utm_source=rss#top") == "http://news.example/a?id=3"


def test_cli_watch_once(tmp_path, site):
    from typer.testing import CliRunner

    from dateline.cli import app

    feed = _publish(site, 2)
    db = str(tmp_path / "cli.duckdb")
    args = ["watch", feed, "--db", db, "--once", "--no-code", "--host-interval", "0",
            "--allow-host", "127.0.0.1"]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "stored 2 articles" in res.output
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0 and "stored 0 articles" in res.output and "not modified 1" in res.output
    with Store.open(db) as store:
        assert store.counts()["articles"] == 2
