"""Commands that scale out: load (a Parquet lake), watch (feeds)."""

from dateline.cli.app import app  # noqa: F401
