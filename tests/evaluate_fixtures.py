"""Helpers for the evaluate tests: hand-made predicted mentions."""

from __future__ import annotations

from dateline.model import QUAD_CLASS, ActorRef, Attribution, Mention, Place

CAMEO_ROOT = {"ASSAULT": "190", "CONSULT": "040", "AGREE": "057", "PROTEST": "140",
              "REJECT": "120", "COERCE": "173", "ACCUSE": "112", "REQUEST": "102"}


def actor(code: str, text: str = "x") -> ActorRef:
    """'SYRMIL' -> ActorRef(country SYR, sector MIL); 'IGOUNO' -> an IGO."""
    if code.startswith("IGO"):
        return ActorRef(text=text, code=code, sector="IGO")
    return ActorRef(text=text, code=code, country=code[:3], sector=code[3:6] or None)


def mention(article_id: str, event_type: str, actors=(), recipients=(), *, date=None,
            place=None, negated=False, modality="asserted", cameo=None, mode=None,
            source=None, trigger_start=0, sentence="s") -> Mention:
    loc = None
    if place is not None:
        name, country = place
        loc = Place(text=name or country, name=name, country=country)
    return Mention(
        article_id=article_id, sentence=sentence, sentence_index=0, char_start=0,
        char_end=len(sentence), event_type=event_type,
        cameo=cameo or CAMEO_ROOT.get(event_type, "010"), quad_class=QUAD_CLASS[event_type],
        mode=mode, actor=[actor(a) for a in actors], recipient=[actor(r) for r in recipients],
        negated=negated, modality=modality, date=date, location=loc,
        attribution=Attribution(text=source) if source else None,
        trigger="t", trigger_start=trigger_start, trigger_end=trigger_start + 1)
