"""Language of an article body: py3langid (a small model shipped in the package).

The model is loaded on the first text that needs it and kept on the detector
object. Text whose opening words are dense in the commonest English function
words is labelled English without running the model (a fast path that matters
when ingesting tens of thousands of articles); anything else goes to the model.
"""

from __future__ import annotations

import re
from typing import Any

# the commonest English function words: text in which they are dense is English
_ENGLISH_MARKERS = (" the ", " of ", " and ", " to ", " in ", " a ", " is ", " was ", " for ",
                    " on ", " that ", " with ", " said ", " by ", " at ", " has ", " from ")
_LETTER = re.compile(r"[^\W\d_]")
_SAMPLE = 400


class LanguageDetector:
    """Labels text with an ISO 639-1 code. The constructor does no I/O."""

    def __init__(self, identifier: Any | None = None, min_chars: int = 20):
        self._identifier = identifier
        self.min_chars = min_chars

    def _model(self) -> Any:
        if self._identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            self._identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
        return self._identifier

    def detect(self, text: str) -> str | None:
        sample = text[:_SAMPLE]
        if len(sample) < self.min_chars or len(sample.split(None, 3)) < 3 \
                or not _LETTER.search(sample):
            return None
        if self._english(sample):
            return "en"
        label, _score = self._model().classify(sample)
        return str(label)

    @staticmethod
    def _english(sample: str) -> bool:
        """One word in five is one of a few function words, and "the" is among them."""
        lowered = " " + sample.lower().replace("\n", " ") + " "
        if " the " not in lowered:
            return False
        hits = sum(map(lowered.count, _ENGLISH_MARKERS))
        return hits * 5 >= lowered.count(" ")
