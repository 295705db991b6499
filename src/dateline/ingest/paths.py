"""Command-line paths to files: files as given, directories walked (sorted, hidden
entries skipped), glob patterns expanded; what cannot be found is a ReadError."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator, Sequence

from dateline.ingest.base import ReadContext, display_path, printable_error
from dateline.ingest.dispatch import read_file
from dateline.ingest.options import ReadOptions
from dateline.model import Article, ReadError

_GLOB_CHARS = frozenset("*?[")


def _walk(folder: str) -> Iterator[str | ReadError]:
    errors: list[OSError] = []

    def reported() -> Iterator[ReadError]:
        while errors:
            exc = errors.pop(0)
            yield ReadError(display_path(str(exc.filename or folder)),
                            f"cannot list folder: {exc.strerror or exc}")

    for root, dirs, files in os.walk(folder, onerror=errors.append):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield os.path.join(root, name)
        yield from reported()
    yield from reported()


def expand_paths(paths: Sequence[str]) -> Iterator[str | ReadError]:
    """Every file the paths name, in a stable order; a ReadError for each that is missing."""
    for path in paths:
        path = os.fspath(path)
        if os.path.isdir(path):
            yield from _walk(path)
        elif os.path.lexists(path):
            yield path
        elif _GLOB_CHARS & set(path):
            matches = sorted(glob.glob(path, recursive=True))
            if not matches:
                yield ReadError(display_path(path), "no files match this pattern")
            for match in matches:
                if os.path.isdir(match):
                    yield from _walk(match)
                else:
                    yield match
        else:
            yield ReadError(display_path(path), "no such file or folder")


def read_paths(paths: Sequence[str], fmt: str | None = None,
               options: ReadOptions | None = None,
               ctx: ReadContext | None = None) -> Iterator[Article | ReadError]:
    """Articles (and ReadErrors) from files, folders, globs, .gz and .zip."""
    ctx = ctx or ReadContext.create(options)
    for item in expand_paths(paths):
        if isinstance(item, ReadError):
            yield printable_error(item)
        else:
            yield from read_file(item, ctx, fmt)


# Files that sit beside articles in a folder but are none: licences, read-mes, notices.
NOT_ARTICLE_NAMES = frozenset({
    "license", "licence", "copying", "copyright", "readme", "attribution", "notice", "authors",
    "contributors", "changelog", "changes", "citation", "manifest"})
_NOT_ARTICLE_EXTENSIONS = frozenset({"", ".md", ".txt", ".rst", ".cff", ".in"})


def not_an_article(path: str) -> bool:
    """Whether a file found in a folder is, by its name, no article (LICENSE, README.md,
    ATTRIBUTION, …). Files named on the command line are read whatever their name."""
    stem, ext = os.path.splitext(os.path.basename(path).lower())
    return stem in NOT_ARTICLE_NAMES and ext in _NOT_ARTICLE_EXTENSIONS
