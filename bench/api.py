"""Query latency: five typical /events queries over HTTP (uvicorn on 127.0.0.1, a separate
process started with `dateline serve`) and the same queries straight on DuckDB through the
query layer, in one run, over 1,000,000 synthetic events (quick: 50,000).

The events (plus one mention each and an article per four events) are generated inside
DuckDB with SQL, in the exact table layout dedup writes (``data`` = ``Event.to_dict()``
JSON), over twelve years in date order (as a store fed day by day holds them). Figures:
p50 / p99 milliseconds per query, and the HTTP/direct ratio of p50 and p99 (the HTTP side
pays for uvicorn, the ASGI app and the client, the direct side calls
``dateline.query.search_events``). ``python -m bench.api [--quick]``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUERIES = {
    "latest": {},
    "aleppo_assaults": {"type": "ASSAULT", "place": "Aleppo", "since": "2016-12",
                        "until": "2016-12", "min_sources": "3"},
    "rus_usa_accusations": {"actor": "RUS", "recipient": "USA", "type": "ACCUSE",
                            "since": "2020"},
    "near_aleppo": {"near": "36.2,37.16,50", "since": "2018-01", "sort": "-sources"},
    "text_ceasefire": {"q": "ceasefire", "country": "SYR", "since": "2024-01"},
}

EVENT_COLUMNS = (
    "id", "event_type", "quad_class", "cameo", "mode", "actor_codes", "actor_countries",
    "actor_sectors", "actor_names", "recipient_codes", "recipient_countries",
    "recipient_sectors", "recipient_names", "date", "date_start", "date_end", "place",
    "country", "admin1", "lat", "lon", "dead", "injured", "arrested", "size_disputed",
    "negated", "modality", "num_mentions", "num_articles", "num_sources", "first_seen",
    "last_seen", "confidence", "sentence", "data",
)
_TYPES = [  # event_type, quad, cameo, mode, weight
    ("ASSAULT", 4, "190", "firearms", 6), ("ASSAULT", 4, "195", "aerial", 3),
    ("ACCUSE", 3, "112", "allege", 4), ("CONSULT", 1, "040", None, 4),
    ("COERCE", 4, "173", "arrest", 3), ("PROTEST", 4, "141", "demonstrate", 3),
    ("AID", 2, "073", None, 2), ("REJECT", 3, "120", None, 2), ("THREATEN", 3, "138", None, 1),
    ("AGREE", 1, "057", None, 1), ("SANCTION", 4, "163", "embargo", 1),
    ("REQUEST", 3, "020", None, 1), ("SUPPORT", 1, "051", None, 1),
    ("MOBILIZE", 4, "150", "troops", 1), ("COOPERATE", 2, "060", None, 1),
    ("RETREAT", 2, "0874", None, 1),
]
_ACTORS = [  # code, name
    ("SYRMIL", "Syrian Arab Army"), ("SYRREB", "Syrian rebels"), ("SYRGOV", "Damascus"),
    ("RUSGOV", "Sergei Lavrov"), ("RUSMIL", "Russian Armed Forces"), ("USAGOV", "Washington"),
    ("USAMIL", "US forces"), ("CHNGOV", "Beijing"), ("TURMIL", "Turkish army"),
    ("TURGOV", "Ankara"), ("IRNGOV", "Tehran"), ("ISRMIL", "Israeli army"),
    ("UKRMIL", "Ukrainian forces"), ("UKRGOV", "Kyiv"), ("INDCOP", "Gujarat Police"),
    ("INDCVL", "villagers"), ("FRACVL", "French protesters"), ("GBRGOV", "London"),
    ("DEUGOV", "Berlin"), ("IRQMIL", "Iraqi forces"), ("IRQGOV", "Baghdad"),
    ("LBNREB", "Hezbollah"), ("EGYGOV", "Cairo"), ("SAUGOV", "Riyadh"),
    ("YEMREB", "Houthi rebels"), ("AFGREB", "Taliban"), ("PAKMIL", "Pakistani army"),
    ("NGAMIL", "Nigerian army"), ("MLIMIL", "Malian army"), ("SDNMIL", "Sudanese army"),
]
_PLACES = [  # name, iso3, admin1, lat, lon, geonameid
    ("Aleppo", "SYR", "09", 36.20124, 37.16117, 170063),
    ("Idlib", "SYR", "12", 35.93062, 36.63393, 169389),
    ("Damascus", "SYR", "13", 33.5102, 36.29128, 170654),
    ("Homs", "SYR", "11", 34.72682, 36.72339, 169577),
    ("Azaz", "SYR", "09", 36.58662, 37.04628, 171451),
    ("Mosul", "IRQ", "15", 36.335, 43.11889, 99072),
    ("Baghdad", "IRQ", "07", 33.34058, 44.40088, 98182),
    ("Moscow", "RUS", "48", 55.75222, 37.61556, 524901),
    ("Geneva", "CHE", "GE", 46.20222, 6.14569, 2660646),
    ("Washington", "USA", "DC", 38.89511, -77.03637, 4140963),
    ("Kyiv", "UKR", "12", 50.45466, 30.5238, 703448),
    ("Kharkiv", "UKR", "07", 49.98081, 36.25272, 706483),
    ("Ahmedabad", "IND", "09", 23.02579, 72.58727, 1279233),
    ("Paris", "FRA", "11", 48.85341, 2.3488, 2988507),
    ("Sanaa", "YEM", "26", 15.35472, 44.20667, 71137),
    ("Kabul", "AFG", "13", 34.52813, 69.17233, 1138958),
    ("Beirut", "LBN", "04", 33.89332, 35.50157, 276781),
    ("Gaza", "PSE", "GZ", 31.50161, 34.46672, 281133),
]
_WORDS = ["ceasefire", "talks", "shelling", "convoy", "border", "sanctions", "protest",
          "arrests", "aid", "offensive", "election", "negotiations", "airstrike", "siege",
          "withdrawal", "refugees", "curfew", "checkpoint", "hostages", "truce"]


def _values(rows: list[tuple]) -> str:
    def lit(v: object) -> str:
        if v is None:
            return "NULL"
        if isinstance(v, str):
            return "'" + v.replace("'", "''") + "'"
        return repr(v)
    return ", ".join("(" + ", ".join(lit(v) for v in (i, *row)) + ")" for i, row in enumerate(rows))


def generate(store, n: int) -> None:
    """Fill ``store`` with ``n`` events, ``n`` mentions and ``n // 4`` articles, in SQL,
    then compute the search column (as ``dateline serve`` does at start)."""
    from dateline.query import refresh_search

    con = store.con
    weights = []
    for i, t in enumerate(_TYPES):
        weights += [i] * t[4]
    for name, rows, columns in (
            ("b_types", [t[:4] for t in _TYPES], "k, event_type, quad, cameo, mode"),
            ("b_wt", [(w,) for w in weights], "k, tk"),
            ("b_actors", _ACTORS, "k, code, name"),
            ("b_places", _PLACES, "k, name, country, admin1, lat, lon, geonameid"),
            ("b_words", [(w,) for w in _WORDS], "k, word")):
        con.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM (VALUES {_values(rows)}) "
                    f"t({columns})")
    nw, na, npl, nwd = len(weights), len(_ACTORS), len(_PLACES), len(_WORDS)
    con.execute(f"""
        CREATE TEMP TABLE b_ev AS
        WITH g AS (
            SELECT i,
                   printf('%016x', hash(i, 'event')) AS id,
                   printf('%016x', hash(i // 4, 'article')) AS article_id,
                   printf('%016x', hash(i, 'mention')) AS mention_id,
                   hash(i, 'type') % {nw} AS wk,
                   hash(i, 'actor') % {na} AS ak,
                   (hash(i, 'actor') % {na} + 1 + hash(i, 'recipient') % {na - 1}) % {na} AS rk,
                   hash(i, 'place') % {npl + npl // 4} AS pk,
                   hash(i, 'word') % {nwd} AS wdk,
                   DATE '2013-01-01' + CAST(i * 4380 // {n} AS INTEGER) AS day,
                   CAST(hash(i, 'sources') % 100 AS INTEGER) AS s100,
                   round((hash(i, 'conf') % 800) / 1000.0 + 0.2, 3) AS conf
            FROM range({n}) r(i))
        SELECT g.*, t.event_type, t.quad, t.cameo, t.mode,
               a.code AS acode, a.name AS aname, rc.code AS rcode, rc.name AS rname,
               p.name AS pname, p.country AS pcountry, p.admin1, p.lat, p.lon, p.geonameid,
               w.word,
               CASE WHEN s100 < 50 THEN 1 WHEN s100 < 75 THEN 2 WHEN s100 < 88 THEN 3
                    WHEN s100 < 95 THEN 4 ELSE 5 + s100 % 4 END AS sources,
               'Report ' || i || ': ' || a.name || ' and ' || rc.name || ' near ' ||
                   coalesce(p.name, 'an unnamed place') || ' amid ' || w.word || '.' AS sentence
        FROM g JOIN b_wt wt ON wt.k = g.wk JOIN b_types t ON t.k = wt.tk
        JOIN b_actors a ON a.k = g.ak JOIN b_actors rc ON rc.k = g.rk
        LEFT JOIN b_places p ON p.k = g.pk JOIN b_words w ON w.k = g.wdk
        ORDER BY i
    """)
    ref = ("struct_pack(text := {n}, name := {n}, code := {c}, country := {c}[1:3], "
           "sector := {c}[4:6], start := NULL::INTEGER, \"end\" := NULL::INTEGER)")
    actor, recipient = ref.format(n="aname", c="acode"), ref.format(n="rname", c="rcode")
    location = ("CASE WHEN pname IS NULL THEN NULL ELSE struct_pack(text := pname, "
                "name := pname, country := pcountry, admin1 := admin1, lat := lat, lon := lon, "
                "geonameid := geonameid, feature := 'city', start := NULL::INTEGER, "
                "\"end\" := NULL::INTEGER) END")
    iso_day = "strftime(day, '%Y-%m-%d')"
    seen = "strftime(day::TIMESTAMP + INTERVAL 9 HOUR, '%Y-%m-%dT%H:%M:%S+00:00')"
    con.execute("BEGIN TRANSACTION")
    con.execute("""
        INSERT INTO articles (id, source, url, published, headline, subheadlines, authors,
                              language, text, origin, coded)
        SELECT article_id, 'Source ' || (hash(article_id) % 40), 'https://news.example/' ||
               article_id, min(day)::TIMESTAMP + INTERVAL 9 HOUR, 'Headline ' || article_id,
               '[]', '[]', 'en', string_agg(sentence, '\n\n' ORDER BY i), 'bench', TRUE
        FROM b_ev GROUP BY article_id
    """)
    con.execute(f"""
        INSERT INTO mentions (id, article_id, sentence_index, char_start, char_end, sentence,
            event_type, mode, cameo, quad_class, actor_codes, actor_countries, recipient_codes,
            recipient_countries, negated, modality, date, date_precision, place, country, lat,
            lon, dead, confidence, event_id, data)
        SELECT mention_id, article_id, CAST(i % 4 AS INTEGER), 0, length(sentence), sentence,
            event_type, mode, cameo, quad, [acode], [acode[1:3]], [rcode], [rcode[1:3]], FALSE,
            'asserted', day, 'day', pname, pcountry, lat, lon, NULL, conf, id,
            to_json(struct_pack(article_id := article_id, sentence := sentence,
                sentence_index := CAST(i % 4 AS INTEGER), char_start := 0,
                char_end := length(sentence), event_type := event_type, cameo := cameo,
                quad_class := quad, confidence := conf, mode := mode, context := NULL,
                actor := [{actor}], recipient := [{recipient}], negated := FALSE,
                modality := 'asserted', date := {iso_day}, date_text := NULL,
                date_precision := 'day', location := {location}, size := MAP {{}},
                quantities := [], attribution := NULL, trigger := NULL, trigger_start := NULL,
                trigger_end := NULL, date_start := NULL, date_end := NULL, id := mention_id,
                event_id := id))
        FROM b_ev ORDER BY i
    """)
    columns = ", ".join(EVENT_COLUMNS)
    con.execute(f"""
        INSERT INTO events ({columns})
        SELECT id, event_type, quad, cameo, mode, [acode], [acode[1:3]], [acode[4:6]], [aname],
            [rcode], [rcode[1:3]], [rcode[4:6]], [rname], day, day, day, pname, pcountry,
            admin1, lat, lon, NULL, NULL, NULL, FALSE, FALSE, 'asserted', sources, sources,
            sources, day::TIMESTAMP + INTERVAL 9 HOUR, day::TIMESTAMP + INTERVAL 9 HOUR, conf,
            sentence,
            to_json(struct_pack(id := id, event_type := event_type, quad_class := quad,
                cameo := cameo, mode := mode, actor_codes := [acode], recipient_codes := [rcode],
                actors := [{actor}], recipients := [{recipient}], date := {iso_day},
                date_start := {iso_day}, date_end := {iso_day}, location := {location},
                size := MAP {{}}, size_disputed := FALSE, negated := FALSE,
                modality := 'asserted', num_mentions := sources, num_articles := sources,
                num_sources := sources, first_seen := {seen}, last_seen := {seen},
                confidence := conf, sentence := sentence, mention_ids := [mention_id]))
        FROM b_ev ORDER BY i
    """)
    con.execute("COMMIT")
    refresh_search(store)
    for t in ("b_ev", "b_types", "b_wt", "b_actors", "b_places", "b_words"):
        con.execute(f"DROP TABLE {t}")
    con.execute("CHECKPOINT")


def _percentiles(samples: list[float]) -> dict[str, float]:
    s = sorted(samples)
    return {"p50_ms": round(statistics.median(s) * 1e3, 2),
            "p99_ms": round(s[min(len(s) - 1, int(round(0.99 * (len(s) - 1))))] * 1e3, 2)}


def _time_direct(path: str, reps: int) -> dict[str, dict]:
    from dateline.query import EventQuery, search_events
    from dateline.store import Store

    out = {}
    store = Store.open(path, read_only=True)
    try:
        for name, params in QUERIES.items():
            query = EventQuery.parse(params)
            for _ in range(3):
                search_events(store, query, raw=True)
            samples, cpu, count = [], [], 0
            for _ in range(reps):
                t, c = time.perf_counter(), time.process_time()
                page = search_events(store, query, raw=True)
                samples.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
                count = len(page.items)
            out[name] = {**_percentiles(samples), "rows": count,
                         "cpu_p50_ms": round(statistics.median(cpu) * 1e3, 2)}
    finally:
        store.close()
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _time_http(path: str, reps: int) -> dict[str, dict]:
    import httpx

    port = _free_port()
    cmd = [sys.executable, "-c", "from dateline.cli import main; main()", "serve", "--db", path,
           "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    env = {**os.environ, "DATELINE_API_KEY": ""}
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    out = {}
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            deadline = time.time() + 120
            while True:
                try:
                    if client.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if server.poll() is not None or time.time() > deadline:
                    raise RuntimeError("server did not start: " +
                                       (server.stderr.read() or b"").decode()[-2000:])
                time.sleep(0.2)
            for name, params in QUERIES.items():
                for _ in range(3):
                    client.get("/events", params=params).raise_for_status()
                samples, count = [], 0
                for _ in range(reps):
                    t = time.perf_counter()
                    r = client.get("/events", params=params)
                    samples.append(time.perf_counter() - t)
                    r.raise_for_status()
                    count = r.json()["count"]
                out[name] = {**_percentiles(samples), "rows": count}
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return out


def run(quick: bool = False) -> dict:
    from dateline.store import Store

    n = 50_000 if quick else 1_000_000
    reps = 30 if quick else 100
    folder = Path(tempfile.mkdtemp(prefix="dateline-bench-api-"))
    path = str(folder / "bench.duckdb")
    try:
        t = time.perf_counter()
        store = Store.open(path)
        generate(store, n)
        counts = store.counts()
        store.close()
        load_s = time.perf_counter() - t
        direct = _time_direct(path, reps)
        http = _time_http(path, reps)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    queries = {}
    for name in QUERIES:
        d, h = direct[name], http[name]
        queries[name] = {
            "rows": h["rows"], "direct_p50_ms": d["p50_ms"], "direct_p99_ms": d["p99_ms"],
            "direct_cpu_p50_ms": d["cpu_p50_ms"],
            "http_p50_ms": h["p50_ms"], "http_p99_ms": h["p99_ms"],
            "http_over_direct_p50": round(h["p50_ms"] / max(d["p50_ms"], 1e-3), 2),
            "http_over_direct_p99": round(h["p99_ms"] / max(d["p99_ms"], 1e-3), 2),
        }
    result = {
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "events": counts["events"], "mentions": counts["mentions"],
        "articles": counts["articles"], "load_seconds": round(load_s, 1), "reps": reps,
        "queries": queries,
        "worst_http_p99_ms": max(q["http_p99_ms"] for q in queries.values()),
        "worst_http_over_direct_p99": max(q["http_over_direct_p99"] for q in queries.values()),
    }
    print(f"api: {result['events']:,} events loaded in {result['load_seconds']} s; "
          f"{reps} runs per query; load average {result['load_average']} on "
          f"{result['cpus']} cpus (CPU time per direct query shows the work itself)")
    print(f"  {'query':22} {'rows':>5} {'direct p50':>11} {'p99':>8} {'cpu':>7} {'http p50':>9} "
          f"{'p99':>8} {'http/direct p50':>16} {'p99':>6}")
    for name, q in queries.items():
        print(f"  {name:22} {q['rows']:>5} {q['direct_p50_ms']:>9.1f}ms "
              f"{q['direct_p99_ms']:>6.1f}ms {q['direct_cpu_p50_ms']:>5.1f}ms "
              f"{q['http_p50_ms']:>7.1f}ms {q['http_p99_ms']:>6.1f}ms "
              f"{q['http_over_direct_p50']:>15.2f}x {q['http_over_direct_p99']:>5.2f}x")
    print(f"  aim: p99 < 100 ms (worst {result['worst_http_p99_ms']} ms), HTTP overhead < 2x "
          f"(worst p99 ratio {result['worst_http_over_direct_p99']}x)")
    return result


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
