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
from collections.abc import Iterable, Sequence
from dateline.coding.candidates import Candidate
from dataclasses import replace

from dateline.coding.lexicon import pluralize
from dateline.coding.syntax import conjuncts
from dateline.control.model import Area, ControlClaim, Holder
from dateline.control.rules import ControlRule, ControlRules
from dateline.dedup.rules import DedupRules, fold
from dateline.model import ActorRef, Article, Mention
from dateline.nlp import upos

MODALS = {"will", "would", "could", "might", "may", "should", "must", "can", "shall", "'ll",
          "wo", "ca"}
CONDITIONAL_MARKS = {"if", "unless", "whether"}
HOLDER_FAMILIES = {"STATE", "ARMED_OPPOSITION"}
VERB_TAGS = {"VB", "VBD", "VBG", "VBN", "VBP", "VBZ"}
RELATIVE = {"which", "that", "who", "where"}
# prepositions whose object happened ("after the fall of Mosul", "during the siege of X")
FACT_PREPS = {"after", "since", "following", "despite", "amid", "during", "under", "until",
              "with", "before"}
# words for stretches of ground whose "in X" names where they are
SPREADS = {"territory", "territories", "area", "areas", "part", "parts", "enclave", "pocket",
           "districts", "neighbourhoods", "neighborhoods", "villages", "towns", "ground"}
# an actor of these sectors holds ground only when its words say it is armed
UNARMED_SECTORS = {"OPP", "CVL", "REF", "LAB", "EDU", "HLH", "REL", "MED", "BUS", "NGO", "IGO"}
ARMED_WORDS = re.compile(r"\b(?:fighters?|forces|rebels?|militias?|militants?|troops|gunmen|"
                         r"insurgents?|army|soldiers|brigades?|factions?)\b", re.IGNORECASE)
NEAR = re.compile(r"\b(?:near|outside|around|close\s+to|(?:north|south|east|west)(?:east|west)?"
                  r"\s+of)\b", re.IGNORECASE)
BARE_AREAS = {"city", "town", "village"}  # "the city" = the last such place named
CONFIDENCE = {"capture": 0.8, "loss": 0.75, "siege": 0.75, "hold": 0.7}
_RULES = DedupRules()


def holder_side(holder: Holder) -> tuple[str | None, str | None] | None:
    """(country or organisation, sector family): one side of a war. SYRMIL and SYRGOV are
    one side, SYRREB another."""
    return _RULES.actor_key(ActorRef(text=holder.text or "", code=holder.code,
                                     country=holder.country, sector=holder.sector))


class ControlReader:
    """Reads control claims from articles with a loaded ``Coder``'s parts."""

    def __init__(self, coder, rules: ControlRules | None = None):
        self.coder = coder
        self.rules = rules or ControlRules.load(getattr(coder.config, "dicts", ()))
        forms = sorted(self.rules.surface_forms(), key=len, reverse=True)
        self.prefilter = re.compile(r"\b(?:" + "|".join(map(re.escape, forms)) + r")\b",
                                    re.IGNORECASE)
        self.block = self.rules.function_words("block")
        self.passing = self.rules.function_words("pass")
        self.cancel = self.rules.function_words("cancel")
        self.done = self.rules.function_words("done")
        self._last_area = None  # the last area a sentence named (for "it")
        self.shares = self.rules.words_of("share")
        self.parts = self.rules.words_of("part")
        self.areas = self.rules.words_of("area")

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
            docs = self.coder.nlp.parse([self.coder.parse_text(s.text) for _c, s in todo])
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
        found: list[ControlClaim] = []
        for tok in doc:
            for rule in self._rules_at(tok):
                found.extend(self._claims(ctx, sent, doc, tok, rule, places, matched))
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
        is_verb = tok.tag_ in VERB_TAGS and tok.dep_ not in ("amod", "compound")
        out = []
        if tok.dep_ in ("amod", "acomp", "compound", "conj", "advmod", "oprd") or tok.tag_ == "JJ" \
                or (tok.tag_ == "VBN" and tok.i > 0 and tok.doc[tok.i - 1].text == "-"):
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
        near = {t.lower_ for c in tok.children for t in [c, *c.children]}
        near |= {t.lower_.rstrip("s") for t in tok.children}
        return all(w in near for w in rule.words[1:])

    # -- one trigger --------------------------------------------------------------------
    def _claims(self, ctx, sent, doc, tok, rule: ControlRule, places, matched) -> list:
        kind = rule.kind
        if rule.pattern == "control" and rule.pos == "noun":
            return self._control_noun(ctx, sent, doc, tok, rule, places, matched)
        state = self._asserted(tok, rule)
        if state is None:
            return []
        if rule.pos == "noun" and rule.kind != "hold" and not self._happened(tok, rule):
            return []
        if state == "loss":
            kind = "loss"
        passive = any(c.dep_ == "nsubjpass" for c in tok.children) or (
            tok.dep_ == "acl" and tok.tag_ == "VBN")
        if "present_hold" in rule.flags and tok.tag_ in ("VBZ", "VBP") and not _has_aux(tok):
            kind = "hold"
        if rule.kind == "capture" and tok.tag_ == "VBG" and any(
                c.dep_ == "aux" and c.lower_ in ("is", "are", "was", "were", "be", "been")
                for c in tok.children):
            return []  # "troops were retaking the town": not taken yet
        place_toks = self._role_tokens(tok, rule.place, rule, passive, "place")
        if not place_toks:
            return []
        areas = [a for t in place_toks for a in self._areas(ctx, sent, t, places, doc, rule)]
        if not areas and kind == "hold" and rule.pos == "verb" and any(
                t.lower_ in SPREADS or t.lower_ in self.areas for t in place_toks):
            # "the enclave they still control in Aleppo's southeastern districts"
            areas = [a for t in _prep_objects(tok, {"in"})
                     for a in self._areas(ctx, sent, t, places, doc, rule)]
        if not areas:
            return []
        dref = self._date(ctx, sent, doc, tok)
        if kind == "hold" and "dated_past" in rule.flags and dref is None and (
                tok.tag_ == "VBD" or any(c.lower_ == "had" and c.dep_ == "aux"
                                         for c in tok.children)):
            return []  # "rebels held the town": when? (past holding, undated)
        out = []
        loser = rule.loser
        if kind == "capture" and not loser and "prep:from" not in rule.place \
                and _prep_objects(tok, {"from"}):
            loser = "prep:from"  # "recaptured the crossing from rebels": they lost it
        for role, k in [(rule.holder, kind), ((loser,), "loss"), ((rule.gainer,), "capture")]:
            if not role or role == (None,):
                continue
            if k == "loss" and role != rule.holder and kind != "capture":
                continue
            holders = self._holders(ctx, sent, tok, role, passive, rule, areas)
            for h in holders:
                for area, share in areas:
                    out.append(self._claim(ctx, sent, doc, tok, k, area, share, h, dref, matched,
                                           rule))
        return [c for c in out if c is not None]

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
        if negated:
            longer = any(t.lower_ == "longer" for t in doc[max(0, tok.i - 3):tok.i + 2])
            if rule.kind == "hold" and "longer_loss" in rule.flags and longer:
                return "loss"
            return None
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
                break
            lemmas = set(self.rules.lemmas(head.lower_))
            if lemmas & self.block:
                return None
            if lemmas & self.passing:
                infinitive = False
            if head.lower_ == "without" or (dep == "pcomp" and head.lower_ in ("before",)):
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
                return [tok.head]  # "Douma, captured by rebels in 2012"
            if passive:
                return [c for k in kids if k.dep_ == "nsubjpass" for c in conjuncts(_antecedent(k))]
            objs = [c for k in kids if k.dep_ in ("dobj", "obj") for c in conjuncts(_antecedent(k))]
            if not objs and tok.dep_ == "relcl":
                objs = [tok.head]  # "the enclave they still control"
            # particle verbs: "pull out of X" has no object
            return [o for o in objs if o.lower_ not in rule.words]
        if role == "subj":
            if passive and what == "holder":
                return self._role(tok, "agent", rule, passive, what)
            if what == "holder":
                s = self.coder.analyzer._acting_subject(tok)
                return conjuncts(s) if s is not None else []
            subj = [k for k in kids if k.dep_ in ("nsubj", "nsubjpass")]
            if not subj and tok.dep_ in ("relcl", "acl"):
                return [tok.head]
            return [c for s in subj for c in conjuncts(_antecedent(s))]
        if role == "agent":
            return [c for k in kids if k.dep_ == "agent" for g in k.children
                    if g.dep_ == "pobj" for c in conjuncts(g)] + _prep_objects(tok, {"by"})
        if role.startswith("prep:"):
            word = role[5:]
            hosts = [tok] + [k for k in kids if k.lower_ in rule.words or k.dep_ == "prt"]
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
            if not found and rule.kind == "hold":
                found = _prep_objects(tok, {"in"})  # "rebel territory in east Aleppo"
            return found
        if role == "mod":
            if tok.i >= 2 and tok.doc[tok.i - 1].text == "-":
                left = tok.doc[tok.i - 2]
                return [left]
            return [k for k in kids if k.dep_ in ("poss", "compound", "amod", "nmod", "npadvmod")
                    and k.i < tok.i]
        return []

    def _holders(self, ctx, sent, tok, roles, passive, rule, areas) -> list[Holder]:
        toks = self._role_tokens(tok, roles, rule, passive, "holder")
        out: list[Holder] = []
        for t in toks:
            out.extend(self._holder_refs(ctx, sent, t, areas))
        return out

    def _holder_refs(self, ctx, sent, t, areas) -> list[Holder]:
        if t.lower_ in ("hands", "control", "hand"):
            # "fell into the hands of X", "fell to rebel control"
            inner = _prep_objects(t, {"of"}) or [c for c in t.children
                                                 if c.dep_ in ("poss", "compound", "amod")]
            return [h for i in inner for h in self._holder_refs(ctx, sent, i, areas)]
        ref = self.coder._ref_for_head(ctx, sent, t)
        if ref is None and upos(t) in ("NOUN", "ADJ", "PROPN") or t.tag_ == "JJ":
            ref = self._word_actor(ctx, t.text) if ref is None else ref
        if ref is None:
            return []
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
                return ref
        return None

    # -- places -------------------------------------------------------------------------
    def _named(self, tok, doc, places) -> bool:
        return upos(tok) == "PROPN" or _place_at(tok, places) is not None

    def _share(self, tok) -> float | None:
        """The fraction a share word heads: "70 percent (of)", "most (of)", "two-thirds"."""
        text = tok.lower_
        left = tok.doc[max(0, tok.i - 2):tok.i + 1].text.lower().replace(" - ", "-")
        for cand in (left, text):
            for w, r in self.shares.items():
                if cand.endswith(w) and r.value:
                    return float(r.value)
        if text in self.shares and text in ("percent", "percentage") or text == "cent":
            num = next((c for c in tok.children if c.dep_ == "nummod"), None)
            if num is None and tok.i > 0 and tok.doc[tok.i - 1].tag_ == "CD":
                num = tok.doc[tok.i - 1]
            try:
                return round(float(num.text.replace(",", "")) / 100, 4) if num is not None else None
            except ValueError:
                return None
        if tok.text.endswith("%"):
            try:
                return round(float(tok.text[:-1]) / 100, 4)
            except ValueError:
                return None
        return None

    def _areas(self, ctx, sent, tok, places, doc, rule) -> list[tuple[Area, float | None]]:
        """The named areas a place phrase headed by ``tok`` speaks of, each with a share."""
        share = self._share(tok)
        if share is not None:
            inner = _prep_objects(tok, {"of"})
            if not inner:
                return []
            out = []
            for t in inner:
                out += [(a, share) for a, _s in self._areas(ctx, sent, t, places, doc, rule)]
            return out
        if any(c.lower_ in self.cancel for c in tok.children if c.dep_ in ("amod", "advmod")):
            return []  # "former rebel territory"
        area = self._area(ctx, sent, tok, places, doc, rule)
        if area is not None:
            self._last_area = area
            return [(area, None)]
        # an unnamed head: "five districts including the Shaar neighbourhood", "the
        # territory in east Aleppo", "the town of Douma", "Aleppo's southeastern districts"
        # "in" only for stretches of ground ("the territory in east Aleppo"): "a building in
        # Valparaiso", "a neighbourhood in east Aleppo" are not Valparaiso or east Aleppo
        low = tok.lower_
        preps = {"including", "of"} | ({"in"} if low in SPREADS else set())
        named = _prep_objects(tok, preps)
        if low in self.areas or low.rstrip("s") in self.areas or upos(tok) == "PROPN":
            named += [c for c in tok.children if c.dep_ == "appos"]
        if not named and tok.dep_ == "appos" and (low in self.areas or low.rstrip("s") in self.areas):
            named = [tok.head]  # "Eastern Ghouta, the last rebel-held enclave"
        if not named and low in ("it", "them") and self._last_area is not None:
            return [(self._last_area, None)]  # "occupied the plant and withdrew from it"
        out = []
        for t in named:
            out += self._areas(ctx, sent, t, places, doc, rule)
        return out

    def _area(self, ctx, sent, tok, places, doc, rule) -> Area | None:
        part = next((self.parts[c.lower_].value for c in tok.children
                     if c.dep_ in ("amod", "compound", "nmod") and c.lower_ in self.parts), None)
        place = _place_at(tok, places)
        low = tok.lower_
        if place is not None and upos(tok) == "NOUN" and NEAR.search(
                sent.text[tok.idx + len(tok.text):place.end]):
            place = None  # "an enclave near Damascus" is not Damascus
        if place is not None and (low in self.areas or low.rstrip("s") in self.areas):
            # "the Shaar district of east Aleppo": the gazetteer falls back to Aleppo; the
            # district is kept under it with its own name
            names = [c for c in tok.children if c.dep_ in ("compound", "nmod")
                     and upos(c) == "PROPN" and c.lower_ not in self.parts]
            if names and fold(" ".join(t.text for t in names)) not in fold(place.name or ""):
                if not self._is_actor(ctx, sent, names):
                    name = " ".join(t.text for t in names)
                    city = place if place.feature not in ("country",) else None
                    return Area(name=name, within=city.name if city else None,
                                country=place.country, feature="local",
                                lat=city.lat if city else None, lon=city.lon if city else None,
                                text=name)
        if place is not None:
            # "east Aleppo": a compass part of a named city is kept under it
            if part is None:
                first = doc[max(0, _first_index(tok) - 1)]
                if first.lower_ in self.parts and first.i < tok.i:
                    part = self.parts[first.lower_].value
            if part is not None and place.feature != "country":
                return Area(name=f"{part} {place.name}", within=place.name, country=place.country,
                            feature="part", lat=place.lat, lon=place.lon, text=tok.text)
            return _gaz_area(place, tok.text)
        low = tok.lower_
        poss = next((c for c in tok.children if c.dep_ == "poss"), None)
        if part is not None and poss is not None and _place_at(poss, places) is not None \
                and upos(tok) == "NOUN":
            city = _place_at(poss, places)
            return Area(name=f"{part} {city.name}", within=city.name, country=city.country,
                        feature="part", lat=city.lat, lon=city.lon, text=tok.text)
        if upos(tok) == "PROPN" and low not in self.parts:
            name_toks = [c for c in tok.children if c.dep_ == "compound" and upos(c) == "PROPN"
                         and c.i < tok.i] + [tok]
            name = " ".join(t.text for t in sorted(name_toks, key=lambda t: t.i))
            # "the village of Imam Gharbi" is a place whatever the name looks like
            after_area = tok.dep_ == "pobj" and tok.head.lower_ == "of" and (
                tok.head.head.lower_ in self.areas or tok.head.head.lower_.rstrip("s") in self.areas)
            if not after_area and self._is_actor(ctx, sent, name_toks):
                return None
            if not name[:1].isupper():
                return None
            return self._local(ctx, sent, tok, name, places, doc)
        if low in self.areas or low.rstrip("s") in self.areas:
            names = [c for c in tok.children if c.dep_ in ("compound", "nmod")
                     and upos(c) == "PROPN" and c.i < tok.i]
            if names:
                place = _place_at(names[-1], places)
                if place is not None:
                    return _gaz_area(place, tok.text)
                name = " ".join(t.text for t in names)
                if self._is_actor(ctx, sent, names):
                    return None
                return self._local(ctx, sent, tok, name, places, doc)
            det = next((c for c in tok.children if c.dep_ == "det"), None)
            if low in BARE_AREAS and det is not None and det.lower_ == "the" and not any(
                    c.dep_ in ("prep", "amod", "compound", "appos", "poss")
                    for c in tok.children):
                # "the city": the last city the story named, in this or the two sentences before
                return self._antecedent_city(ctx, sent, tok, places)
        return None

    def _is_actor(self, ctx, sent, toks) -> bool:
        lo = min(t.idx for t in toks)
        hi = max(t.idx + len(t.text) for t in toks)
        return any(m.ref.start <= lo and hi <= m.ref.end and m.kind not in ("capital", "country")
                   for m in ctx.actors.get(sent.index, ()))

    def _local(self, ctx, sent, tok, name, places, doc) -> Area:
        """A place the gazetteer lacks, kept under its city."""
        city = None
        for t in _prep_objects(tok, {"of", "in"}) + [c for c in tok.children if c.dep_ == "poss"]:
            city = _place_at(t, places)
            if city is not None:
                break
        if city is None:
            city = self._city_near(ctx, sent, tok, places)
        return Area(name=name, within=city.name if city else None,
                    country=city.country if city else (ctx.default_country or None),
                    feature="local", lat=city.lat if city else None,
                    lon=city.lon if city else None, text=name)

    def _city_near(self, ctx, sent, tok, places):
        cities = [p for p in places if p.feature not in ("country",)
                  and not (p.start <= tok.idx < p.end)]
        if cities:
            return min(cities, key=lambda p: abs(p.start - tok.idx))
        return self._previous_city(ctx, sent, back=6)

    def _antecedent_city(self, ctx, sent, tok, places) -> Area | None:
        before = [p for p in places if p.end <= tok.idx and p.feature not in ("country", "admin1")]
        place = before[-1] if before else self._previous_city(ctx, sent, back=2)
        return _gaz_area(place, tok.text) if place is not None else None

    def _previous_city(self, ctx, sent, back: int):
        # a headline's place is named in the lead: look at the first body sentences
        indices = range(3) if sent.index < 0 else \
            range(sent.index - 1, max(-1, sent.index - 1 - back), -1)
        for idx in indices:
            s = ctx.sentences.get(idx)
            if s is None:
                continue
            found = [p for p in self.coder.places.find(s.text, focus=ctx.focus)
                     if p.feature not in ("country", "admin1")]
            if found:
                return found[-1]
        return None

    # -- dates, claim -------------------------------------------------------------------
    def _date(self, ctx, sent, doc, tok):
        if ctx.published is None:
            return None
        dates = self.coder.dates.find(sent.text, ctx.published)
        best, best_depth = None, 99
        anchor = tok if tok.tag_ in VERB_TAGS else _verb_above(tok)
        for d in dates:
            span = doc.char_span(d.start, d.end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            root = span.root
            chain = [root, *root.ancestors]
            if tok in chain:
                depth = chain.index(tok)
            elif anchor is not None and _verb_above(root) == anchor:
                depth = 50  # "seized Mosul, Iraq's second city, on Tuesday"
            else:
                continue
            if depth < best_depth:
                best, best_depth = d, depth
        if best is not None:
            return best
        # "Yesterday, troops retook X and were in control of Y": the coordinated head's date
        up = tok
        for _ in range(3):
            if up.dep_ not in ("conj", "xcomp", "advcl", "pcomp", "pobj", "prep", "acl") \
                    or up.head == up:
                break
            up = up.head
            for d in dates:
                span = doc.char_span(d.start, d.end, alignment_mode="expand")
                if span is not None and len(span) and span.root.head == up \
                        and span.root.dep_ in ("npadvmod", "prep", "pobj", "tmod", "advmod"):
                    return d
                if span is not None and len(span) and span.root.head.head == up \
                        and span.root.head.dep_ == "prep":
                    return d
        # one date in the sentence, hung on a verb the parse put elsewhere ("seized key
        # ground in its battle to retake Aleppo yesterday, capturing ..."): it dates the claim
        if len(dates) == 1 and dates[0].precision == "day" and tok.tag_ in VERB_TAGS \
                and not any(t.dep_ == "relcl" for t in [tok, *tok.ancestors]) \
                and not set(self.rules.lemmas(tok.lower_)) & {"hold", "control"}:
            return dates[0]
        return None

    def _claim(self, ctx, sent, doc, tok, kind, area, share, holder, dref, matched,
               rule) -> ControlClaim | None:
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


def _one_per_article(claims: list[ControlClaim]) -> list[ControlClaim]:
    """A headline and the body report the same capture: one claim per (kind, area, side)
    and article; an explicit day beats the publication day, the body the headline."""
    best: dict[tuple, ControlClaim] = {}
    order: list[tuple] = []
    # a headline sums up the body: with a body claim of the same kind and area, its own
    # (often generic: "Fighters hold Palmyra") holder adds nothing
    in_body = {(c.kind, c.place.key) for c in claims if c.sentence_index >= 0}
    claims = [c for c in claims if c.sentence_index >= 0 or (c.kind, c.place.key) not in in_body]
    for c in claims:
        key = (c.kind, c.place.key, holder_side(c.holder))
        old = best.get(key)
        if old is None:
            best[key] = c
            order.append(key)
        elif _rank(c) > _rank(old):
            c.mention_ids = list(dict.fromkeys(c.mention_ids + old.mention_ids))
            best[key] = c
    return [best[k] for k in order]


def _rank(c: ControlClaim) -> tuple:
    return (c.date_precision == "day", c.sentence_index >= 0, c.confidence)


def _verb_above(tok):
    for anc in tok.ancestors:
        if anc.tag_ in VERB_TAGS:
            return anc
    return None


def _has_aux(tok) -> bool:
    return any(c.dep_ in ("aux", "auxpass") for c in tok.children)


def _antecedent(tok):
    """A relative pronoun stands for the noun its clause modifies."""
    if tok.lower_ in RELATIVE and tok.head.dep_ in ("relcl", "acl"):
        return tok.head.head
    return tok


def _prep_objects(tok, preps: set[str]) -> list:
    out = []
    for child in tok.children:
        if child.dep_ in ("prep", "agent") and (not preps or child.lower_ in preps):
            for g in child.children:
                if g.dep_ == "pobj":
                    out.extend(conjuncts(g))
                elif g.dep_ == "prep":  # "out of": the particle's own preposition
                    out.extend(c for gg in g.children if gg.dep_ == "pobj" for c in conjuncts(gg))
    return out


def _first_index(tok) -> int:
    return min([tok.i] + [c.i for c in tok.children if c.dep_ == "compound"])


def _place_at(tok, places):
    for p in places:
        if p.start <= tok.idx < p.end:
            return p
    return None


def _gaz_area(place, text) -> Area:
    feature = place.feature or "city"
    return Area(name=place.name or place.text, within=None, country=place.country,
                feature=feature, lat=place.lat, lon=place.lon, geonameid=place.geonameid,
                text=place.text or text)


def _link(claim: ControlClaim, mentions: Sequence[Mention]) -> None:
    same = [m for m in mentions if m.sentence_index == claim.sentence_index]
    hit = [m for m in same if m.trigger_start is not None and m.trigger_start < claim.trigger_end
           and claim.trigger_start < (m.trigger_end or m.trigger_start)]
    chosen = hit or [m for m in same if m.event_type in ("ASSAULT", "RETREAT", "COERCE")]
    claim.mention_ids = [m.id for m in chosen if m.id]
    claim.event_ids = list(dict.fromkeys(m.event_id for m in chosen if m.event_id))

