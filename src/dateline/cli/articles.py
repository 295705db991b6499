"""Commands over articles: ingest, articles, show, check."""

from dateline.cli.app import app  # noqa: F401
