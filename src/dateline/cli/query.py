"""Commands over events: events, stats, export, serve."""

from dateline.cli.app import app  # noqa: F401
