"""What a finder proposes for one parsed sentence: ``Candidate``, and the ``Finder`` seam.

A finder looks at one parsed sentence (a spaCy ``Doc``) and returns event candidates: the
trigger token, type, CAMEO code, mode, flags, confidence, and the token-level roles that the
coder resolves into actors. Finders run in the order the config names them (``finders``);
each receives what the ones before it found and returns the full list, so a later finder may
add events or lower the confidence of earlier ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass
class Candidate:
    token: Any  # spaCy Token: the trigger head
    start: int  # sentence-relative offsets of the trigger text
    end: int
    event_type: str
    cameo: str = ""
    mode: str | None = None
    flags: frozenset[str] = frozenset()
    confidence: float = 0.5
    obj: str | None = None  # object class or lemma the trigger row required (if any)
    nominal: bool = False
    negated: bool = False
    modality: str = "asserted"
    actors: list = field(default_factory=list)  # role head tokens
    recipients: list = field(default_factory=list)  # tiers of head tokens, best first
    speaker: Any | None = None  # head token of the reporter ("X said")
    speaker_text: tuple[int, int] | None = None
    rebuts: bool = False  # a REJECT of a charge, claim or allegation: it answers the accuser
    harm_without_agent: bool = False  # a disaster's harm: no ASSAULT unless an agent is named
    # told as known already ("the attack on the train was so sudden", "people killed in the
    # tragedy"): not the story's news, so not of the story's day unless a date says so
    recalled: bool = False
    # told with "recently", "earlier", "previously": a past whose day the text does not give
    undated_past: bool = False
    # in the past perfect outside reported speech ("he had warned"): undated too, unless a
    # reporting tail the parse does not see makes it reported ("..., police said")
    told_earlier: bool = False
    finder: str = "rules"  # which finder proposed it
    scores: dict[str, float] = field(default_factory=dict)  # the detector's, when it ran


class Finder(Protocol):
    """One way of finding event candidates in a parsed sentence."""

    def analyze(self, doc: Any, place_spans: Sequence[tuple[int, int]] = (),
                found: Sequence[Candidate] = ()) -> list[Candidate]:
        """All candidates of ``doc``: those ``found`` by earlier finders (kept, dropped or
        re-scored) and new ones."""
        ...
