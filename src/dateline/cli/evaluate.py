"""The evaluate command: score the coder against a gold file."""

from dateline.cli.app import app  # noqa: F401
