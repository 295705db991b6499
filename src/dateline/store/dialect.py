"""The two SQL dialects of the store: DuckDB (the embedded default) and PostgreSQL.

The store, the query layer and dedup write their SQL once, in DuckDB's dialect. Running it
on PostgreSQL needs three kinds of help, all kept here or in ``pg.py``:

- the PostgreSQL connection adapter (``pg.PgConnection``) rewrites what is only spelling:
  ``?`` placeholders become ``%s`` (``%`` doubled), and ``unnest(?)`` of a Python list is
  typed ``VARCHAR[]``;
- DuckDB functions the queries use are defined once per PostgreSQL database as small SQL
  functions (``PG_COMPAT``: ``contains``, ``strip_accents``, ``list_has``, ``len``…), so
  the query text stays the same;
- the few constructs with no such stand-in (DuckDB lambdas) go through ``any_element``,
  and bulk paths (Arrow in DuckDB, COPY in PostgreSQL) are chosen by ``is_postgres``.

Migrations are DuckDB DDL; ``pg_ddl`` maps its two type names PostgreSQL lacks.
"""

from __future__ import annotations

import re
from typing import Any

DUCKDB = "duckdb"
POSTGRES = "postgres"

PG_PREFIXES = ("postgresql://", "postgres://")


def location(path: Any) -> str:
    """A --db value as text: a path, or a DSN (a Path collapses ``//`` after the scheme:
    ``postgresql:/user@host/db`` is put right)."""
    text = str(path)
    m = re.match(r"^(postgres(?:ql)?):/(?!/)", text)
    return f"{m.group(1)}://{text[m.end():]}" if m else text


def is_dsn(path: Any) -> bool:
    """Whether a --db value names a PostgreSQL database rather than a DuckDB file."""
    return isinstance(path, str) and path.startswith(PG_PREFIXES)


def dialect_of(con: Any) -> str:
    """``postgres`` for the PostgreSQL adapter, else ``duckdb`` (a DuckDB connection or
    cursor, or the shared DuckDB connection of ``share.py``)."""
    con = getattr(con, "con", con)  # a Store
    return getattr(con, "dialect", DUCKDB)


def is_postgres(con: Any) -> bool:
    return dialect_of(con) == POSTGRES


def any_element(dialect: str, list_sql: str, var: str, cond: str) -> str:
    """True when some element ``var`` of the list ``list_sql`` satisfies ``cond`` (which
    names it ``var``): a DuckDB lambda, a PostgreSQL EXISTS over unnest."""
    if dialect == POSTGRES:
        return f"EXISTS (SELECT 1 FROM unnest({list_sql}) AS _l({var}) WHERE {cond})"
    return f"len(list_filter({list_sql}, lambda {var}: {cond})) > 0"


def pg_ddl(sql: str) -> str:
    """A migration's DuckDB DDL in PostgreSQL's spelling."""
    sql = re.sub(r"\bDOUBLE\b(?!\s+PRECISION)", "DOUBLE PRECISION", sql)
    return re.sub(r"\bTINYINT\b", "SMALLINT", sql)


# DuckDB functions the queries use, as PostgreSQL SQL functions (inlined by the planner).
# strip_accents: decompose, drop combining marks, recompose -- what DuckDB does (utf8proc).
PG_COMPAT_VERSION = 4
PG_COMPAT = r"""
CREATE OR REPLACE FUNCTION dateline_compat() RETURNS integer
    LANGUAGE sql IMMUTABLE AS 'SELECT 4';
-- query.search_ready asks whether any event lacks its search columns: an index of just
-- those (empty once they are filled) answers without scanning the table
CREATE INDEX IF NOT EXISTS events_search_missing ON events (id)
    WHERE search_text IS NULL OR actor_keys IS NULL;
-- the default order of `events` (newest first): a page is an index scan, not a sort; and
-- the same order within a type or a country, the commonest filters (a row store reads
-- only the rows of the page's type or country instead of scanning the table)
CREATE INDEX IF NOT EXISTS events_date_desc ON events (date DESC NULLS LAST, id DESC);
CREATE INDEX IF NOT EXISTS events_type_date ON events
    (event_type, date DESC NULLS LAST, id DESC);
CREATE INDEX IF NOT EXISTS events_country_date ON events
    (country, date DESC NULLS LAST, id DESC);
CREATE INDEX IF NOT EXISTS events_lat ON events (lat);
CREATE INDEX IF NOT EXISTS articles_newest ON articles
    ((coalesce(published, TIMESTAMPTZ '0001-01-01 00:00:00+00')) DESC, id DESC);
CREATE OR REPLACE FUNCTION contains(text, text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT strpos($1, $2) > 0';
CREATE OR REPLACE FUNCTION strip_accents(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
    $$SELECT normalize(regexp_replace(normalize($1, NFD),
        '[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]', '', 'g'), NFC)$$;
CREATE OR REPLACE FUNCTION list_has(anyarray, anyelement) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT $2 = ANY($1)';
CREATE OR REPLACE FUNCTION list_has_any(anyarray, anyarray) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT $1 && $2';
CREATE OR REPLACE FUNCTION len(anyarray) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT cardinality($1)';
CREATE OR REPLACE FUNCTION list_distinct(anyarray) RETURNS anyarray
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
    'SELECT ARRAY(SELECT DISTINCT x FROM unnest($1) AS u(x) WHERE x IS NOT NULL ORDER BY x)';
CREATE OR REPLACE FUNCTION list_concat(anyarray, anyarray, anyarray) RETURNS anyarray
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT $1 || $2 || $3';
CREATE OR REPLACE FUNCTION strftime(date, text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
    $$SELECT to_char($1, replace(replace(replace($2, '%Y', 'YYYY'), '%m', 'MM'), '%d', 'DD'))$$;
CREATE OR REPLACE FUNCTION json_valid(json) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT $1 IS NOT NULL';
"""

_UNNEST = re.compile(r"unnest\(\s*\?\s*\)", re.IGNORECASE)


def _pg_text(sql: str, with_params: bool) -> str:
    sql = _UNNEST.sub("unnest(?::VARCHAR[])", sql)
    if not with_params:
        return sql
    out: list[str] = []
    quote: str | None = None
    for ch in sql:
        if quote:
            if ch == quote:
                quote = None
            out.append("%%" if ch == "%" else ch)
        elif ch in ("'", '"'):
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        else:
            out.append(ch)
    return "".join(out)


_CACHE: dict[tuple[str, bool], str] = {}


def pg_text(sql: str, with_params: bool) -> str:
    """DuckDB-spelt SQL (``?`` placeholders) as psycopg wants it (``%s``)."""
    key = (sql, with_params)
    text = _CACHE.get(key)
    if text is None:
        text = _pg_text(sql, with_params)
        if len(_CACHE) < 4096:
            _CACHE[key] = text
    return text
