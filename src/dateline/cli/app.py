"""The typer application object that every command module registers on."""

import typer

from dateline.version import __version__

app = typer.Typer(
    help="Dateline: news articles in, political event data out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"dateline {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Dateline: news articles in, political event data out."""


def load_config(config=None, dicts=None, **overrides):
    """The Config from --config / dateline.toml / env, with --dict folders added; a bad
    config file is a one-line error and exit status 2."""
    from dateline.config import Config

    try:
        cfg = Config.load(config, **overrides)
    except (FileNotFoundError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if dicts:
        cfg.dicts = [*cfg.dicts, *(str(d) for d in dicts)]
    return cfg


def open_store(db=None, config=None, read_only: bool = False, cfg=None, create: bool = False):
    """The Store at --db (or the config's db); a missing or unopenable store is a one-line
    error and exit status 1. ``read_only``: apply no migrations, and refuse a missing file
    (unless ``create``)."""
    from pathlib import Path

    from dateline.store import Store, StoreBusy
    from dateline.store.dialect import is_dsn, location

    cfg = cfg or load_config(config)
    path = location(db) if db else cfg.db
    if read_only and not create and not is_dsn(path) and not Path(path).exists():
        typer.echo(f"error: no store at {path} (run `dateline ingest` first)", err=True)
        raise typer.Exit(1)
    try:
        if create and not is_dsn(path) and not Path(path).exists():
            Store.open(path, wait=cfg.store_wait).close()  # a new file, current schema
        return Store.open(path, read_only=read_only, wait=cfg.store_wait)
    except (StoreBusy, ConnectionError) as exc:  # already one line with the way out
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    except Exception as exc:  # noqa: BLE001  damaged, not a DuckDB file, no such database
        typer.echo(f"error: cannot open store {_redacted(path)}: {_one_line(exc)}", err=True)
        raise typer.Exit(1) from None


def _redacted(path: str) -> str:
    from dateline.store.dialect import is_dsn

    if not is_dsn(path):
        return path
    from dateline.store.pg import redact

    return redact(path)


def _one_line(exc: BaseException) -> str:
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    return lines[0] if lines else type(exc).__name__
