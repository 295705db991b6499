"""Commands of the coder: code, actor."""

from dateline.cli.app import app  # noqa: F401
