"""Holders of control claims: the armed actor a claim's words name (the coder's actors,
with its coreference), with the country a generic one takes from the place ("rebels" of
the place held), and none for civilians, the UN or the political opposition. A mixin of
``ControlReader`` (extract.py); docs/control.md, "Holders".
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from dateline.coding.lexicon import pluralize
from dateline.control.model import Holder
from dateline.control.places import _prep_objects
from dateline.dedup.rules import DedupRules, fold
from dateline.model import ActorRef
from dateline.nlp import upos

HOLDER_FAMILIES = {"STATE", "ARMED_OPPOSITION"}
# an actor of these sectors holds ground only when its words say it is armed
UNARMED_SECTORS = {"OPP", "CVL", "REF", "LAB", "EDU", "HLH", "REL", "MED", "BUS", "NGO", "IGO"}
ARMED_SECTORS = {"MIL", "REB", "INS", "UAF", "PTY", "SPY", "COP", "POL"}
ARMED_WORDS = re.compile(r"\b(?:fighters?|forces|rebels?|militias?|militants?|troops|gunmen|"
                         r"insurgents?|army|soldiers|brigades?|factions?|units|guerrillas?|"
                         r"militiamen)\b", re.IGNORECASE)
STATE_WORDS = re.compile(r"\b(?:government|regime|army|state|federal|national|police)\b",
                         re.IGNORECASE)
LOYAL_TO_OUTSIDER = re.compile(r"\bloyal\s+to\s+(?:the\s+)?(?:former|ousted|deposed|"
                               r"renegade|dissident|rebel|sacked|dismissed|fugitive)\b",
                               re.IGNORECASE)
SAYING_FORMS = {"said", "says", "say", "announced", "claimed", "reported", "told", "confirmed",
                "declared", "stated"}
BACKED = {"backed", "supported", "sponsored", "funded", "armed", "trained", "allied"}
_RULES = DedupRules()


def holder_side(holder: Holder) -> tuple[str | None, str | None] | None:
    """(country or organisation, sector family): one side of a war. SYRMIL and SYRGOV are
    one side, SYRREB another."""
    return _RULES.actor_key(ActorRef(text=holder.text or "", code=holder.code,
                                     country=holder.country, sector=holder.sector))


def _armed(h: Holder) -> bool:
    """An armed force: troops, rebels, a militia, the police ("the president left" is none)."""
    return (h.sector or "") in ARMED_SECTORS or bool(ARMED_WORDS.search(h.text or ""))


class HolderReader:
    """The holder half of the claim reader: needs ``coder`` of ``ControlReader``."""

    coder: Any
    rules: Any
    neutral: set[str]
    allies: set[str]

    def _holder_refs(self, ctx, sent, t, areas) -> list[Holder]:
        if set(self.rules.lemmas(t.lower_)) & self.neutral or any(
                c.dep_ in ("amod", "compound") and set(self.rules.lemmas(c.lower_)) & self.neutral
                for c in t.children):
            return []  # "Australian-led peacekeepers took control of the port": no side's
        if t.dep_ == "conj" and any(c.dep_ in ("amod", "compound") and c.lower_ in self.allies
                                    for c in t.children):
            return []  # "government forces and allied militias": the first names the side
        if t.lower_ in ("hands", "control", "hand"):
            # "fell into the hands of X", "fell to rebel control"
            inner = _prep_objects(t, {"of"}) or [c for c in t.children
                                                 if c.dep_ in ("poss", "compound", "amod")]
            return [h for i in inner for h in self._holder_refs(ctx, sent, i, areas)]
        ref = self.coder._ref_for_head(ctx, sent, t)
        if t.dep_ in ("compound", "amod", "nmod", "npadvmod") and t.i < t.head.i:
            # a modifier: "the rebel stronghold" in "Residents of the rebel stronghold" (a
            # mention headed elsewhere), "Tamil Tiger control" (the words before it too)
            head = next((m.head for m in ctx.actors.get(sent.index, ())
                         if m.ref.start <= t.idx < m.ref.end), None)
            if head is not None and not head[0] <= t.idx < head[1]:
                ref = None
            start = t.i
            while start > 0 and t.doc[start - 1].dep_ == "compound" \
                    and t.doc[start - 1].head in (t, t.head) and upos(t.doc[start - 1]) == "PROPN":
                start -= 1
            if start < t.i:
                ref = self._word_actor(ctx, t.doc[start:t.i + 1].text) or ref
        mods = [c for c in t.children if c.dep_ in ("amod", "compound") and c.i < t.i]
        if mods and t.i + 1 < len(t.doc) and t.doc[t.i + 1].text == "-":
            # "Christian militia-controlled", "rebel Serb-held": the whole modifier
            whole = " ".join(x.text for x in sorted([*mods, t], key=lambda x: x.i))
            ref = self._word_actor(ctx, whole) or ref
        if t.lower_ in ("they", "we") and ref is not None and not ref.sector \
                and t.head.dep_ == "ccomp":
            ref = None  # "Rebels led by Laurent Kabila said they ...": the speakers, not Kabila
        if t.lower_ in ("they", "it", "we") and t.head.dep_ == "ccomp" and (
                ref is None or t.head.head.lower_ in SAYING_FORMS):
            # "Rebels said on Tuesday they controlled Ndele", "Kenyan troops serving with
            # the African Union force said they had taken Kismayo": the speaker, not the
            # nearest name before the pronoun
            speaker = next((c for c in t.head.head.children if c.dep_ == "nsubj"), None)
            if speaker is not None and speaker.lower_ not in ("they", "it", "we"):
                found = self._holder_refs(ctx, sent, speaker, areas)
                if found or ref is None:
                    return found
        if ref is None and upos(t) in ("NOUN", "ADJ", "PROPN") or t.tag_ == "JJ":
            ref = self._word_actor(ctx, t.text) if ref is None else ref
        if ref is None:
            return []
        if ref.sector == "OPP" and t.i + 2 < len(t.doc) and t.doc[t.i + 1].text == "-" \
                and t.doc[t.i + 2].lower_ in ("held", "controlled", "run", "occupied"):
            # "the opposition-held suburb": an opposition holding ground is the armed one
            ref = replace(ref, sector="REB", code=(ref.country or "") + "REB")
        info = self.coder.actors.dictionary.countries.get(ref.country or "")
        if ref.sector is None and ref.country and ref.code == ref.country and info is not None \
                and t.text == info.adjective:
            # "under Ukrainian control", "Israeli-held": the state's (not "Serb-held", a people)
            ref = replace(ref, sector="GOV", code=ref.country + "GOV")
        demonyms = [x for c in t.children if c.dep_ == "amod"
                    for x in [c, *(g for g in c.children if g.dep_ == "conj")]]
        isos = [self.coder.gazetteer.country(x.text) for x in demonyms]
        if len(demonyms) > 1 and all(isos) and ref.sector and any(
                x.dep_ == "conj" for x in demonyms):
            # "French and Malian troops": one holder for each ("Croatian Serb rebels": one)
            return [h for x, iso in zip(demonyms, isos) for h in self._holder(
                ctx, t, replace(ref, country=iso, code=f"{iso}{ref.sector}",
                                text=f"{x.text} {t.text}"), areas)]
        return self._holder(ctx, t, ref, areas)

    def _holder(self, ctx, t, ref: ActorRef, areas) -> list[Holder]:
        """The holder an actor makes, or none (civilians, the UN); a generic one takes the
        place's country."""
        country = next((a.country for a, _s in areas if a.country), None)
        if ref.country and country and ref.country != country and ref.sector in (
                "MIL", "GOV", "REB", "INS", "UAF", "COP") and self.coder._guessed(ctx, ref) \
                and not any(c.dep_ == "poss" and (upos(c) == "PRON" or self.coder.gazetteer.country(
                    c.text)) for c in t.children) and upos(t) != "PRON":
            # "government forces" near "the Lebanese border", "Mobutu's troops" in a story
            # told from Rwanda: the country was a guess from the article's places; the place
            # held is a better one ("Rwanda's troops" name theirs)
            ref = replace(ref, country=country, code=country + (ref.sector or ""))
        if ref.country and country and ref.country != country \
                and self._ethnic(t, ref):
            # "ethnic Armenian fighters took Shusha", "Karabakh Armenian forces": a people's
            # armed men in another state's land are that land's rebels, not the kin state's
            ref = replace(ref, country=country, sector="REB", code=country + "REB")
        if ref.sector in ("MIL", "GOV") and LOYAL_TO_OUTSIDER.search(ref.text or ""):
            # "forces loyal to former vice president Riek Machar": not the state's forces
            ref = replace(ref, sector="REB", code=(ref.country or "") + "REB")
        if not ref.country and any(c.lower_ in BACKED for c in t.children):
            ref = replace(ref, text=" ".join(x.text for x in t.subtree if x.i <= t.i))
        if ref.country and self._backer(t, ref):
            # "U.S.-backed Contra rebels": the backer is named in the text, not the code
            ref = replace(ref, country=None, code=ref.sector, text=" ".join(
                x.text for x in t.subtree if x.i <= t.i))
        if not ref.country and ref.sector in ("MIL", "GOV", "COP") and STATE_WORDS.search(
                ref.text or "") and country:
            # "government soldiers fled Ndele": the state's forces of the place
            ref = replace(ref, country=country, code=country + ref.sector)
        if not ref.country and ref.sector in ("REB", "INS", "UAF") \
                and (ref.code or "")[:3] not in ("IMG", "IGO", "NGO"):
            # "the rebel stronghold of Qusair": generic rebels are the place's own (not
            # "Kurdish forces": forces of no country named are nobody's army)
            country = next((a.country for a, _s in areas if a.country), None)
            if country:
                ref = replace(ref, country=country, code=country + ref.sector)
        holder = Holder(code=ref.code, country=ref.country, sector=ref.sector,
                        name=ref.name, text=ref.text)
        side = holder_side(holder)
        if side is None:
            return []
        country, family = side
        if family not in HOLDER_FAMILIES and not (country and family == "STATE"):
            return []  # civilians, refugees, the UN: no holder of ground
        if (ref.sector or "") in UNARMED_SECTORS and not ARMED_WORDS.search(ref.text or ""):
            return []  # demonstrators, the political opposition: no holder of ground
        # a place is not its own holder ("Aleppo's districts")
        if any(fold(ref.text) in (fold(a.name), fold(a.within)) for a, _s in areas if ref.text):
            if ref.sector is None:
                return []
        return [holder]

    def _ethnic(self, t, ref: ActorRef) -> bool:
        """Whether the actor's country comes from a people, not a state: "ethnic Albanian
        rebels", "Karabakh Armenian fighters" (a place of another country before the
        people's name)."""
        mods = [c for c in t.subtree if c.i < t.i]
        if any(c.lower_ == "ethnic" for c in mods):
            return True
        gaz = self.coder.gazetteer
        for a, b in zip(mods, mods[1:]):
            if upos(a) == "PROPN" and gaz.country(b.text) == ref.country:
                home = gaz.country(a.text, adjectives=False)
                if home is None:
                    slot = gaz.resolve_slot(a.text, (), cue=True)
                    home = None if slot is None else gaz.index.countries[gaz.index.country[slot]]
                if home is not None and home != ref.country:
                    return True
        return False

    def _backer(self, t, ref: ActorRef) -> bool:
        """Whether the actor's country is its backer's: "U.S.-backed Contra rebels"."""
        for c in t.children:
            if c.dep_ in ("amod", "compound") and c.lower_ in BACKED and c.i > 1 \
                    and t.doc[c.i - 1].text == "-":
                return ref.country == self.coder.gazetteer.country(t.doc[c.i - 2].text)
        return False

    def _word_actor(self, ctx, word: str) -> ActorRef | None:
        """A modifier the dictionaries know in another form: "rebel" (-held) as "rebels",
        "Houthi" as "Houthis", "regime" as "the regime"."""
        for text in (word, *pluralize(word.lower() if word.islower() else word),
                     word + " forces"):
            found = self.coder.actors.find(text, on=ctx.published,
                                           default_country=ctx.default_country)
            full = [m for m in found if m.ref.start == 0 and m.ref.end >= len(word)]
            if full:
                m = full[0]
                ref = replace(m.ref, text=word, start=None, end=None)
                if m.generic and not ref.country and ctx.default_country:
                    ref = replace(ref, country=ctx.default_country,
                                  code=ctx.default_country + (ref.sector or ""))
                if m.generic:
                    # the article's country is a guess (no name), which the place held outweighs
                    ref = replace(ref, name=None)
                return ref
        return None
