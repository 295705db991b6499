"""What the stages expect of a coder, defined once and low in the import graph (it imports
only ``model``): ingest, watch, scale and evaluate take any object with ``code_articles``;
the real one is ``dateline.coding.Coder``.

A coder reads some languages (``languages``, ISO 639-1 codes; ``("en",)`` when it does not
say): an article detected as another language is stored but not coded, and reported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Protocol

from dateline.model import Article, Mention

DEFAULT_LANGUAGES = ("en",)


class ArticleCoder(Protocol):
    def code_articles(self, articles: Iterable[Article]
                      ) -> Iterable[tuple[Article, list[Mention]]]: ...


def coder_languages(coder: object) -> tuple[str, ...]:
    """The languages ``coder`` reads."""
    return tuple(getattr(coder, "languages", DEFAULT_LANGUAGES))


def split_by_language(coder: object, articles: Sequence[Article]
                      ) -> tuple[list[Article], list[Article]]:
    """(articles the coder reads, the others). An article of unknown language (too short
    to tell) is read."""
    languages = coder_languages(coder)
    readable: list[Article] = []
    other: list[Article] = []
    for art in articles:
        (readable if art.language is None or art.language in languages else other).append(art)
    return readable, other


def language_name(code: str) -> str:
    """English name of an ISO 639 code ("fr" -> "French"); the code itself if unknown."""
    import pycountry

    try:
        found = pycountry.languages.get(alpha_2=code) if len(code) == 2 else \
            pycountry.languages.get(alpha_3=code)
    except (KeyError, LookupError):
        found = None
    return str(found.name) if found is not None else code


def not_coded_lines(counts: Counter[str], languages: Sequence[str] = DEFAULT_LANGUAGES,
                    stored: bool = True) -> list[str]:
    """One line per language, most articles first: "3 articles in French stored, not coded
    (the coder reads English)"."""
    reads = ", ".join(language_name(code) for code in languages)
    what = "stored, not coded" if stored else "not coded"
    return [f"{n:,} article{'' if n == 1 else 's'} in {language_name(code)} {what} "
            f"(the coder reads {reads})" for code, n in counts.most_common()]
