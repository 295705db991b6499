"""Command line: thin commands over Store, Coder, query and export.

Each module in this folder registers its commands on the one ``app``.
"""

from dateline.cli import actor as _actor  # noqa: F401  actor
from dateline.cli import analysis as _analysis  # noqa: F401  series, compare
from dateline.cli import articles as _articles  # noqa: F401  ingest, articles, show, check
from dateline.cli import backup as _backup  # noqa: F401  backup
from dateline.cli import coding as _coding  # noqa: F401  code
from dateline.cli import control as _control  # noqa: F401  control, figures
from dateline.cli import evaluate as _evaluate  # noqa: F401  evaluate
from dateline.cli import query as _query  # noqa: F401  events, stats, export, serve
from dateline.cli import scale as _scale  # noqa: F401  load, watch
from dateline.cli import store as _store  # noqa: F401  migrate
from dateline.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    from dateline.store import StoreBusy

    try:
        app()
    except (StoreBusy, ConnectionError) as exc:  # a busy or unreachable store: one line
        import sys

        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
