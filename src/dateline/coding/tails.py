"""Reporting tails: the ", officials said on Tuesday." that ends a wire sentence.

The small parser often hangs such a tail inside the reported clause ("delivered missile
systems to Syria, Defence Minister Shoigu said" parses "systems" as the subject of
"said"), losing the event. The coder parses the sentence with its tail blanked out (same
length, so offsets hold) and reads the speaker from the tail itself. No I/O; pure text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SAY = (r"(?:said|says|told\s+(?:reporters|journalists|AFP|Reuters|the\s+\w+(?:\s+\w+)?)"
        r"|added|reported|announced|claimed|stated|confirmed|alleged)")
# when the speaker spoke: "on Tuesday", "in a statement", "late on Monday", "yesterday"
_WHEN = (r"(?:\s+(?:on|late|early|in|at|this|last|yesterday|today|tonight|earlier|later|after"
         r"|citing)\b[^,;\"“”()]{0,60})?")
_NOT_SPEAKER = re.compile(r"^(?:which|who|whom|that|as|but|and|or|while|when|where|if|because|"
                          r"although|though|so|it\s+is|he\s+is)\b", re.IGNORECASE)
_TAIL = re.compile(
    r",\s+(?P<who>[^,;:\"“”()\[\]]{2,90}?)\s+" + _SAY + _WHEN + r"\s*[.!]?\s*$")
_INVERTED = re.compile(
    r",\s+(?:said|says|added)\s+(?P<who>[^,;:\"“”()\[\]]{2,90}?)" + _WHEN + r"\s*[.!]?\s*$")
_ACCORDING = re.compile(r",\s+according\s+to\s+(?P<who>[^,;:\"“”()\[\]]{2,90}?)\s*[.!]?\s*$",
                        re.IGNORECASE)
# the same after a closing quote: '"We condemn the attack," the party's president said.'
_QUOTED = (re.compile(_TAIL.pattern.replace(",\\s+", ",[\"”’']\\s+", 1)),
           re.compile(_INVERTED.pattern.replace(",\\s+", ",[\"”’']\\s+", 1)))
MIN_CORE = 25  # characters before the tail: a clause of its own


@dataclass(frozen=True)
class Tail:
    start: int  # offset of the comma that opens the tail
    who_start: int
    who_end: int


def reporting_tail(text: str, quoted: bool = False) -> Tail | None:
    """The sentence-final reporting clause of ``text`` ("…, the ministry said on Monday.",
    "…, said the ministry.", "…, according to witnesses."), or None. ``quoted``: also one
    after a closing quote ('"…," he said.'; who speaks, though the parser reads the quote
    with its tail)."""
    if len(text) < MIN_CORE + 10 or text.rstrip().endswith("?"):
        return None
    for rx in (_TAIL, _INVERTED, _ACCORDING, *(_QUOTED if quoted else ())):
        m = rx.search(text)
        if m is None or m.start() < MIN_CORE:
            continue
        who = m.group("who")
        if _NOT_SPEAKER.match(who) or len(who.split()) > 10:
            continue
        return Tail(m.start(), m.start("who"), m.end("who"))
    return None


def without_tail(text: str, tail: Tail | None) -> str:
    """``text`` with its tail replaced by a full stop and spaces (same length)."""
    if tail is None:
        return text
    return text[:tail.start] + "." + " " * (len(text) - tail.start - 1)
