"""Frames of control claims read around a noun or a participle rather than from a claim
word's own roles: "under the control of X", "in the hands of X", "under siege", "declared
Marawi liberated". A mixin of ``ControlReader`` (extract.py); docs/control.md.
"""

from __future__ import annotations

from typing import Any

from dateline.coding.syntax import conjuncts
from dateline.control.claims import _verb_above
from dateline.control.holders import _armed
from dateline.control.places import _prep_objects

VERB_TAGS = {"VB", "VBD", "VBG", "VBN", "VBP", "VBZ"}
RELATIVE = {"which", "that", "who", "where"}


class FrameReader:
    """Needs ``coder``, ``rules``, ``_asserted``, ``_areas``, ``_named``, ``_share``,
    ``_emit``, ``_holders``, ``_claim`` of ``ControlReader``."""

    coder: Any
    rules: Any
    _asserted: Any
    _areas: Any
    _named: Any
    _share: Any
    _emit: Any
    _holder_refs: Any
    _holders: Any
    _date: Any
    _claim: Any
    _placeless: list
    bounded: set[str]

    def _placeless_losses(self, ctx, sent, doc, found, matched) -> list:
        """A withdrawal, a siege or an entry ("and government troops moved in") with no place
        of its own takes the one place the sentence's other claims are about: "captured
        Koidu, forcing government troops to
        pull back", "they controlled Ndele after government soldiers fled", "held it for
        hours before withdrawing", "Vukovar fell to the army after an 86-day siege" (by the
        siege's own holder, else the taker); the places of one claim word too ("overran the
        towns of Siuna and Bonanza, holding them for hours before withdrawing")."""
        areas = {c.place.key: c.place for c in found}
        if not self._placeless or not areas or len(areas) > 1 and len(
                {c.trigger_start for c in found}) > 1:
            return []
        out = []
        places = self.coder.places.find(sent.text, focus=ctx.focus)
        for (tok, rule, passive), area in [(p, a) for p in self._placeless for a in areas.values()]:
            if self._asserted(tok, rule) is None:
                continue
            kind = rule.kind if rule.kind in ("siege", "capture") else "loss"
            # "after rebels in Douma surrendered": the place the losers are in
            subj = self.coder.analyzer._acting_subject(tok) if kind == "loss" else None
            own = [a for t in (_prep_objects(subj, {"in"}) if subj is not None else [])
                   for a, _s in self._areas(ctx, sent, t, places, doc, rule)]
            area = own[0] if own else area
            dref = self._date(ctx, sent, doc, tok)
            holders = self._holders(ctx, sent, tok, rule.holder, passive, rule, [(area, None)])
            if not holders and kind == "siege":
                holders = [c.holder for c in found if c.kind == "capture"]
            if not holders and tok.dep_ == "pcomp" and _verb_above(tok) is not None:
                # "took Siuna and held it for hours before withdrawing": the clause's subject
                s = self.coder.analyzer._acting_subject(_verb_above(tok))
                holders = self._holder_refs(ctx, sent, s, [(area, None)]) if s is not None else []
            for h in holders:
                if not _armed(h):
                    continue  # "a day after Mobutu fled": a ruler's flight is no withdrawal
                out.append(self._claim(ctx, sent, doc, tok, kind, area, None, h, dref,
                                       matched, rule))
        return [c for c in out if c is not None]

    def _bounded(self, tok) -> bool:
        """A past hold "for several hours", "until reinforcements arrived": it ended."""
        for c in tok.children:
            if c.dep_ in ("prep", "mark") and c.lower_ in ("until", "till"):
                return True
            if c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in ("until", "till")
                                         for g in c.children):
                return True
            if c.dep_ == "prep" and c.lower_ == "for" and any(
                    set(self.rules.lemmas(g.lower_)) & self.bounded for g in c.children):
                return True
        return False

    def _control_noun(self, ctx, sent, doc, tok, rule, places, matched) -> list:
        """"under the control of X", "under X('s) control", "came under X control",
        "in control of Y" (its subject holds Y)."""
        prep = tok.head if tok.dep_ == "pobj" else None
        if prep is None or prep.lower_ not in ("under", "in"):
            return []
        host = prep.head
        state = self._asserted(tok, rule)
        if state is None:
            return []
        kind = "hold"
        if prep.lower_ == "under":
            holder_toks = _prep_objects(tok, {"of"}) or [
                c for c in tok.children if c.dep_ in ("poss", "compound", "amod", "nmod")]
            if host.tag_ in VERB_TAGS:
                lemma = self.rules.lemmas(host.lower_)
                if {"come", "fall"} & set(lemma):
                    kind = "capture"
                place_heads = [c for c in host.children if c.dep_ in ("nsubj", "nsubjpass")] \
                    or [c for c in host.children if c.dep_ in ("dobj",)]
                if place_heads and place_heads[0].lower_ in RELATIVE and host.dep_ == "relcl":
                    place_heads = [host.head]
            else:
                place_heads = [host]
        else:
            if host.tag_ not in VERB_TAGS:
                return []
            holder_toks = [s] if (s := self.coder.analyzer._acting_subject(host)) is not None \
                else []
            obj = next((c for c in host.children if c.dep_ in ("dobj", "obj") and c.i < prep.i),
                       None)
            if obj is not None:
                holder_toks = [obj]  # "leaving Chechen rebels in control of the city"
            place_heads = _prep_objects(tok, {"of"})
            # "were in control of 70 percent of the territory in east Aleppo": a share whose
            # area is named by the verb's "in"
            if place_heads and not self._named(place_heads[0], doc, places):
                extra = _prep_objects(host, {"in"})
                if extra:
                    share = self._share(place_heads[0])
                    areas = [(a, share if share is not None else s2) for t in extra
                             for a, s2 in self._areas(ctx, sent, t, places, doc, rule)]
                    return self._emit(ctx, sent, doc, tok, kind, areas, holder_toks, matched,
                                      rule)
        areas = [a for t in place_heads for c in conjuncts(t)
                 for a in self._areas(ctx, sent, c, places, doc, rule)]
        return self._emit(ctx, sent, doc, tok, kind, areas, holder_toks, matched, rule)

    def _hands(self, ctx, sent, doc, tok, rule, places, matched) -> list:
        """"in the hands of X", "in X's hands", "in rebel hands": what the verb's object
        ("leaving the town in the hands of the SPLA") or subject ("Most of Mogadishu remains
        in al Shabaab's hands") is, or the noun the phrase describes, X holds."""
        prep = tok.head if tok.dep_ == "pobj" else None
        if prep is None or prep.lower_ != "in":
            return []
        if self._asserted(tok, rule) is None:
            return []
        host = prep.head
        holder_toks = _prep_objects(tok, {"of"}) or [
            c for c in tok.children if c.dep_ in ("poss", "compound", "amod", "nmod")]
        if host.tag_ in VERB_TAGS:
            place_heads = [c for c in host.children if c.dep_ in ("dobj", "obj")] or [
                c for c in host.children if c.dep_ in ("nsubj", "nsubjpass")]
        else:
            place_heads = [host]
        areas = [a for t in place_heads for c in conjuncts(_antecedent(t))
                 for a in self._areas(ctx, sent, c, places, doc, rule)]
        return self._emit(ctx, sent, doc, tok, "hold", areas, holder_toks, matched, rule)


    def _under_siege(self, ctx, sent, doc, tok, rule, places, matched) -> list:
        """"putting the area under full siege" (the verb's subject besieges its object),
        "Sarajevo remained under siege by Serb forces", "the city, under Serb siege"."""
        host = tok.head.head
        if self._asserted(tok, rule) is None:
            return []
        mods = [c for c in tok.children if c.dep_ in ("poss", "compound", "amod", "nmod")
                and c.i < tok.i] + _prep_objects(tok, {"by"})
        if host.tag_ in VERB_TAGS:
            place_heads = [c for c in host.children if c.dep_ in ("dobj", "obj")]
            if place_heads:
                s = self.coder.analyzer._acting_subject(host)
                others = [s] if s is not None else []
            else:
                place_heads = [c for c in host.children if c.dep_ in ("nsubj", "nsubjpass")]
                others = _prep_objects(host, {"by"})
        else:
            place_heads, others = [host], []
        areas = [a for t in place_heads for c in conjuncts(_antecedent(t))
                 for a in self._areas(ctx, sent, c, places, doc, rule)]
        # "under full siege": "full" names nobody; the modifiers only when they name a side
        named = [t for t in mods if self._holder_refs(ctx, sent, t, areas)]
        return self._emit(ctx, sent, doc, tok, "siege", areas, named or others, matched, rule)

    def _declared(self, ctx, sent, doc, tok, rule, places, matched) -> list:
        """"Duterte declared Marawi liberated" (the declarer's side takes it), "Raqqa was
        declared fully captured by the SDF" (the agent)."""
        head = tok.head
        if self._asserted(tok, rule) is None or self._asserted(head, rule) is None:
            return []  # "could declare Mosul liberated within weeks"
        place_heads = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")] or [
            c for c in head.children if c.dep_ in ("dobj", "obj", "nsubjpass")]
        holder_toks = [g for c in tok.children if c.dep_ == "agent" for g in c.children
                       if g.dep_ == "pobj"] + _prep_objects(tok, {"by"})
        if not holder_toks and (s := self.coder.analyzer._acting_subject(head)) is not None \
                and s not in place_heads:
            holder_toks = [s]
        areas = [a for t in place_heads for c in conjuncts(_antecedent(t))
                 for a in self._areas(ctx, sent, c, places, doc, rule)]
        return self._emit(ctx, sent, doc, tok, "capture", areas, holder_toks, matched, rule)

def _antecedent(tok):
    """A relative pronoun stands for the noun its clause modifies."""
    if tok.lower_ in RELATIVE and tok.head.dep_ in ("relcl", "acl"):
        return tok.head.head
    return tok
