"""Control claims from text: who took, lost, besieges or holds a named place.

``ControlReader(coder).read(articles, mentions)`` reads each article with the coder's own
parts (sentences, actors with coreference and country focus, gazetteer places, dates, the
parse) and the patterns of ``data/control.tsv``. Only sentences holding a claim word are
parsed. Rules (docs/control.md):

* a claim needs a named place (a gazetteer place, a proper name, "the town of X", a
  compass part of a named city) and a holder the actor dictionaries know (a state's forces,
  rebels, a named group); civilians hold nothing;
* what is negated, planned, threatened, tried, failed, denied, conditional, asked, or under
  a modal ("would", "could") is no claim; "managed to take" is; "no longer holds" is a loss;
* a place the gazetteer lacks is kept under its city: the city named with it ("the Shaar
  neighbourhood of Aleppo", "Aleppo's Shaar"), else in the sentence, else the last city the
  article named.
"""

from __future__ import annotations

import re
from dataclasses import replace
from collections.abc import Iterable, Sequence

from dateline.coding.candidates import Candidate
from dateline.coding.syntax import conjuncts
from dateline.control.claims import _link, _one_per_article, _verb_above, claim_date
from dateline.control.frames import FrameReader, _antecedent
from dateline.control.holders import BACKED, HolderReader, _armed, holder_side
from dateline.control.model import ControlClaim, Holder
from dateline.control.places import SPREADS, PlaceReader, _prep_objects
from dateline.control.rules import ControlRule, ControlRules
from dateline.control.sentence import contested_entries, disputed, policing, superseded
from dateline.dedup.rules import fold
from dateline.model import Article, Mention
from dateline.nlp import upos

SAYING = {"say", "said", "announce", "report", "claim", "tell", "told", "state", "confirm",
          "acknowledge", "admit", "declare"}
MODALS = {"will", "would", "could", "might", "may", "should", "must", "can", "shall", "'ll",
          "wo", "ca"}
CONDITIONAL_MARKS = {"if", "unless", "whether"}
PASSIVE_BE = {"was", "were", "been", "is", "are", "be"}
VERB_TAGS = {"VB", "VBD", "VBG", "VBN", "VBP", "VBZ"}
# prepositions whose object happened ("after the fall of Mosul", "during the siege of X")
FACT_PREPS = {"after", "since", "following", "despite", "amid", "during", "under", "until",
              "with", "before"}
CONFIDENCE = {"capture": 0.8, "loss": 0.75, "siege": 0.75, "hold": 0.7}
class ControlReader(FrameReader, HolderReader, PlaceReader):
    """Reads control claims from articles with a loaded ``Coder``'s parts."""

    def __init__(self, coder, rules: ControlRules | None = None):
        self.coder = coder
        self.rules = rules or ControlRules.load(getattr(coder.config, "dicts", ()))
        forms = sorted(self.rules.surface_forms(), key=len, reverse=True)
        self.prefilter = re.compile(r"\b(?:" + "|".join(map(re.escape, forms)) + r")\b",
                                    re.IGNORECASE)
        # a headline's claim words, lower-cased for the parser ("Rebels Withdraw From X")
        self.claim_words = frozenset(w for w in self.rules.surface_forms() if " " not in w)
        self.block = self.rules.function_words("block")
        self.passing = self.rules.function_words("pass")
        self.cancel = self.rules.function_words("cancel")
        self.done = self.rules.function_words("done")
        self.crime = self.rules.function_words("crime")
        self.bounded = self.rules.function_words("bounded")
        self.declaring = self.rules.function_words("declare")
        self.neutral = self.rules.function_words("neutral")
        self.allies = self.rules.function_words("ally")
        self.fighting = self.rules.function_words("fighting")
        self.ending = self.rules.function_words("ending")
        self.disputes = {f: self.rules.function_words(f)
                         for f in ("dispute", "check", "contest", "contrast")}
        self._last_area = None  # the last area a sentence named (for "it")
        self._placeless: list = []  # loss verbs with no place of their own, a sentence
        self.shares = self.rules.words_of("share")
        self.parts = self.rules.words_of("part")
        self.areas = self.rules.words_of("area")
        self.facilities = self.rules.area_words("facility")
        self.subareas = self.rules.area_words("sub")
        self.anaphors = self.rules.area_words("anaphor")
        self.rivers = self.rules.area_words("river")

    # -- public -------------------------------------------------------------------------
    def read(self, articles: Iterable[Article],
             mentions: dict[str, Sequence[Mention]] | None = None,
             chunk: int = 32) -> list[ControlClaim]:
        """Claims of ``articles``; ``mentions`` (by article id) link claims to the event
        mentions of the same sentence."""
        out: list[ControlClaim] = []
        articles = list(articles)
        for i in range(0, len(articles), chunk):
            ctxs = [self.coder._prepare(a) for a in articles[i:i + chunk]]
            todo = [(ctx, s) for ctx in ctxs for s in ctx.sentences.values()
                    if self.prefilter.search(s.text)]
            docs = self.coder.nlp.parse([self.coder.parse_text(s.text, words=self.claim_words)
                                         for _c, s in todo])
            per: dict[str, list[ControlClaim]] = {}
            for (ctx, sent), doc in zip(todo, docs):
                claims = self.sentence_claims(ctx, sent, doc)
                ms = (mentions or {}).get(ctx.article.id, ())
                for c in claims:
                    _link(c, ms)
                per.setdefault(ctx.article.id, []).extend(claims)
            for claims in per.values():
                out.extend(_one_per_article(claims))
        return out

    def sentence_claims(self, ctx, sent, doc) -> list[ControlClaim]:
        if sent.text.rstrip().rstrip("\"'”’)").endswith("?"):
            return []  # a question asserts nothing
        places = self.coder.places.find(sent.text, focus=ctx.focus)
        spans = [(p.start, p.end) for p in places]
        matched = self.coder.analyzer.matches(doc, spans)
        self._last_area = None
        self._placeless = []
        self._inherited: set[str | None] = set()
        self._entries: set[str | None] = set()
        found: list[ControlClaim] = []
        for tok in doc:
            for rule in self._rules_at(tok):
                found.extend(self._claims(ctx, sent, doc, tok, rule, places, matched))
        found.extend(self._placeless_losses(ctx, sent, doc, found, matched))
        # "Government forces pulled out of Idlib as an alliance of rebels seized it": a
        # capture whose verb has no subject of its own (the parse lent it the first clause's)
        # by the side that has just lost the place is that parse's mistake
        found = policing(self.rules, self.crime, doc, sent, found)
        found = disputed(self.rules, self.disputes, doc, sent, found)
        found = contested_entries(self.rules, self.fighting, doc, self._entries, found)
        found = superseded(found)
        # "took control of Sanaa, seizing the cabinet headquarters": the city's claim says it
        cities = {(c.kind, fold(c.place.name), holder_side(c.holder)) for c in found}
        found = [c for c in found if not (c.place.feature == "facility" and (
            c.kind, fold(c.place.within), holder_side(c.holder)) in cities)]
        lost = {(c.place.key, holder_side(c.holder)) for c in found if c.kind == "loss"}
        found = [c for c in found if not (c.kind == "capture" and c.id in self._inherited and (
            c.place.key, holder_side(c.holder)) in lost)]
        # one claim per (kind, area, side) a sentence: the first (most direct) wins
        seen, out = set(), []
        for c in found:
            key = (c.kind, c.place.key, holder_side(c.holder))
            if key not in seen:
                seen.add(key)
                out.append(c)
        return out

    # -- matching -----------------------------------------------------------------------
    def _rules_at(self, tok) -> list[ControlRule]:
        low = tok.lower_
        if low not in self.rules.forms and low.rstrip("s") not in self.rules.forms:
            return []
        is_verb = tok.tag_ in VERB_TAGS and tok.dep_ not in ("amod", "compound") or _verbal(tok)
        out = []
        # "and besieged the palace", "have completely encircled Mosul": a verb, not "besieged"
        finite = tok.tag_ in ("VBD", "VBZ", "VBP") and tok.dep_ == "conj" or _verbal(tok)
        if not finite and (tok.dep_ in ("amod", "acomp", "compound", "conj", "advmod", "oprd")
                           or tok.tag_ == "JJ" or (tok.tag_ == "VBN" and tok.i > 0
                                                   and tok.doc[tok.i - 1].text == "-")):
            out += [r for r in self.rules.rules.get((low, "adj"), ()) if r.is_claim]
            if out and (tok.i > 0 and tok.doc[tok.i - 1].text == "-" or tok.dep_ != "ROOT"):
                return out[:1]
        if is_verb:
            out += [r for r in self.rules.find(low, "verb") if r.is_claim and self._words_ok(tok, r)]
        elif upos(tok) in ("NOUN", "PROPN"):
            out += [r for r in self.rules.find(low, "noun") if r.is_claim and self._words_ok(tok, r)]
        # multiword rows first ("take control of" before "take")
        out.sort(key=lambda r: -len(r.words))
        return out[:1]

    @staticmethod
    def _words_ok(tok, rule: ControlRule) -> bool:
        if len(rule.words) == 1:
            return True
        if rule.pos == "noun":
            return tok.i >= len(rule.words) - 1 and all(
                tok.doc[tok.i - k].lower_ == w
                for k, w in enumerate(reversed(rule.words[:-1]), 1))
        near = {t.lower_ for c in tok.children if c.dep_ != "conj" for t in [c, *c.children]}
        near |= {t.lower_.rstrip("s") for t in tok.children}
        return all(w in near for w in rule.words[1:])

    # -- one trigger --------------------------------------------------------------------
    def _claims(self, ctx, sent, doc, tok, rule: ControlRule, places, matched) -> list:
        kind = rule.kind
        if rule.pattern == "control" and rule.pos == "noun":
            return self._control_noun(ctx, sent, doc, tok, rule, places, matched)
        if rule.pattern == "hands" and rule.pos == "noun":
            return self._hands(ctx, sent, doc, tok, rule, places, matched)
        if rule.kind == "siege" and rule.pos == "noun" and tok.dep_ == "pobj" \
                and tok.head.lower_ == "under":
            return self._under_siege(ctx, sent, doc, tok, rule, places, matched)
        if rule.kind == "capture" and rule.pos == "verb" and tok.tag_ in ("VBN", "VBD") \
                and tok.dep_ in ("ccomp", "xcomp", "oprd", "acomp") \
                and set(self.rules.lemmas(tok.head.lower_)) & self.declaring:
            return self._declared(ctx, sent, doc, tok, rule, places, matched)
        # "vowed to break the siege of Kadugli", "a bid to lift the blockade of X": it goes on
        # ("broke the siege of X": it ended, which no claim says)
        ended = rule.kind == "siege" and rule.pos == "noun" and tok.dep_ in ("dobj", "obj") \
            and bool(set(self.rules.lemmas(tok.head.lower_)) & self.ending) \
            and self._asserted(tok.head, rule) is None
        state = "asserted" if ended else self._asserted(tok, rule)
        if state is None:
            return []
        if rule.pos == "noun" and rule.kind != "hold" and not ended and not self._happened(tok, rule):
            return []
        if state == "loss":
            kind = "loss"
        passive = any(c.dep_ in ("nsubjpass", "agent") for c in tok.children) or (
            tok.dep_ == "acl" and tok.tag_ == "VBN") or (
            _verbal(tok) and tok.i > 0 and tok.doc[tok.i - 1].lower_ in PASSIVE_BE)  # "was overrun by"
        perfect = any(c.dep_ == "aux" and c.lower_ in ("has", "have") for c in tok.children)
        if "present_hold" in rule.flags and (tok.tag_ in ("VBZ", "VBP") and not _has_aux(tok) or (
                perfect and _prep_objects(tok, {"since"}))) or "perfect_hold" in rule.flags and perfect:
            kind = "hold"  # "occupies X", "have occupied Cambodia since 1979", "has raised its flag"
        if kind == "hold" and rule.pos == "verb" and tok.tag_ in ("VBD", "VBG") and self._bounded(tok):
            return []  # "held it for several hours before withdrawing": it ended
        if "finite" in rule.flags and tok.tag_ == "VBG" and tok.dep_ in (
                "advcl", "xcomp", "acl", "conj", "pcomp") and not (
                rule.gainer and any(c.dep_ in ("dobj", "obj") for c in tok.children)
                and self._role(tok, rule.gainer, rule, False, "holder")):
            # "..., leaving the town in the hands of the SPLA", "handing Russia its biggest
            # gain": a summary; "..., handing their base in Gao to Malian forces" is an act
            return []
        if kind in ("capture", "loss") and tok.tag_ == "VBG" and any(
                c.dep_ == "aux" and c.lower_ in ("is", "are", "was", "were", "be", "been")
                for c in tok.children):
            return []  # "troops were retaking the town", "are pulling out": not done yet
        place_toks = self._role_tokens(tok, rule.place, rule, passive, "place")
        # "the withdrawal from the west bank of the Dnipro, including the city of Kherson"
        place_toks += [t for t in _prep_objects(tok, {"including"}) if t not in place_toks]
        if not place_toks and not (kind == "siege" and rule.pos == "verb"):
            if kind == "loss" and rule.pos == "verb" or kind == "siege" or (
                    kind == "capture" and rule.pos == "verb" and "in" in rule.words):
                # "captured Koidu, forcing government troops to pull back", "fell ... after
                # an 86-day siege": the place is the other clause's (frames.py)
                self._placeless.append((tok, rule, passive))
            return []
        areas = [a for t in place_toks for a in self._areas(ctx, sent, t, places, doc, rule)]
        if not areas and kind == "hold" and rule.pos == "verb" and any(
                t.lower_ in SPREADS or t.lower_ in self.areas for t in place_toks):
            # "the enclave they still control in Aleppo's southeastern districts"
            areas = [a for t in _prep_objects(tok, {"in"})
                     for a in self._areas(ctx, sent, t, places, doc, rule)]
        if not areas and kind == "siege" and rule.pos == "verb":
            # "encircled thousands of troops in the railway hub of Debaltseve", "gunmen
            # holed up in the centre of Marawi", "trapped on Mount Sinjar, surrounded by":
            # the people besieged are in the place
            clauses = [c for c in tok.children if c.dep_ in ("ccomp", "xcomp", "acl")]
            if passive and tok.dep_ in ("advcl", "conj") and not place_toks:
                clauses.append(tok.head)
            inside = _prep_objects(tok, {"in"}) + [
                o for t in place_toks for sub in t.subtree if sub.dep_ == "prep"
                and sub.lower_ == "in" for o in _prep_objects(sub.head, {"in"})] + [
                o for c in clauses for o in _prep_objects(c, {"in", "on", "inside"})]
            areas = [a for o in inside for a in self._areas(ctx, sent, o, places, doc, rule)][:1]
        if not areas:
            # "took control of the airport at Timbuktu": the facility's "at" hangs on the verb
            # ("handing their base in Gao to Malian forces": an owned one's "in" as well)
            areas = [(self._facility_area(t, host, places, doc, h), None)
                     for t in place_toks if t.lower_ in self.facilities
                     for h in _prep_objects(tok, {"at"} | ({"in"} if any(
                         c.dep_ == "poss" for c in t.children) else set()))
                     if (host := self._area(ctx, sent, h, places, doc, rule)) is not None][:1]
        if not areas:
            return []
        dref = self._date(ctx, sent, doc, tok)
        if kind == "hold" and "dated_past" in rule.flags and dref is None and tok.dep_ == "ccomp" \
                and tok.head.tag_ in VERB_TAGS and set(self.rules.lemmas(tok.head.lower_)) & SAYING:
            dref = self._date(ctx, sent, doc, tok.head)  # "rebels said on Tuesday they held X"
        if kind == "hold" and "dated_past" in rule.flags and dref is None and (
                tok.tag_ == "VBD" or any(c.lower_ == "had" and c.dep_ == "aux"
                                         for c in tok.children)) and not any(
                c.lower_ == "still" for c in tok.children):  # "their troops still held X"
            return []  # "rebels held the town": when? (past holding, undated)
        if kind == "hold" and "dated_past" in rule.flags and any(
                c.lower_ == "had" and c.dep_ == "aux" for c in tok.children) and not (
                tok.dep_ == "ccomp" and set(self.rules.lemmas(tok.head.lower_)) & SAYING):
            return []  # "troops who had held it since 1986" (driven out): a holding that ended
        out = []
        loser = rule.loser
        if kind == "capture" and not loser and "prep:from" not in rule.place and (
                _prep_objects(tok, {"from"}) or any(_prep_objects(t, {"from"}) for t in place_toks)):
            loser = "prep:from"  # "recaptured the crossing from rebels": they lost it
        inherited = rule.pos == "verb" and not passive and not any(
            c.dep_ in ("nsubj", "nsubjpass") for c in tok.children) and not (
            tok.dep_ == "pcomp" and tok.head.lower_ in ("after", "since", "before"))
        # ("withdrew from Kunduz two weeks after seizing the city": the capture came first)
        for role, k in [(rule.holder, kind), ((loser,), "loss"), ((rule.gainer,), "capture")]:
            if not role or role == (None,):
                continue
            if k == "loss" and role != rule.holder and kind != "capture":
                continue
            holders = self._holders(ctx, sent, tok, role, passive, rule, areas)
            if "armed" in rule.flags and role == rule.holder:
                holders = [h for h in holders if _armed(h)]
            for h in holders:
                for area, share in areas:
                    c = self._claim(ctx, sent, doc, tok, k, area, share, h, dref, matched, rule)
                    if c is not None and inherited and role == rule.holder:
                        self._inherited.add(c.id)
                    if c is not None and "entry" in rule.flags:
                        self._entries.add(c.id)
                    out.append(c)
        return [c for c in out if c is not None]

    def _emit(self, ctx, sent, doc, tok, kind, areas, holder_toks, matched, rule) -> list:
        if not areas:
            return []
        holders = [h for t in holder_toks for h in self._holder_refs(ctx, sent, t, areas)]
        dref = self._date(ctx, sent, doc, tok)
        out = [self._claim(ctx, sent, doc, tok, kind, a, s, h, dref, matched, rule)
               for h in holders for a, s in areas]
        return [c for c in out if c is not None]

    # -- assertion ----------------------------------------------------------------------
    def _asserted(self, tok, rule: ControlRule) -> str | None:
        """"asserted", "loss" (a negated hold with "no longer") or None (no claim)."""
        doc = tok.doc
        negated = False
        for c in tok.children:
            if c.dep_ == "neg" or (c.dep_ == "advmod" and any(g.dep_ == "neg" for g in c.children)):
                negated = True
            elif c.dep_ == "det" and c.lower_ == "no":
                negated = True
            elif c.dep_ in ("aux", "auxpass") and c.lower_ in MODALS:
                return None
            elif c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS:
                return None
            elif c.dep_ in ("amod", "advmod") and c.lower_ in self.block | self.cancel:
                return None  # "attempted capture", "formerly rebel-held"
            elif c.dep_ == "compound" and set(self.rules.lemmas(c.lower_)) & self.block:
                return None  # "Russia orders withdrawal from Kherson"
        if rule.pos == "adj" and tok.head.dep_ in ("attr", "acomp", "pobj") and any(
                c.dep_ == "advmod" and c.lower_ in self.cancel for c in tok.head.head.children):
            return None  # "what was once rebel-held eastern Aleppo"
        if tok.tag_ == "VB" and tok.dep_ == "conj" and tok.head.tag_ != "VB" and not any(
                c.dep_ in ("aux", "auxpass", "nsubj") for c in tok.children):
            return None  # "threatened to march on Kinshasa and seize the capital" (misparsed)
        if negated:
            longer = any(t.lower_ == "longer" for t in doc[max(0, tok.i - 3):tok.i + 2])
            if rule.kind == "hold" and "longer_loss" in rule.flags and longer:
                return "loss"
            return None
        if rule.kind == "hold" and rule.pos in ("noun", "adj") and rule.pattern not in (
                "control", "hands"):
            return "asserted"  # "a drive against the Khmer Rouge stronghold of Pailin"
        infinitive = any(c.dep_ == "aux" and c.tag_ == "TO" for c in tok.children) and not any(
            c.dep_ == "aux" and c.lower_ == "have" for c in tok.children)  # "claimed to have taken"
        node, seen = tok, 0
        first_verb_done = tok.tag_ in VERB_TAGS
        while node.head != node and seen < 8:
            seen += 1
            dep, head = node.dep_, node.head
            if dep in ("relcl", "parataxis") or (dep == "advcl" and not infinitive):
                break
            if dep == "conj" and not (head.dep_ == "xcomp" or any(
                    c.dep_ == "aux" and c.tag_ == "TO" for c in head.children)):
                if head.tag_ not in VERB_TAGS or head.dep_ not in ("ccomp", "xcomp"):
                    break
                # "denied that its troops had crossed into Ukraine or seized X": the first
                # conjunct's frame is the second's (not its own words: "failed ... and fled")
                node = head
                continue
            lemmas = set(self.rules.lemmas(head.lower_))
            if lemmas & self.block:
                return None
            if lemmas & self.passing:
                infinitive = False
            if head.lower_ == "without" or (dep == "pcomp" and head.lower_ == "before"
                                            and rule.kind != "loss"):  # "before withdrawing"
                return None
            for c in head.children:
                if c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS and dep != "ccomp":
                    return None
                if not first_verb_done or dep in ("xcomp", "acomp"):
                    if c.dep_ in ("aux", "auxpass") and c.lower_ in MODALS:
                        return None
                    if c.dep_ == "neg":
                        return None
            if head.tag_ in VERB_TAGS:
                first_verb_done = True
                if dep not in ("xcomp", "acomp", "conj", "pcomp", "pobj", "prep"):
                    # reached the clause's verb through a subject or object: check its
                    # conditions, then stop at the clause
                    if any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS
                           for c in head.children):
                        return None
                    if dep != "ccomp":
                        break
            node = head
        if infinitive:
            return None  # "vowed to retake", "an offensive to take": not done
        for anc in tok.ancestors:
            if anc.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS
                                           for c in anc.children):
                return None
        return "asserted"

    def _happened(self, tok, rule: ControlRule) -> bool:
        """A capture, loss or siege noun tells of a fact only in some frames: as a subject
        ("the fall of Mosul shocked"), after a preposition that presupposes it ("after the
        capture of X", "since the fall of", "during the siege of"), as the object of a verb
        of accomplishment ("completed their withdrawal"), or as a headline's root. "Talks on
        organising a withdrawal", "a plan for the capture of X" are no claims."""
        dep, head = tok.dep_, tok.head
        if dep in ("nsubj", "nsubjpass", "ROOT", "appos"):
            return True
        if dep == "pobj" and head.lower_ in FACT_PREPS:
            return True
        if dep == "pobj" and head.lower_ == "of" and head.head.dep_ == "pobj" and \
                head.head.head.lower_ in FACT_PREPS and set(
                    self.rules.lemmas(head.head.lower_)) & self.bounded:
            return True  # "after weeks of encirclement"
        if dep in ("dobj", "obj") and set(self.rules.lemmas(head.lower_)) & self.done:
            return True
        return False

    # -- roles --------------------------------------------------------------------------
    def _role_tokens(self, tok, roles: Sequence[str], rule: ControlRule, passive: bool,
                     what: str) -> list:
        for role in roles:
            found = self._role(tok, role, rule, passive, what)
            if found:
                return found
        return []

    def _role(self, tok, role: str, rule: ControlRule, passive: bool, what: str) -> list:
        kids = list(tok.children)
        if role == "obj":
            if tok.dep_ == "acl" and tok.tag_ == "VBN":
                # "Douma, captured by rebels in 2012"; "strikes on Tripoli's airport, held by
                # the government": the noun before the comma, whatever the parse hung it on
                before = tok.doc[tok.i - 2] if tok.i >= 2 else None
                if before is not None and tok.doc[tok.i - 1].text == "," and before != tok.head \
                        and upos(before) in ("NOUN", "PROPN"):
                    return [before, tok.head]
                return [tok.head]
            if passive:
                subj = [k for k in kids if k.dep_ == "nsubjpass"] or (
                    [k for h in (tok.head, tok.head.head) for k in h.children
                     if k.dep_ == "nsubj" and k.i < tok.i][:1]
                    if tok.dep_ in ("attr", "acomp") else [])  # "was overrun" tagged a noun
                if not subj and tok.dep_ == "conj":  # "The town, believed to be ..., was retaken"
                    subj = [k for k in tok.head.children if k.dep_ in ("nsubj", "nsubjpass")]
                if not subj and tok.dep_ == "advcl" and tok.tag_ == "VBN" and tok.i < tok.head.i:
                    # "Encircled by Russian forces since March 2, Mariupol has been ...": the
                    # fronted participle tells of the main clause's subject
                    subj = [k for k in tok.head.children if k.dep_ in ("nsubj", "nsubjpass")]
                return [c for k in subj for c in conjuncts(_antecedent(k))]
            objs = [c for k in kids if k.dep_ in ("dobj", "obj") or k.dep_ in (
                "advmod", "npadvmod") and k.i > tok.i and upos(k) == "PROPN" and _verbal(tok)
                for c in conjuncts(_antecedent(k))]
            if not objs and tok.dep_ == "relcl":
                objs = [tok.head]  # "the enclave they still control"
            if not objs and tok.dep_ == "ccomp" and tok.head.dep_ == "relcl" and not any(
                    k.dep_ in ("nsubjpass", "prep") for k in kids):
                objs = [tok.head.head]  # "a town Russia said it had captured"
            nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
            if not objs and nxt is not None and upos(nxt) == "PROPN" and rule.pos == "verb" \
                    and nxt.dep_ in ("nsubj", "nsubjpass") and nxt.head.i > tok.i \
                    and tok.tag_ in VERB_TAGS and not any(k.dep_ == "prep" for k in kids):
                # "Russian forces have encircled Mariupol, the port city's mayor said": the
                # parse made the place the reporting verb's subject
                objs = [nxt]
            # particle verbs: "pull out of X" has no object
            return [o for o in objs if o.lower_ not in rule.words]
        if role == "subj":
            if passive and what == "holder":
                return self._role(tok, "agent", rule, passive, what)
            if what == "holder":
                s = self.coder.analyzer._acting_subject(tok)
                if s is None:  # "forces ... have completely encircled": the subject on "have"
                    s = next((g for c in kids if c.dep_ == "aux" for g in c.children
                              if g.dep_ == "nsubj"), None)
                if s is None and tok.dep_ == "pcomp" and tok.head.dep_ == "prep" \
                        and tok.head.head.tag_ in VERB_TAGS:
                    # "withdrew from Kunduz two weeks after seizing the city": the clause's
                    s = self.coder.analyzer._acting_subject(tok.head.head)
                return conjuncts(s) if s is not None else []
            subj = [k for k in kids if k.dep_ in ("nsubj", "nsubjpass")]
            if not subj and tok.dep_ in ("relcl", "acl"):
                return [tok.head]
            return [c for s in subj for c in conjuncts(_antecedent(s))]
        if role == "agent":
            # "the capture of the town of Pailin by Khmer Rouge guerrillas"
            objects = _prep_objects(tok, {"of"}) if rule.pos == "noun" else []
            return [c for k in kids if k.dep_ == "agent" for g in k.children
                    if g.dep_ == "pobj" for c in conjuncts(g)] + _prep_objects(tok, {"by"}) + [
                c for o in objects for c in _prep_objects(o, {"by"})]
        if role == "pred":  # "the loss of Mosul is the heaviest blow yet to Islamic State"
            if tok.dep_ not in ("nsubj", "nsubjpass"):
                return []
            preds = [c for c in tok.head.children if c.dep_ in ("attr", "dobj", "obj")]
            return [o for p in preds for o in _prep_objects(p, {"to", "for"})]
        if role.startswith("prep:"):
            word = role[5:]
            hosts = [tok] + [k for k in kids if k.lower_ in rule.words or k.dep_ == "prt"]
            if what == "holder" and word in ("from", "to"):
                # "retook the airport from the Houthis", "lost Kadugli to the rebels"
                # ("took Tabqa and the Tabqa dam from Islamic State": on the last conjunct)
                hosts += [c for k in kids if k.dep_ in ("dobj", "nsubjpass") for c in conjuncts(k)]
            return [o for h in hosts for o in _prep_objects(h, {word})]
        if role == "head":
            if tok.dep_ in ("amod", "compound", "conj") and tok.head.tag_ not in VERB_TAGS:
                head = tok.head
                while head.dep_ == "conj" and head.head.tag_ not in VERB_TAGS and head != head.head \
                        and upos(head) not in ("NOUN", "PROPN"):
                    head = head.head
                return [head]
            if tok.dep_ in ("acomp", "oprd"):
                return [s for s in tok.head.children if s.dep_ in ("nsubj", "nsubjpass")]
            return []
        if role == "of":
            found = _prep_objects(tok, {"of"}) + [k for k in kids if k.dep_ == "appos"]
            if not found and tok.dep_ == "appos":
                found = [tok.head]  # "Raqqa, the group's stronghold"
            if not found and tok.dep_ == "attr":
                found = [s for s in tok.head.children if s.dep_ == "nsubj"]
            if not found:
                found = [k for k in kids if k.dep_ == "compound" and upos(k) == "PROPN"]
            if not found and rule.kind != "hold":
                found = [k for k in kids if k.dep_ == "poss"]  # "Palmyra's recapture by troops"
            if not found and tok.left_edge.i >= 2 and tok.doc[tok.left_edge.i - 1].text == "," \
                    and upos(tok.doc[tok.left_edge.i - 2]) == "PROPN":
                # "toward Mosul, the militants' last stronghold in Iraq": the parse missed the
                # apposition; the name before the comma is the place (not the country after)
                found = [tok.doc[tok.left_edge.i - 2]]
            if not found and rule.kind == "hold":
                found = _prep_objects(tok, {"in"})  # "rebel territory in east Aleppo"
            return found
        if role == "appos":  # "Manerplaw, the headquarters of the KNU"
            if tok.dep_ == "appos":
                return [tok.head]
            return [k for k in kids if k.dep_ == "appos"]
        if role == "host":  # "imposed a blockade on X"; "after the capture of X, troops ..."
            if rule.kind == "siege" and tok.dep_ == "pobj":
                return []  # "retreated from X after a 14-month siege": the besieged retreated
            verb = _verb_above(tok)
            while verb is not None and verb.dep_ == "prep":  # "Following the capture of X"
                verb = _verb_above(verb)
            if verb is None:
                return []
            s = self.coder.analyzer._acting_subject(verb)
            return conjuncts(s) if s is not None and not any(
                t == tok for t in s.subtree) else []
        if role == "mod":
            if tok.i >= 2 and tok.doc[tok.i - 1].text == "-":
                left = tok.doc[tok.i - 2]
                return [left]
            return [k for k in kids if k.dep_ in ("poss", "compound", "amod", "nmod", "npadvmod")
                    and k.i < tok.i]
        return []

    def _holders(self, ctx, sent, tok, roles, passive, rule, areas) -> list[Holder]:
        """The holders of the first role that names any ("last month's recapture of Faw,
        Iraqi commanders ...": not "month")."""
        for role in roles:
            toks = self._role(tok, role, rule, passive, "holder")
            out = [h for t in toks for h in self._conjunct_country(
                toks, t, self._holder_refs(ctx, sent, t, areas))]
            if out:
                return out
        return []

    def _conjunct_country(self, toks, t, holders: list[Holder]) -> list[Holder]:
        """ "Congolese soldiers and police officers": the second conjunct, with no country
        word of its own, is of the first's country (not the article's guess)."""
        first = toks[0] if toks else None
        if first is None or t is first or t.dep_ != "conj" or any(
                c.dep_ in ("amod", "compound", "poss") and upos(c) in ("ADJ", "PROPN")
                for c in t.children):
            return holders
        own = [self.coder.gazetteer.country(c.text) for c in first.children
               if c.dep_ in ("amod", "compound") and c.i < first.i]
        iso = next((x for x in own if x), None)
        if iso is None:
            return holders
        return [replace(h, country=iso, code=iso + h.sector)
                if h.sector in ("MIL", "COP", "POL", "GOV") and h.country != iso else h
                for h in holders]

    # -- dates, claim -------------------------------------------------------------------
    def _date(self, ctx, sent, doc, tok):
        return claim_date(self.coder, self.rules, ctx, sent, doc, tok)

    def _claim(self, ctx, sent, doc, tok, kind, area, share, holder, dref, matched,
               rule) -> ControlClaim | None:
        if kind != "loss" and not holder.country and holder.code in ("MIL", "COP") and not (
                BACKED & set(re.split(r"\W+", (holder.text or "").lower()))):
            # "resistance forces surrounded", "Yugoslav federal forces": nobody's army we
            # know takes, besieges or holds nothing (a withdrawal still leaves the place)
            return None
        art = ctx.article
        published = ctx.published.isoformat() if ctx.published else None
        since = None
        if dref is not None and (dref.text.lower().startswith("since") or sent.text[
                max(0, dref.start - 6):dref.start].lower().strip().endswith("since")):
            since, day, precision = dref.date.isoformat(), published, "publication"
        elif dref is not None:
            day, precision = dref.date.isoformat(), dref.precision
            if ctx.published and dref.date > ctx.published:
                return None  # a date to come: planned, not done
        else:
            day, precision = published, "publication" if published else "undated"
        cand = Candidate(token=tok, start=tok.idx, end=tok.idx + len(tok.text),
                         event_type="ASSAULT")
        try:
            self.coder.analyzer._speaker(tok, cand, matched)
            att = self.coder._attribution(ctx, sent, doc, cand)
        except Exception:  # noqa: BLE001  attribution is a nicety
            att = None
        conf = CONFIDENCE.get(kind, 0.6)
        conf += 0.05 if dref is not None else 0
        conf += 0.05 if area.geonameid or area.feature == "part" else 0
        conf -= 0.1 if rule.pos == "noun" else 0
        conf -= 0.1 if sent.index < 0 else 0
        start = sent.start + tok.idx
        return ControlClaim(
            kind=kind, place=area, holder=holder, from_date=day, date_precision=precision,
            article_id=art.id, sentence=sent.text, sentence_index=sent.index,
            char_start=sent.start, char_end=sent.end, trigger=tok.text,
            trigger_start=start, trigger_end=start + len(tok.text),
            confidence=round(max(0.05, min(0.99, conf)), 3),
            date_text=dref.text if dref is not None else None, since=since, share=share,
            source=att.text if att else None, publisher=art.source, published=published,
            headline=art.headline)


def _verbal(tok) -> bool:
    """A participle the tagger took for a noun or adjective: "was overrun by", "have
    completely encircled Mosul"."""
    if tok.tag_ in VERB_TAGS or not tok.lower_.endswith(("ed", "en", "un")):
        return False
    doc = tok.doc
    return any(c.dep_ in ("agent", "aux") for c in tok.children) or (
        # "The town was overrun by troops" parsed with "was" elsewhere
        0 < tok.i < len(doc) - 1 and doc[tok.i - 1].lower_ in PASSIVE_BE
        and doc[tok.i + 1].lower_ == "by")


def _has_aux(tok) -> bool:
    return any(c.dep_ in ("aux", "auxpass") for c in tok.children)
