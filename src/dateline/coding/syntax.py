"""From one parsed sentence to event candidates: triggers, roles, negation, modality.

Works on a spaCy ``Doc`` of a single sentence and the ``Lexicon``. It knows nothing of
actors' codes, places or dates: it returns token-level roles that ``coder`` resolves.
"""

from __future__ import annotations

from collections.abc import Sequence

from dateline.coding.candidates import Candidate
from dateline.coding.lexicon import Lexicon, TriggerRule, singular as _singular, stems
from dateline.event_types import event_types
from dateline.coding.clauses import purpose as _is_purpose
from dateline.coding.dates import WEEKDAYS
from dateline.nlp import upos

SUBJ = {"nsubj", "nsubjpass", "csubj", "expl"}
# clause-level children that are not part of a noun phrase naming an actor
CLAUSAL = {"relcl", "acl", "advcl", "ccomp", "xcomp", "parataxis", "punct", "mark", "prep"}
NP_PREPS = {"of"}
RELATIVE = {"which", "who", "that", "whom", "whose"}
RECIPIENT_PREPS = {
    "against", "on", "upon", "at", "with", "to", "into", "toward", "towards", "over", "from",
}
NEGATORS = {"not", "n't", "never", "no"}
# object classes whose object is (or names) the recipient: people, places, and the texts
# of others (a resolution, a deal) whose author is the one rejected or agreed with
PERSON_CLASSES = {"PERSON", "PRISONER", "AMBASSADOR", "CROWD", "PLACE", "TERRITORY",
                  "RESOLUTION", "AGREEMENT", "TALKS"}
HYPOTHETICAL_AUX = {"could", "might", "may", "would", "should"}
PLANNED_AUX = {"will", "shall", "'ll"}
DEFINITE = {"the", "this", "that", "these", "those"}  # an event noun with them is known already
# adjectives whose "to" complement is no report of the act: "are free to arrest us",
# "is ready to attack" ("able to arrest" is: they did)
MODAL_ADJECTIVES = {"free": "hypothetical", "willing": "hypothetical", "eager": "hypothetical",
                    "keen": "hypothetical", "welcome": "hypothetical", "likely": "hypothetical",
                    "unlikely": "hypothetical", "ready": "planned", "prepared": "planned",
                    "poised": "planned", "due": "planned", "determined": "planned"}
VERB_TAGS = {"VB", "VBD", "VBG", "VBN", "VBP", "VBZ"}
# the REJECT a negated or refused event becomes ("would not agree" -> 127 change)
REJECT_CAMEO = {t.name: (t.reject_cameo, t.reject_mode) for t in event_types().values()
                if t.reject_cameo}


MODIFIER_DEPS = {"compound", "amod", "nmod", "poss"}
# events that announcing them enacts ("announced sanctions", "announced a curfew"), unlike
# "announced talks", which are still to come
ENACTED_BY_ANNOUNCING = frozenset(t.name for t in event_types().values()
                                  if t.enacted_by_announcing)


def phrase(tok) -> list:
    """The tokens of the noun phrase headed by ``tok`` (conjuncts included, clauses out)."""
    out = [tok]
    for child in tok.children:
        if child.dep_ in CLAUSAL and not (child.dep_ == "prep" and child.lower_ in NP_PREPS):
            continue
        out.extend(phrase(child))
    return out


# determiners of a noun that refers back to an event told before ("this attack shows")
BACK_POINTERS = frozenset({"this", "that", "these", "those", "such"})
# prepositions whose objects are the circumstances of an act, never who undergoes it
AROUND = frozenset({"between", "among", "near", "at", "in", "with", "from", "during", "after",
                    "before", "since", "over", "despite"})
# types whose participle describes who suffered them ("people killed", "activists detained")
PATIENT_HEAD_TYPES = frozenset({"ASSAULT", "COERCE"})
# words that count people: the subject of a headline's "dozens killed"
COUNT_WORDS = frozenset("dozens scores hundreds thousands tens many several some few".split())
# adverbs of a past the text does not date ("advani recently met rss leaders")
UNDATED_PAST = frozenset({"recently", "earlier", "previously", "formerly", "lately"})
# types whose purpose clause on another event is an intent only ("sent troops to fight")
INTENDED_ONLY = frozenset({"SUPPORT", "ASSAULT", "AGREE", "CONSULT", "SANCTION", "REJECT",
                           "ACCUSE", "COERCE", "PROTEST", "THREATEN"})
# nouns of time a preposition may take ("on Thursday", "on the day")
TIME_WORDS = frozenset(WEEKDAYS) | frozenset("day night morning evening afternoon weekend".split())
# verbs of acting in general: their purpose is the act ("acted swiftly to arrest him")
GENERIC_ACTS = frozenset({"act", "move", "step", "intervene", "swing", "rush", "hurry"})
# verbs that put an act to an addressee: "told X to", "ordered X to", "allowed X to"
DIRECTIVES = frozenset("tell order urge ask press persuade instruct direct warn advise request "
                       "invite encourage implore exhort push pressure pressurise pressurize "
                       "allow permit authorise authorize give call appeal".split())
# directives that command (not ask, press or permit): one's own people carry them out
COMMANDS = frozenset("tell order instruct direct".split())
# verbs of being and having: no act of their own
BE_HAVE = frozenset({"be", "is", "are", "was", "were", "been", "being", "have", "has", "had"})


def _has_complement(tok) -> bool:
    """Whether a verb governs a clause or an infinitive ("called on the government to
    resign", "called on them for restraint"), not only an object ("called on the governor")."""
    if any(c.dep_ in ("xcomp", "ccomp") for c in tok.children):
        return True
    return any(t.lower_ == "to" and t.dep_ == "aux" or t.dep_ == "prep" and t.lower_ == "for"
               for t in tok.subtree if t.i > tok.i)


def conjuncts(tok) -> list:
    """``tok`` and the heads coordinated with it ("Russia and China")."""
    out = [tok]
    for child in tok.children:
        if child.dep_ == "conj" and upos(child) in ("PROPN", "NOUN", "PRON"):
            out.extend(conjuncts(child))
    return out


# types whose noun after "under" tells a state that something did to it ("under curfew",
# "under attack", "under arrest", "under investigation")
UNDER_TYPES = frozenset({"COERCE", "ASSAULT", "ACCUSE"})

class SentenceAnalyzer:
    """Finds event candidates in a parsed sentence."""

    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon
        classes = lexicon.classes
        # what support is given in ("through training") or to ("the restoration of"): aid
        self._means = frozenset().union(*(classes.get(c, frozenset()) for c in (
            "AID", "MILITARY_AID", "ECON_AID", "HUMANITARIAN", "MEANS")))
        self._works = classes.get("PROJECT", frozenset())
        self._joint = classes.get("JOINT", frozenset())  # forces acting together

    # -- trigger matching ---------------------------------------------------------------
    def lemma_keys(self, tok) -> list[str]:
        keys = [tok.lower_]
        keys.extend(self.lex.lemmas_of(tok.lower_))
        keys.append(_singular(tok.lower_))
        return list(dict.fromkeys(keys))

    def match(self, tok, place_spans: list[tuple[int, int]]) -> TriggerRule | None:
        forms = self.lex.forms
        if tok.lower_ not in forms and _singular(tok.lower_) not in forms:
            return None  # no trigger has this form (every trigger head is among the forms)
        if tok.i > 0 and tok.doc[tok.i - 1].text == "-" and tok.dep_ in ("amod", "compound"):
            # "rebel-held areas", "Saudi-led coalition": a modifier, not an event
            return self._hyphenated(tok, place_spans)
        if tok.dep_ == "amod" and tok.tag_ == "VBN" and upos(tok.head) in ("NOUN", "PROPN"):
            return None  # "the expelled members", "arrested activists": who they are, not news
        return self._match(tok, place_spans)

    def _hyphenated(self, tok, place_spans) -> TriggerRule | None:
        rule = self._match(tok, place_spans)
        return rule if rule is not None and "-" in rule.trigger else None

    def _match(self, tok, place_spans: list[tuple[int, int]]) -> TriggerRule | None:
        is_verb = upos(tok) in ("VERB", "AUX") or tok.tag_ in VERB_TAGS
        is_noun = upos(tok) in ("NOUN", "PROPN") or tok.tag_ in ("NN", "NNS", "NNP", "NNPS")
        if is_noun and not is_verb and _acts_as_verb(tok):
            is_verb = True  # "Shabaab gunmen storm Nairobi mall": a verb the tagger missed
        for key in self.lemma_keys(tok):
            for rule in self.lex.rules.get((key, "verb"), ()):
                # "unable to", "failed to": whatever the tagger calls them
                if "negate_comp" in rule.flags:
                    return rule
            for pos in ("verb", "noun"):
                if pos == "verb" and not is_verb:
                    continue
                if pos == "noun" and not (is_noun or tok.lower_ in ("talks",)):
                    continue
                for rule in self.lex.rules.get((key, pos), ()):
                    if "complement" in rule.flags and not _has_complement(tok):
                        continue  # "called on the governor" (a visit), not "... to resign"
                    if self._words_ok(tok, rule) and self._object_ok(tok, rule, place_spans):
                        return rule
        return None

    def _words_ok(self, tok, rule: TriggerRule) -> bool:
        if len(rule.words) == 1:
            return True
        if rule.pos == "noun" or "-" in rule.trigger:
            # earlier words must be the tokens right before the head (hyphens skipped)
            doc, i = tok.doc, tok.i - 1
            for word in reversed(rule.words[:-1]):
                while i >= 0 and doc[i].text == "-":
                    i -= 1
                if i < 0 or word not in (doc[i].lower_, _singular(doc[i].lower_)):
                    return False
                i -= 1
            return True
        near = {w for t in _descendants(tok, 2) if not _of_time(t)
                for w in (t.lower_, _singular(t.lower_), *stems(t.lower_))}
        return all(w in near for w in rule.words[1:])

    def _object_ok(self, tok, rule: TriggerRule, place_spans) -> bool:
        if not rule.obj:
            return True
        objs = self.object_tokens(tok)
        if "inert" in rule.flags and rule.obj.isupper() and any(
                c.dep_ in ("dobj", "obj") for c in tok.children):
            # "send troops to Libya at the request of X": what a word sends is its object,
            # not a phrase of why ("send a request" is no deployment)
            why = {t.i for p in tok.children if p.dep_ == "prep" and p.lower_ in ("at", "upon")
                   for t in p.subtree}
            objs = [t for t in objs if t.i not in why]
        if rule.obj == "PLACE":
            return any(a <= t.idx < b for t in objs for a, b in place_spans)
        if rule.obj == "CLAUSE":  # a clause as its object: "charged that officials connived"
            return any(c.dep_ == "ccomp" for c in tok.children)
        if rule.obj == "DIRECT":
            # any direct object ("demonstrated the danger"), or an object of the row's
            # particle ("stand by every word")
            return any(c.dep_ in ("dobj", "obj") or (
                c.lower_ in rule.words[1:] and any(g.dep_ == "pobj" for g in c.children))
                for c in tok.children)
        if rule.obj == "PERSON" and rule.pos == "verb":
            # who is held is the verb's object, not who the talks held "between" or a place's
            # people ("talks had been held near Oslo between Israeli and PLO officials")
            objs = [t for t in objs if not (t.head.dep_ == "prep" and t.head.lower_ in AROUND)
                    and not any(a.dep_ == "prep" and a.lower_ in AROUND and a.head.i == tok.i
                                for a in t.ancestors)]
        lemmas = {w for t in objs for w in (t.lower_, _singular(t.lower_))}
        if rule.obj.isupper():
            words = self.lex.classes.get(rule.obj, frozenset())
            # "@air": the word counts only as a phrase's head ("into the air"), never as a
            # modifier ("air strikes")
            heads = {"@" + w for t in objs if t.dep_ not in MODIFIER_DEPS
                     for w in (t.lower_, _singular(t.lower_))}
            return bool(lemmas & words) or bool(heads & words)
        return rule.obj in lemmas

    @staticmethod
    def object_tokens(tok) -> list:
        # "an agreement signed by the ministers", "sanctions imposed on Iran by the US": the
        # noun a passive participle with an agent modifies is its object ("hostages held in
        # Gaza", with no agent, describe a state, not an event)
        out = [tok.head] if tok.dep_ == "acl" and tok.tag_ == "VBN" and any(
            c.dep_ == "agent" for c in tok.children) else []
        copula = tok.lower_ in BE_HAVE
        for child in tok.children:
            if child.dep_ in ("dobj", "obj", "attr", "nsubjpass", "oprd", "dative", "compound",
                              "npadvmod", "dep") or (copula and child.dep_ == "acomp"):
                out.extend(phrase(child))
            elif child.dep_ in ("prep", "agent") or child.dep_ == "prt":
                for g in child.children:
                    if g.dep_ == "pobj":
                        out.extend(phrase(g))
                    elif g.dep_ == "pcomp":  # "warned of looming famine"
                        out.extend(t for c in g.children if c.dep_ in ("dobj", "obj")
                                   for t in phrase(c))
            elif child.dep_ == "advcl" and child.tag_ == "VBG" and out \
                    and child.i == max(t.i for t in out) + 1 \
                    and not any(c.dep_ in ("nsubj", "dobj") for c in child.children):
                # "reopened the Kerem Shalom crossing into Gaza": the tagger made the object's
                # head noun a participle
                out.append(child)
            elif child.dep_ == "ccomp":
                # "warned that millions faced hunger", "warned it would impose sanctions":
                # what the clause's verb takes; and a question word opening it ("asked why")
                out.extend(t for c in child.children if c.dep_ in ("dobj", "obj")
                           for t in phrase(c))
                out.extend(t for t in child.lefts if t.tag_ in ("WRB", "WP", "WDT")
                           or (t.dep_ == "mark" and t.lower_ in ("whether", "if")))
        return out

    # -- analysis -----------------------------------------------------------------------
    def analyze(self, doc, place_spans: Sequence[tuple[int, int]] = (),
                found: Sequence[Candidate] = ()) -> list[Candidate]:
        """The ``Finder`` of the trigger rules: ``found`` and the rules' candidates."""
        matched = self.matches(doc, place_spans)
        if not matched:
            return list(found)
        absorbed = self._absorbed(doc, matched) | self._consumed(doc, matched)
        undone = self._failures(doc, matched)
        out = list(found)
        for i, rule in matched.items():
            if not rule.is_event or i in absorbed:
                continue
            tok = doc[i]
            cand = self._candidate(tok, rule, matched, undone.get(i))
            if cand is not None:
                out.append(cand)
        return out

    def matches(self, doc, place_spans: Sequence[tuple[int, int]] = ()) -> dict[int, TriggerRule]:
        """Every token of ``doc`` that a trigger row (event or function word) matches."""
        matched: dict[int, TriggerRule] = {}
        for tok in doc:
            rule = self.match(tok, list(place_spans))
            if rule is not None:
                matched[tok.i] = rule
        return matched

    def candidate_at(self, tok, event_type: str, cameo: str, confidence: float,
                     matched: dict[int, TriggerRule], finder: str) -> Candidate | None:
        """A candidate of ``event_type`` anchored on ``tok`` with roles, negation, modality
        and source read from the parse as for a trigger row: for finders that know the type
        but have no row (the learned detector)."""
        pos = "noun" if upos(tok) in ("NOUN", "PROPN") else "verb"
        rule = TriggerRule(trigger=tok.lower_, words=(tok.lower_,), pos=pos, obj=None,
                           event_type=event_type, cameo=cameo, mode=None,
                           flags=frozenset(), confidence=confidence)
        # the finder read the sentence as an event: its noun needs no licence of its own
        cand = self._candidate(tok, rule, matched, licensed=True)
        if cand is not None:
            cand.finder = finder
        return cand

    def _failures(self, doc, matched: dict[int, TriggerRule]) -> dict[int, object]:
        """"failed to prevent", "unable to check the mob": a protective act that did not
        happen is a negated COERCE of whoever failed (the chain walk adds the negation).
        "did nothing to stop the mob", "did not do enough to protect": the act named in the
        purpose clause of an effort verb whose object is nothing (or a negated anything) was
        not done; returns those acts' tokens with the effort verb (whose subject acts)."""
        undone: dict[int, object] = {}
        for i, rule in list(matched.items()):
            if "negate_comp" in rule.flags:
                for child in doc[i].children:
                    if child.dep_ != "xcomp":
                        continue
                    # "failed to take measures and control the situation": each conjunct
                    for verb in _verb_conjuncts(child):
                        if not _event_at(matched, verb) and self._protective(verb):
                            matched[verb.i] = self.lex.failure_rule
            elif "effort" in rule.flags and _is_verb(doc[i]):
                for verb in self._purposes_not_done(doc[i]):
                    if not _event_at(matched, verb) and self._protective(verb):
                        matched[verb.i] = self.lex.failure_rule
                    if _event_at(matched, verb):
                        undone[verb.i] = doc[i]
        return undone

    def _protective(self, tok) -> bool:
        return bool(self._forms(tok) & self.lex.classes.get("PROTECT", frozenset()))

    def _forms(self, tok) -> set[str]:
        """The word, its known lemmas and crude base forms (the pipeline has no lemmatizer)."""
        return {*self.lemma_keys(tok), *stems(tok.lower_)}

    def _purposes_not_done(self, verb) -> list:
        """Purpose clauses ("to stop the mob") of ``verb`` when it did nothing: "did nothing
        / little to", "did not do anything / enough to"."""
        nothing = self.lex.classes.get("NOTHING", frozenset())
        anything = self.lex.classes.get("ANYTHING", frozenset())
        negated = _negated(verb)
        objs = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
        if not any(o.lower_ in nothing or (negated and o.lower_ in anything) for o in objs):
            return []
        out = []
        for node in [verb, *objs]:
            for child in node.children:
                if child.dep_ in ("xcomp", "advcl", "relcl", "acl") and _is_verb(child) \
                        and any(g.dep_ == "aux" and g.lower_ == "to" for g in child.children):
                    out.extend(_verb_conjuncts(child))
        return out

    def _consumed(self, doc, matched: dict[int, TriggerRule]) -> set[int]:
        """Event nouns that are the object a verb's row asked for ("eased their *siege*",
        "called off the *strike*", "suspended *talks*"): the verb's row already says what
        happened to them; they are no events of their own."""
        out: set[int] = set()
        for i, rule in matched.items():
            if not rule.is_event or not rule.obj or rule.obj == "PLACE" or rule.pos != "verb":
                continue
            words = self.lex.classes.get(rule.obj, frozenset()) if rule.obj.isupper() \
                else frozenset({rule.obj})
            for child in doc[i].children:
                if child.dep_ in ("dobj", "obj", "nsubjpass") and child.i in matched \
                        and matched[child.i].is_event and child.i != i \
                        and {child.lower_, _singular(child.lower_)} & words:
                    out.add(child.i)
        return out

    def _absorbed(self, doc, matched: dict[int, TriggerRule]) -> set[int]:
        """Trigger tokens inside the complement of a speech act (accused X of *bombing*),
        a refusal or a request: they are what is asked, denied or alleged, not events."""
        out: set[int] = set()
        for i, rule in matched.items():
            if not rule.is_event or "absorb" not in rule.flags:
                continue
            tok = doc[i]
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ == "with":
                    continue  # "rejected the charge, with its foreign office accusing X"
                if child.dep_ in ("dobj", "obj", "xcomp", "ccomp", "prep", "pcomp",
                                  "attr", "acomp", "oprd", "dative", "prt", "npadvmod") or (
                        child.dep_ == "advcl" and _to_infinitive(child)):
                    # (an infinitive parsed as a clause of its own after "threatened on
                    # Monday to kill ...")
                    out.update(_complement(child))
            # a nominal speech act ("the rejection of talks") absorbs its prepositional object
        return out

    def _candidate(self, tok, rule: TriggerRule, matched, effort=None,
                   licensed: bool = False) -> Candidate | None:
        doc = tok.doc
        start = tok.idx
        if rule.pos == "noun" or "-" in rule.trigger:
            first = tok.i
            for _ in rule.words[:-1]:
                first -= 1
                while first > 0 and doc[first].text == "-":
                    first -= 1
            start = doc[max(first, 0)].idx
        cand = Candidate(token=tok, start=start, end=tok.idx + len(tok.text),
                         event_type=rule.event_type, cameo=rule.cameo, mode=rule.mode,
                         flags=rule.flags, obj=rule.obj, confidence=rule.confidence,
                         nominal=rule.pos == "noun")
        if cand.nominal:
            if not self._nominal_roles(tok, cand, matched, licensed):
                return None
        else:
            self._verbal_roles(tok, cand)
            # "the families of those killed in the tragedy": a participle that says who
            # people are tells of an event known already
            cand.recalled = tok.dep_ == "acl" and tok.tag_ == "VBN" \
                and upos(tok.head) in ("NOUN", "PRON")
            if _told_as_before(tok):
                # "returned the vessels it seized a year ago", "freed the aid workers they had
                # kidnapped in November": who or what they are, from an act told as past
                return None
        cand.undated_past = any(c.dep_ == "advmod" and c.lower_ in UNDATED_PAST
                                for c in tok.children)
        cand.told_earlier = self._told_as_earlier(tok)
        if effort is not None:
            # "the police did nothing to stop the mob": who did nothing failed to act
            subj = self._acting_subject(effort)
            cand.actors = conjuncts(subj) if subj is not None else []
        if "negated" in rule.flags:
            cand.negated = True  # "stood by", "inaction": a failure to act
        self._negation_and_modality(tok, cand, matched)
        if cand.modality == "conditional" and _condition_of_threat(tok, matched):
            # "threatened tariffs unless Beijing cracks down", "to drive Iraq out if it does
            # not withdraw": the condition is what the threat demands, not an act
            return None
        if effort is not None:
            cand.negated = True
        if "only_negated" in rule.flags and not cand.negated:
            return None
        if cand.event_type == "REQUEST" and _reporters_question(tok):
            return None
        if _asked_whether(tok):
            return None  # "asked whether the party had sought the congress's support"
        self._speaker(tok, cand, matched)
        if cand.event_type == "SUPPORT" and self._material_support(tok):
            # "supports the SDF through training and airstrikes", "will support conservation
            # work": support given in means or to a project is aid, not a political stance
            cand.event_type, cand.cameo, cand.mode = "AID", "07", None
        if cand.event_type == "MOBILIZE" and any(
                c.dep_ in ("amod", "compound", "advmod") and c.lower_ in self._joint
                for c in tok.children):
            # "a joint military exercise", "jointly patrolled": forces acting together
            cand.event_type, cand.cameo, cand.mode = "COOPERATE", "062", None
        if rule.trigger == "be":
            # "May said Moscow was culpable": the speaker censures the subject; no speaker,
            # no one to blame
            subj = _subject(tok)
            if cand.speaker is None or subj is None or cand.negated:
                return None
            cand.actors, cand.recipients = conjuncts(cand.speaker), [conjuncts(subj)]
            return cand
        if _demanded(tok, cand):
            # "he said the government must ban these organisations": the speaker demands
            # it of the government; nothing is banned
            cand.recipients = [cand.actors] if cand.actors else []
            cand.actors = conjuncts(cand.speaker)
            cand.event_type, cand.cameo, cand.mode = "REQUEST", "10", None
            cand.modality = "asserted"
            return cand
        if cand.event_type == "ACCUSE" and tok.dep_ == "acl" and tok.tag_ == "VBN" \
                and not any(c.dep_ == "agent" for c in tok.children):
            # "demolished the homes of two men accused of the attack": who they are, not an
            # accusation anyone made here
            return None
        if rule.obj == "CENSURE" and tok.tag_ == "VBG" and tok.dep_ in ("advcl", "conj") \
                and tok.head.i in matched and matched[tok.head.i].is_event:
            # "refused the shipment, calling it an insult": how the act was told, not a
            # further criticism
            return None
        if cand.cameo == "041" and any(c.dep_ in ("oprd", "ccomp", "xcomp") for c in tok.children):
            return None  # "called Bush the devil", "calling it a failure": no phone call
        if cand.event_type == "MOBILIZE" and self._forms(tok) & COMMANDS and any(
                c.dep_ in ("xcomp", "ccomp") and c.i in matched and matched[c.i].is_event
                and matched[c.i].event_type != "MOBILIZE" for c in tok.children):
            # "ordered troops to open fire": the order is the act it commands, no deployment
            return None
        if not cand.nominal and self._directed(tok):
            # "told the pilgrims to leave", "gave the troops until dawn to lay down their
            # arms", "allowing him to leave": what someone is told, pressed or allowed to do
            # has not happened
            return None
        top = tok
        while top.dep_ == "xcomp" and top.head.i != top.i and _is_verb(top.head):
            top = top.head  # "to help fight", "to try to seize"
        if cand.event_type in INTENDED_ONLY and not cand.nominal \
                and top.dep_ in ("advcl", "acl") and _is_purpose(top) \
                and top.head.i in matched and matched[top.head.i].is_event \
                and not self._forms(top.head) & GENERIC_ACTS:
            # "deployed 1,000 soldiers to help fight the insurgents", "a fund established to
            # support their resettlement": the purpose of an act is its intent, not an event
            # (moving troops or aid to do something does it: those types keep theirs)
            return None
        if cand.event_type == "ASSAULT":
            self._harm_without_agent(tok, cand)
        if cand.negated and cand.event_type in REJECT_CAMEO and not any(
                c.dep_ == "auxpass" for c in tok.children) and not _plain_past(tok):
            # "would not agree", "refused to meet": a rejection, never the positive event
            # ("the army has not been withdrawn" tells what was not done to it: negated)
            cand.cameo, mode = REJECT_CAMEO[cand.event_type]
            cand.event_type, cand.mode, cand.negated = "REJECT", mode or cand.mode, False
        if "refuse" in rule.flags:
            self._refusal_mode(tok, cand, matched)
        claims = self.lex.classes.get("CHARGE", frozenset())
        cand.rebuts = cand.event_type == "REJECT" and not cand.nominal and any(
            {c.lower_, _singular(c.lower_)} & claims for c in tok.children
            if c.dep_ in ("dobj", "obj"))
        return cand

    def _material_support(self, tok) -> bool:
        """Support given by material means ("with air strikes", "through training") or to
        a work rather than an actor ("support the conservation of the gate")."""
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("with", "through", "by", "via") \
                    and any(self._forms(t) & self._means for t in c.subtree):
                return True
            if c.dep_ in ("dobj", "obj") and self._forms(c) & self._works:
                return True
        return False

    def _harm_without_agent(self, tok, cand: Candidate) -> None:
        """"A strong earthquake killed eight", "two explosions hit the port", "were killed
        when their bus plunged into a gorge": harm whose subject, cause or trigger noun is a
        disaster or accident (class HAZARD) is no attack unless a human agent is named. The
        hazard is never the actor; the coder drops the candidate when no actor is left. A
        weapon or attacker anywhere in the sentence (class ARMED) keeps it an attack."""
        nouns = self.lex.classes.get("HAZARD", frozenset())
        verbs = self.lex.classes.get("HAZARD_ACT", frozenset())
        armed = self.lex.classes.get("ARMED", frozenset())
        if not (nouns or verbs) or any(self._forms(t) & armed for t in tok.doc):
            return
        causes = [tok]  # "an explosion", "exploded": the trigger itself may be the hazard
        subj = self._acting_subject(tok) if _is_verb(tok) else None
        if subj is not None:
            causes.append(subj)
        causes += _prep_objects(tok, {"in", "by", "after", "during", "from", "as"})
        # "two students were killed by a speeding bus": the passive's agent
        # ("killed by Israeli fire", "hit by artillery fire": gunfire, no blaze)
        causes += [g for c in tok.children if c.dep_ == "agent" for g in c.children
                   if g.dep_ == "pobj" and g.lower_ not in ("fire", "firing", "gunfire")]
        for child in tok.children:
            if child.dep_ == "advcl" and _is_verb(child):
                causes.append(child)
                causes += [s for s in [_subject(child)] if s is not None]
        if tok.dep_ in ("advcl", "xcomp", "conj") and _is_verb(tok.head):
            # "a tanker overturned and exploded, killing 98": the event it follows from
            for verb in _verb_conjuncts(tok.head):
                causes.append(verb)
                causes += [s for s in [_subject(verb)] if s is not None]
        if tok.tag_ == "VBG" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
            # "an earthquake struck Christchurch, collapsing office blocks ... and killing
            # 65": a participle with no subject of its own tells what the clause above it
            # did, however deep the parse hangs it (being and having verbs are skipped:
            # "erupted while tourists were on the crater floor, killing five")
            for anc in tok.ancestors:
                if not _is_verb(anc) or self._forms(anc) & BE_HAVE:
                    continue
                causes.append(anc)
                above = _subject(anc)
                if above is not None:
                    causes.append(above)
                    break
        bad = [c for c in causes if self._named_hazard(c, verbs if _is_verb(c) else nouns)]
        if not bad:
            return
        cand.harm_without_agent = True
        drop = {t.i for b in bad for t in b.subtree}
        cand.actors = [a for a in cand.actors if a.i not in drop]

    def _directed(self, tok) -> bool:
        """Whether ``tok`` is the infinitive a verb of telling, pressing or allowing puts to
        its addressee ("ordered tourists to leave", "were told to hold elections")."""
        verb = tok
        while verb.dep_ == "conj" and _is_verb(verb.head):
            verb = verb.head  # "to lay down their arms and leave"
        if verb.dep_ not in ("xcomp", "ccomp", "advcl") or not _to_infinitive(verb):
            return False
        head = verb.head
        if not _is_verb(head) or not self._forms(head) & DIRECTIVES:
            return False
        addressees = [c for c in head.children if c.dep_ in ("dobj", "obj", "dative")]
        if addressees and self._forms(head) & COMMANDS \
                and all(self._subordinate(a) for a in addressees):
            # "told his defence minister to move ten battalions", "ordered troops to open
            # fire": one's own people carry out the order, the act is the one who gave it
            return False
        return bool(addressees) or any(c.dep_ == "nsubjpass" or (
            c.dep_ == "prep" and c.lower_ in ("on", "upon", "to")) for c in head.children)

    def _subordinate(self, tok) -> bool:
        """An addressee under the speaker's command: owned by a pronoun ("his ministers",
        "its forces") or troops and police."""
        return any(c.dep_ == "poss" and c.lower_ in ("his", "her", "its", "their")
                   for c in tok.children) or bool(
            self._forms(tok) & self.lex.classes.get("TROOPS", frozenset()))

    def _named_hazard(self, tok, words: frozenset[str]) -> bool:
        """Whether ``tok`` names a hazard of ``words``, as its head or by the title of its
        name ("Storm Ciaran", "Typhoon Haiyan", "Hurricane Mitch")."""
        return bool(self._forms(tok) & words) or any(
            c.dep_ == "compound" and upos(tok) == "PROPN" and self._forms(c) & words
            for c in tok.children)

    # -- roles --------------------------------------------------------------------------
    def _verbal_roles(self, tok, cand: Candidate) -> None:
        passive_subj, agent = None, None
        for child in tok.children:
            if child.dep_ == "nsubjpass":
                passive_subj = child
            elif child.dep_ == "agent":
                agent = next((g for g in child.children if g.dep_ == "pobj"), None)
        if passive_subj is None and tok.dep_ == "acl" and tok.tag_ == "VBN" \
                and cand.event_type in PATIENT_HEAD_TYPES and upos(tok.head) in ("NOUN", "PROPN"):
            # "our people killed in the tragedy", "villagers killed by the militants": the
            # noun the participle describes suffered it; the agent (or nobody) did it
            cand.actors = conjuncts(agent) if agent is not None else []
            cand.recipients = [conjuncts(tok.head)]
        elif passive_subj is None and agent is not None and tok.dep_ == "acl" \
                and tok.tag_ == "VBN":
            # "an agreement signed in Nairobi by their interior ministers"
            cand.actors = conjuncts(agent)
            cand.recipients = self._recipients(tok, cand)
        elif passive_subj is not None:
            cand.recipients = [conjuncts(passive_subj)]
            if agent is not None:
                cand.actors = conjuncts(agent)
            elif cand.event_type == "MOBILIZE":
                # "troops were deployed", "its forces were put on alert": who is mobilised
                # acts (no recipient)
                cand.actors, cand.recipients = conjuncts(passive_subj), []
            else:
                cand.actors = self._instrument_actors(tok, cand.actors)
        elif self._headline_passive(tok):
            # "dozens killed", "Five soldiers wounded in ambush": a headline drops the
            # "were" of a verb that cannot stand without its object
            cand.recipients = [conjuncts(_subject(tok))]
            cand.actors = self._instrument_actors(tok, [])
        else:
            subj = self._acting_subject(tok)
            if subj is None:
                subj = _headline_subject(tok)
            if subj is not None:
                cand.actors = conjuncts(subj)
                # "Israel, Hezbollah agree ceasefire": the parser gives the verb two
                # subjects where a comma coordinates them
                if subj.head.i == tok.i and upos(subj) == "PROPN":
                    cand.actors += [c for c in tok.children if c.dep_ == "nsubj"
                                    and c.i != subj.i and upos(c) == "PROPN" and any(
                                        t.text == "," for t in tok.doc[min(c.i, subj.i):
                                                                       max(c.i, subj.i)])]
            cand.recipients = self._recipients(tok, cand)
            between = _prep_objects(tok, {"between", "among"})
            if between and not cand.actors:
                # "fighting between the army and the RSF raged" (a gerund): both sides act
                cand.actors = between
                cand.recipients.append(between)
        if passive_subj is not None and agent is None and not cand.actors \
                and cand.event_type in ("CONSULT", "AGREE", "COOPERATE"):
            # "a meeting was held in Tunis between delegates of the rival factions", "talks
            # between X and Y were held": who met are the parties between whom it was held
            between = _prep_objects(tok, {"between", "among"}) or _prep_objects(
                passive_subj, {"between", "among"})
            if between:
                cand.actors, cand.recipients = between, [between]

    def _instrument_actors(self, tok, default: list) -> list:
        """"killed in police firing", "wounded in an Israeli air strike": the modifiers of
        the instrument event a passive harm verb names (``default`` when it names none)."""
        for pobj in _prep_objects(tok, {"in", "during", "by"}):
            if self.match(pobj, []) is not None:
                return [c for c in pobj.children
                        if c.dep_ in ("compound", "amod", "poss", "nmod")]
        return default

    def _told_as_earlier(self, tok) -> bool:
        """The past perfect outside reported speech ("when riots flared, he had warned"):
        an act before the story's time, on a day the words do not give. In what someone
        says ("police said they had arrested 12") it is only the tense of reporting."""
        if not _pluperfect(tok):
            return False
        t = tok
        for _ in range(8):
            if any(c.dep_ in ("parataxis", "ccomp") and (r := self.match(c, [])) is not None
                   and "report" in r.flags for c in t.children):
                return False  # "the mob had burnt three shops, police said"
            if t.head.i == t.i:
                return True
            if t.dep_ in ("ccomp", "parataxis", "advcl", "conj", "xcomp", "relcl"):
                rule = self.match(t.head, [])
                if rule is not None and "report" in rule.flags:
                    return False
            t = t.head
        return True

    def _headline_passive(self, tok) -> bool:
        """A past form of a verb that needs an object (NEEDS_OBJECT) with a subject that
        counts people and neither object nor clause of its own: "dozens killed", "Five
        soldiers wounded in ambush" (not "militants killed five")."""
        if tok.tag_ not in ("VBD", "VBN") or not self._forms(tok) & self.lex.classes.get(
                "NEEDS_OBJECT", frozenset()):
            return False
        subj = _subject(tok)
        if subj is None or subj.head.i != tok.i or any(
                c.dep_ in ("dobj", "obj", "dative", "ccomp", "xcomp", "agent", "aux", "auxpass")
                for c in tok.children):
            return False
        return subj.tag_ == "CD" or subj.lower_ in COUNT_WORDS or any(
            c.dep_ == "nummod" or c.lower_ in COUNT_WORDS for c in subj.children)

    def _acting_subject(self, verb):
        """The subject of ``verb``, or (none, or a relative pronoun) the one it inherits."""
        subj = _subject(verb)
        if subj is None or subj.lower_ in RELATIVE:
            subj = self._inherited_subject(verb)
        return subj

    def _inherited_subject(self, tok):
        """Subject of a verb that has none of its own: xcomp/conj/advcl take their head's,
        a participle (acl) or relative clause takes the noun it modifies."""
        seen = 0
        while seen < 6:
            seen += 1
            head = tok.head
            if head.i == tok.i:
                return None
            if tok.dep_ in ("acl", "relcl"):
                return head
            if tok.dep_ == "advcl" and tok.tag_ == "VBG" and _after_comma(tok) \
                    and head.dep_ == "advcl" and self._forms(head) & BE_HAVE \
                    and any(c.dep_ == "mark" for c in head.children):
                # "raided the outpost while the soldiers were asleep, killing six": the
                # participle tells what the main clause did, past the clause of being
                tok = head
                continue
            if tok.dep_ == "advcl" and tok.tag_ == "VBG" and not _after_comma(tok):
                # "blocked a resolution on Monday calling for ...": the participle without a
                # comma describes the object before it, not the subject
                obj = next((c for c in head.children if c.dep_ in ("dobj", "obj")
                            and c.i < tok.i), None)
                if obj is not None:
                    return obj
            if tok.dep_ == "xcomp":
                # object control: "prompting angry crowds to set fire", "ordered the army to
                # attack": the object does the complement
                obj = next((c for c in head.children if c.dep_ in ("dobj", "obj")
                            and c.i < tok.i), None)
                if obj is not None:
                    return obj
            if tok.dep_ in ("xcomp", "acomp", "conj", "advcl", "ccomp", "pcomp", "dep") \
                    or tok.dep_ == "ROOT":  # acomp: "they were unable to check the riots"
                for child in head.children:
                    if child.dep_ in ("nsubj", "csubj") and child.lower_ not in RELATIVE:
                        return child
                    if child.dep_ == "nsubjpass" and tok.dep_ == "xcomp":
                        return child
                if head.dep_ == "acl" and tok.dep_ == "advcl" and _after_comma(tok):
                    # "blew himself up among people queuing for cards, killing dozens": the
                    # parser hangs ", killing" on the participle; it belongs to the clause
                    # that participle's noun sits in
                    clause = _governing_verb(head.head)
                    if clause is not None:
                        subj = next((c for c in clause.children
                                     if c.dep_ in ("nsubj", "csubj")), None)
                        if subj is not None:
                            return subj
                        tok = clause
                        continue
                if head.dep_ in ("acl", "relcl"):
                    return head.head
                tok = head
                continue
            if tok.dep_ == "pcomp" or tok.dep_ == "pobj":
                tok = head
                continue
            return None
        return None

    def _recipients(self, tok, rule: Candidate) -> list[list]:
        """Tiers of recipient heads, best first: the direct object, the objects of
        recipient prepositions, then of "for"/"of" ("called for Assad's ouster").
        The coder takes the first tier that names an actor."""
        objects = [c for child in tok.children if child.dep_ in ("dobj", "obj", "dative")
                   for c in conjuncts(child)]
        # what is sent, deployed, fired or imposed is no recipient ("massed troops on the
        # border", "sent aid to Gaza"): then only prepositions name the recipient
        thing = rule.obj is not None and rule.obj.isupper() and rule.obj not in PERSON_CLASSES
        tiers = [[] if thing or rule.event_type == "MOBILIZE" else objects,
                 # "criticised the centre's stand", "rejected the seer's formula": whose it is
                 [c for o in objects for c in o.children if c.dep_ == "poss"
                  and c.lower_ not in ("its", "their", "his", "her", "our", "my", "your")],
                 _prep_objects(tok, RECIPIENT_PREPS),
                 # "imposed sanctions on X", "sent aid to X"; "demanded the resignation of X"
                 [p for o in objects for p in _prep_objects(o, RECIPIENT_PREPS | {"for"} | (
                     {"of"} if _singular(o.lower_) in self.lex.classes.get("LEADERSHIP", ())
                     else set()))]]
        if rule.event_type == "REQUEST":
            # "demanded that China withdraw its vessels": who is asked is the clause's subject
            tiers.extend(conjuncts(s) for c in tok.children if c.dep_ == "ccomp"
                         and (s := _subject(c)) is not None)
        if rule.event_type in ("THREATEN", "COERCE"):
            # "threatened to jail the strike leaders", "warned that protesters will be
            # arrested": who the threatened act falls on; "fired tear gas to disperse
            # opposition supporters": whom the force was used on
            for child in tok.children:
                if _is_verb(child) and (child.dep_ in ("xcomp", "ccomp") or (
                        child.dep_ == "advcl" and _to_infinitive(child))):  # "threatened on
                    # Tuesday to kill": an infinitive parsed as a clause of its own
                    tiers.append([c for o in child.children if o.dep_ in ("dobj", "obj", "dative")
                                  for c in conjuncts(o)])
                    tiers.append(_prep_objects(child, RECIPIENT_PREPS))
                    tiers.extend(conjuncts(c) for c in child.children if c.dep_ == "nsubjpass")
        if rule.flags & {"absorb", "refuse"}:
            # "refused to hand over the suspects to Sweden": the refused act's recipient
            for child in tok.children:
                if child.dep_ in ("xcomp", "ccomp"):
                    tiers.extend(self._recipients(child, rule))
        tiers.append(_prep_objects(tok, {"for", "of"}))
        return [t for t in tiers if t]

    def _nominal_roles(self, tok, cand: Candidate, matched, licensed: bool = False) -> bool:
        """A noun trigger is an event when it is a subject ("an air strike killed"), the
        object of a light verb ("launched an attack", "announced talks") or a headline root;
        its actor is the light verb's subject or its own possessor / modifier. A noun that
        points back ("this attack displays", "such an attack shows") is no new event."""
        if tok.dep_ in ("nsubj", "nsubjpass") and any(
                c.dep_ in ("det", "predet") and c.lower_ in BACK_POINTERS for c in tok.children):
            return False
        if tok.dep_ in ("dobj", "obj") and self._forms(tok.head) & self.lex.classes.get(
                "DELIBERATION", frozenset()):
            return False  # "weighs a punitive strike", "considered sanctions": not done
        head = tok.head
        light = matched.get(head.i)
        obj_dep, measure = tok.dep_, None
        if tok.dep_ == "pobj" and head.lower_ in ("of", "in") and head.head.dep_ in ("dobj", "obj") \
                and (carrier := matched.get(head.head.head.i)) is not None \
                and not carrier.is_event and "light" in carrier.flags:
            # "announced $800 million in military aid", "launched a wave of strikes": the
            # light verb's object is a measure of the event noun
            measure = head.head
            head, light, obj_dep = measure.head, carrier, "dobj"
        # "after the arrest of five men", "the attack on the convoy": a material event
        # with its patient named is reported as having happened
        patient = _prep_objects(tok, {"of", "on", "against"}) if \
            cand.event_type in ("ASSAULT", "COERCE") else []
        # "the city remained under curfew", "came under attack", "placed under arrest"
        under = tok.dep_ == "pobj" and head.lower_ == "under" and cand.event_type in UNDER_TYPES
        licensed = licensed or tok.dep_ == "ROOT" or tok.dep_ in ("nsubj", "nsubjpass") \
            or bool(patient) or under or (
            # "there was total inaction on the part of the police"
            tok.dep_ == "attr" and any(c.dep_ == "expl" for c in head.children))
        if self._lacked(tok) is not None:
            # "the lack of police action", "the absence of arrests"
            licensed = True
        if "negated" in cand.flags and not licensed:
            stance = self._stance_verb(tok)
            if stance is not None:
                # "the police remained mute spectators", "stood as passive onlookers"
                licensed = True
                subj = self._acting_subject(stance)
                if subj is not None:
                    cand.actors = conjuncts(subj)
            elif self._authority_named(tok):
                # "due to police inaction", "the apathy of the authorities"
                licensed = True
        if light is not None and not light.is_event and "light" in light.flags \
                and obj_dep in ("dobj", "obj", "attr", "nsubj", "nsubjpass"):
            licensed = True
            if obj_dep in ("dobj", "obj", "attr"):
                subj = self._acting_subject(head)
                if subj is not None:
                    cand.actors = conjuncts(subj)
            if _plans(light, cand.event_type):
                cand.modality = "planned"
        if not licensed:
            return False
        lit = light is not None and not light.is_event and "light" in light.flags
        head_event = matched.get(tok.head.i)
        cand.recalled = tok.dep_ != "ROOT" and not lit and not under and (
            head_event is None or not head_event.is_event) and any(
            c.dep_ == "det" and c.lower_ in DEFINITE for c in tok.children)
        if under and not cand.recipients:
            # "Srinagar remained under curfew": what the state is of
            held = [c for c in head.head.children if c.dep_ in ("nsubj", "nsubjpass")]
            if held:
                cand.recipients = [conjuncts(held[0])]
        if tok.dep_ == "ROOT" and not cand.actors:
            # "Tens of thousands rally in Tbilisi": a headline verb the tagger took for a
            # noun still has its subject
            subj = [c for c in tok.children if c.dep_ == "nsubj"]
            if subj:
                cand.actors = conjuncts(subj[0])
        between = _prep_objects(tok, {"between", "among"})
        if between and not cand.actors:
            # "clashes between the army and the RSF": both sides act
            cand.actors = between
        if not cand.actors:
            mods = [c for c in tok.children if c.dep_ in ("poss", "amod", "compound", "nmod")]
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ == "by":
                    mods += [g for g in child.children if g.dep_ == "pobj"]
            if "negated" in cand.flags:
                # "inaction of the police", "on the part of the police"
                mods += _prep_objects(tok, {"of"})
                mods += [g for part in _prep_objects(tok, {"on"}) if part.lower_ == "part"
                         for g in _prep_objects(part, {"of"})]
            cand.actors = [m for m in mods if upos(m) in ("PROPN", "NOUN", "ADJ", "PRON")]
        cand.recipients.append(_prep_objects(tok, RECIPIENT_PREPS | {"for", "into"}))
        if tok.dep_ == "nsubj" and _is_verb(head):
            # "an air strike killed five civilians", "two strikes engaged an ISIL unit"
            cand.recipients.append([c for ch in head.children if ch.dep_ in ("dobj", "obj")
                                    for c in conjuncts(ch)])
        if measure is not None:
            # "$300 million in aid for Sudan" however the parser hangs "for Sudan"
            cand.recipients.append(_prep_objects(measure, RECIPIENT_PREPS | {"for"}) or
                                   _prep_objects(head, {"for", "to"}))
        if between:
            cand.recipients.append(between)
        cand.recipients = [t for t in cand.recipients if t]
        return True

    def _lacked(self, tok):
        """The noun of "the lack of X", "the absence of X" when ``tok`` is X."""
        if tok.dep_ != "pobj" or tok.head.lower_ != "of" or tok.head.head.i == tok.head.i:
            return None
        noun = tok.head.head
        lack = self.lex.classes.get("LACK", frozenset())
        return noun if self._forms(noun) & lack else None

    def _stance_verb(self, tok):
        """The verb a failure noun is predicated of: "remained mute spectators", "stood
        mute witness", "stood as passive onlookers", "played a passive role"."""
        stance = self.lex.classes.get("STANCE", frozenset())
        verb = None
        if tok.dep_ in ("attr", "oprd", "dobj", "obj", "npadvmod", "acomp"):
            verb = tok.head
        elif tok.dep_ == "pobj" and tok.head.lower_ == "as" and tok.head.dep_ == "prep":
            verb = tok.head.head
        if verb is None or verb is tok or not _is_verb(verb):
            return None
        return verb if self._forms(verb) & stance else None

    def _authority_named(self, tok) -> bool:
        """A failure noun whose own modifiers name an authority that should have acted."""
        authority = self.lex.classes.get("AUTHORITY", frozenset())
        mods = [c for c in tok.children if c.dep_ in ("poss", "compound", "amod", "nmod")]
        mods += _prep_objects(tok, {"of", "by"})
        mods += [g for part in _prep_objects(tok, {"on"}) if part.lower_ == "part"
                 for g in _prep_objects(part, {"of"})]
        return any({m.lower_, _singular(m.lower_)} & authority for m in mods)

    # -- negation, modality, attribution ------------------------------------------------
    def _negation_and_modality(self, tok, cand: Candidate, matched) -> None:
        chain = [tok]
        t = tok
        # a nominal trigger takes the light verb's negation and auxiliaries
        if cand.nominal and tok.dep_ in ("dobj", "obj", "attr") and tok.head.i != tok.i:
            chain.append(tok.head)
            t = tok.head
        # climb xcomp / acomp chains: "did not try to attack", "have not been able to arrest";
        # a conjunct inside such a complement shares it: "failed to take measures and control"
        while t.head.i != t.i and (t.dep_ in ("xcomp", "acomp") or (
                t.dep_ == "conj" and t.head.dep_ in ("xcomp", "acomp") and not _contrast(t))):
            t = t.head
            chain.append(t)
        if cand.nominal and self._lacked(tok) is not None:
            cand.negated = not cand.negated  # "the lack of police action"
        for node in chain:
            rule = matched.get(node.i)
            if node.i != tok.i and cand.modality == "asserted" and (
                    node.lower_ in MODAL_ADJECTIVES and upos(node) == "ADJ"):
                cand.modality = MODAL_ADJECTIVES[node.lower_]
            elif node.i != tok.i and cand.modality == "asserted" and any(
                    c.dep_ == "prep" and c.lower_ == "up" and any(
                        g.dep_ == "prep" and g.lower_ == "to" for g in c.children)
                    for c in node.children):
                cand.modality = "hypothetical"  # "it is up to the government to arrest them"
            if node.i != tok.i and rule is not None and not rule.is_event:
                if "negate_comp" in rule.flags:
                    cand.negated = not cand.negated
                if _plans(rule, cand.event_type):
                    cand.modality = "planned"
                elif "hypothetical" in rule.flags and cand.modality == "asserted":
                    cand.modality = "hypothetical"
            for child in node.children:
                if child.dep_ == "neg" and _whether_or_not(child):
                    continue  # "whether or not to arrest him": an open question, not a negation
                if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no" and cand.nominal):
                    cand.negated = not cand.negated
                elif child.dep_ in ("aux", "auxpass") and node is chain[0] or (
                        child.dep_ == "aux" and cand.nominal and node is chain[-1]):
                    word = child.lower_
                    if word in PLANNED_AUX or (word == "would" and _reported(node, matched)
                                               and not _negated(node)):
                        # "said it would boycott": the future of reported speech ("would not
                        # agree" is a refusal now, see below)
                        cand.modality = "planned"
                    elif word in HYPOTHETICAL_AUX and cand.modality == "asserted":
                        cand.modality = "hypothetical"
            if node.dep_ in ("advcl",) and _conditional_mark(node):
                cand.modality = "conditional"
        for anc in tok.ancestors:
            if anc.dep_ == "advcl" and _conditional_mark(anc):
                cand.modality = "conditional"
                break
        le = tok.left_edge.i
        if _conditional_mark(tok) or _inverted_condition(tok) or (
                    le >= 2 and [t.lower_ for t in tok.doc[le - 2:le]] == ["in", "case"]):
            # ("in case the court asked for it": a condition too)
            cand.modality = "conditional"
        elif cand.modality == "asserted" and any(
                c.dep_ == "advcl" and c.i < node.i and _conditional_mark(c)
                for node in chain[-1:] + [a for a in tok.ancestors][:2] for c in node.children):
            # "if we are not allowed to perform it, they are free to arrest us": the
            # consequent of a condition stated first is no report of an act
            cand.modality = "conditional"
        elif any(c.dep_ == "mark" and c.lower_ == "whether" for c in tok.children) \
                and cand.modality == "asserted":
            cand.modality = "hypothetical"  # "whether (or not) to arrest him"
        # "would not agree" is a present refusal, not a hypothesis
        if cand.negated and cand.modality == "hypothetical":
            cand.modality = "asserted"

    def _speaker(self, tok, cand: Candidate, matched) -> None:
        """The reporter: subject of a reporting verb above or beside the trigger, or the
        object of "according to"."""
        def subject_of(verb):
            for c in verb.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    return c
            # "..., the Observatory said": the parser may hang the reporter elsewhere;
            # take the noun right before the reporting verb
            i = verb.i - 1
            while i >= 0 and upos(verb.doc[i]) == "PUNCT":
                i -= 1
            if i >= 0 and upos(verb.doc[i]) in ("PROPN", "NOUN", "PRON"):
                return verb.doc[i]
            return None

        for anc in [tok, *tok.ancestors]:
            for child in anc.children:
                if child.lower_ == "according":
                    to = next((g for g in child.children if g.lower_ == "to"), None)
                    pobj = next((g for g in to.children if g.dep_ == "pobj"), None) if to else None
                    if pobj is not None:
                        cand.speaker = pobj
                        return
        for anc in tok.ancestors:
            rule = matched.get(anc.i)
            if rule is not None and "report" in rule.flags:
                cand.speaker = subject_of(anc)
                return
        for child in tok.children:
            rule = matched.get(child.i)
            if child.dep_ in ("parataxis", "ccomp", "advcl") and rule is not None \
                    and "report" in rule.flags:
                cand.speaker = subject_of(child)
                return

    def _refusal_mode(self, tok, cand: Candidate, matched) -> None:
        for child in tok.children:
            if child.dep_ in ("xcomp", "dobj", "ccomp"):
                rule = self.match(child, [])
                if rule is not None and rule.event_type in REJECT_CAMEO:
                    cand.cameo, mode = REJECT_CAMEO[rule.event_type]
                    cand.mode = mode or cand.mode
                return


ADVERBIAL_MARKS = {"while", "after", "before", "as", "when", "because", "since", "although",
                   "though", "whereas", "until", "once"}


def _complement(tok) -> set[int]:
    """Token ids of a complement, minus adverbial clauses inside it ("..., while Moscow
    blamed Kyiv" is a statement of its own, not part of what was alleged)."""
    out = {tok.i}
    for child in tok.children:
        if child.dep_ == "advcl" or any(g.dep_ == "mark" and g.lower_ in ADVERBIAL_MARKS
                                        for g in child.children):
            continue
        out |= _complement(child)
    return out


def _whether_or_not(neg) -> bool:
    doc = neg.doc
    return neg.i >= 2 and doc[neg.i - 1].lower_ == "or" and doc[neg.i - 2].lower_ == "whether"


def _event_at(matched, tok) -> bool:
    """An event rule (not a function word such as "stop") matched at ``tok``."""
    return tok.i in matched and matched[tok.i].is_event


def _is_verb(tok) -> bool:
    return upos(tok) in ("VERB", "AUX") or tok.tag_ in VERB_TAGS


def _verb_conjuncts(tok) -> list:
    """``tok`` and the verbs coordinated with it, unless in contrast ("but")."""
    out = [tok]
    for child in tok.children:
        if child.dep_ == "conj" and _is_verb(child) and not _contrast(child):
            out.extend(_verb_conjuncts(child))
    return out


def _contrast(conj) -> bool:
    """A conjunct joined by "but", "yet" or "instead"."""
    words = {c.lower_ for c in [*conj.head.children, *conj.children] if c.dep_ in ("cc", "advmod")}
    return bool(words & {"but", "yet", "instead", "rather"})


def _negated(verb) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


def _plans(rule: TriggerRule, event_type: str) -> bool:
    """Whether the function word ``rule`` makes an event of ``event_type`` planned: "plans
    to", "announced talks"; but announcing sanctions or aid enacts them."""
    return "planned" in rule.flags and not (
        "light" in rule.flags and event_type in ENACTED_BY_ANNOUNCING)


def _reported(verb, matched) -> bool:
    return any((r := matched.get(a.i)) is not None and "report" in r.flags
               for a in verb.ancestors)


def _prep_objects(tok, preps) -> list:
    # ("sends wheat to Afghanistan": the parser may call "to" a dative)
    return [c for child in tok.children if child.dep_ in ("prep", "dative") and child.lower_ in preps
            for g in child.children if g.dep_ == "pobj" for c in conjuncts(g)]


DEONTIC_AUX = {"should", "must", "ought"}  # what someone is told to do
FIRST_PERSON = {"i", "we", "us", "me", "our"}


def _inverted_condition(tok) -> bool:
    """"had the governor called the MLAs inside", "had the police acted in time": a
    condition told by putting "had" / "were" / "should" before the subject (not a question)."""
    subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or subj.left_edge.i == 0 or tok.doc[-1].text == "?":
        return False
    before = tok.doc[subj.left_edge.i - 1]
    return before.lower_ in ("had", "were", "should") and (before.head.i == tok.i
                                                            or tok.head.i == before.i)


def _demanded(tok, cand: Candidate) -> bool:
    """A reported act that someone else should or must do: a demand of the one named to
    do it ("the government should arrest all the VHP leaders, he said"), not an act."""
    if cand.speaker is None or cand.negated or cand.nominal or cand.event_type == "REQUEST":
        return False
    if not any(c.dep_ in ("aux", "auxpass") and c.lower_ in DEONTIC_AUX for c in tok.children):
        return False
    # "we must fight", "I should resign": an intention of the speaker's own side
    return not any(t.lower_ in FIRST_PERSON for t in [cand.speaker, *cand.actors])


def _subject(verb):
    """The active subject; of two ("Key Assad ally Russia") the proper name wins."""
    subj = None
    for child in verb.children:
        if child.dep_ in ("nsubj", "csubj") and (subj is None or upos(child) == "PROPN"):
            subj = child
    if subj is None and verb.tag_ in ("VBD", "VBZ", "VBP"):
        # "Turkey massed troops ...": a sentence's first name the parse hung on a finite
        # verb as a modifier is its subject
        first = next((c for c in verb.children if c.dep_ == "npadvmod" and c.i < verb.i
                      and upos(c) == "PROPN" and c.left_edge.i == verb.doc[0].i), None)
        if first is not None and all(t.dep_ in ("compound", "det", "poss", "case", "amod")
                                     or t == first for t in verb.doc[first.left_edge.i:verb.i]):
            subj = first
    return subj


def _conditional_mark(tok) -> bool:
    """Whether ``tok`` heads a clause opened by "if" or "unless"."""
    return any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in tok.children)


def _to_infinitive(tok) -> bool:
    """Whether ``tok`` is a verb with its "to" ("to kill")."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def _pluperfect(tok) -> bool:
    """Whether ``tok`` is in the past perfect ("had warned", "they'd kidnapped")."""
    return any(c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in tok.children)


def _condition_of_threat(tok, matched) -> bool:
    """Whether ``tok`` sits in an "if"/"unless" clause of a threat, a demand or an
    authorisation of force."""
    t = tok
    for _ in range(6):
        if t.dep_ == "advcl" and _conditional_mark(t):
            for up in [t.head, *t.head.ancestors][:4]:
                rule = matched.get(up.i)
                if rule is not None and rule.is_event and rule.event_type in (
                        "THREATEN", "REQUEST"):
                    return True
            return False
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def _told_as_before(tok) -> bool:
    """A verb of a clause that describes a noun (relative clause or participle) and sets
    its act before the sentence's own: "ago" or the past perfect."""
    if tok.dep_ not in ("relcl", "acl") or upos(tok.head) not in ("NOUN", "PROPN", "PRON"):
        return False
    if _pluperfect(tok) and any(
            c.dep_ == "nsubj" and c.lower_ not in RELATIVE for c in tok.children) \
            and not any(c.dep_ in ("dobj", "obj") for c in tok.children):
        # "the aid workers they had kidnapped": the noun is what was done to (not "the
        # supporters who had gathered", who are still there)
        return True
    return any(t.lower_ == "ago" for c in tok.children if c.dep_ in ("npadvmod", "advmod", "prep")
               for t in c.subtree)


def _acts_as_verb(tok) -> bool:
    """A token tagged as a noun that has a subject and an object of its own."""
    deps = {c.dep_ for c in tok.children}
    return "nsubj" in deps and bool(deps & {"dobj", "obj"})


def _headline_subject(tok):
    """ "Pope appeals for end to bloodshed", "Indian opposition slams budget": a headline's
    verb (matched as a verb, "-s" form) that the parser hung into a noun phrase acts
    through the noun just before it."""
    if tok.tag_ not in ("VBZ", "NNS") or tok.dep_ not in ("compound", "nsubj", "amod", "nmod", "dobj",
                                             "pobj", "appos") or tok.i == 0:
        return None
    left = tok.doc[tok.i - 1]
    return left if upos(left) in ("NOUN", "PROPN") else None


def _governing_verb(tok):
    """The nearest verb above ``tok`` (a noun's clause), or None."""
    for _ in range(6):
        if tok.head.i == tok.i:
            return tok if _is_verb(tok) else None
        tok = tok.head
        if _is_verb(tok):
            return tok
    return None


def _after_comma(tok) -> bool:
    first = min([tok.i] + [c.i for c in tok.lefts])
    return first > 0 and tok.doc[first - 1].text in (",", ";", "--", "—")


def _of_time(tok) -> bool:
    """A preposition that only dates its verb ("called X illegal *on* Thursday"): not the
    particle of a phrasal trigger ("called on the government")."""
    objs = [c for c in tok.children if c.dep_ == "pobj"]
    return tok.dep_ == "prep" and bool(objs) and all(
        o.ent_type_ in ("DATE", "TIME") or o.lower_ in TIME_WORDS for o in objs)


def _descendants(tok, depth: int) -> list:
    out, frontier = [], [tok]
    for _ in range(depth):
        frontier = [c for t in frontier for c in t.children]
        out.extend(frontier)
    return out


def _reporters_question(tok) -> bool:
    """"Asked about his statement, he said ...", "when asked to elaborate, she refused": a
    bare participle of asking, with no one named as asker or asked, is a reporter's question
    that frames what follows, not a request between actors."""
    if tok.lower_ in ("asked", "asks", "ask") and "?" in tok.doc[:tok.i].text \
            and not any(c.dep_ == "xcomp" for c in tok.children):
        return True  # '"How can the staff foresee trouble?" asked the minister': a question
    if tok.lower_ in ("asked", "asks") and not any(t.dep_ in ("nsubj", "nsubjpass")
                                                   for t in tok.lefts) \
            and not any(t.is_alpha for t in tok.doc[:tok.i]):
        return True  # '... ' asked an RSS source.': the question was quoted before
    if tok.lower_ in ("asked", "asks", "ask") and not any(
            c.dep_ in ("dobj", "obj", "dative", "xcomp", "ccomp", "prep", "advcl", "attr")
            for c in tok.children):
        return True  # '"... the victims?" he asked.': the question stood in the sentence before
    return tok.lower_ == "asked" and tok.tag_ == "VBN" and tok.dep_ in ("advcl", "ROOT", "dep") \
        and not any(c.dep_ in ("nsubj", "nsubjpass", "agent", "aux", "auxpass")
                    for c in tok.children)


def _asked_whether(tok) -> bool:
    """A trigger inside a question someone asks ("asked whether the party had approached
    the congress to seek its support"): what is asked about, not an event."""
    for anc in (tok, *tok.ancestors):
        if anc.dep_ in ("ccomp", "advcl") and any(
                c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in anc.children) \
                and anc.head.lower_ in ("asked", "asks", "ask", "asking", "wondered"):
            return True
        if anc.dep_ == "ROOT":
            break
    return False


def _plain_past(tok) -> bool:
    """"did not provide", "had not sent": a plain past negation tells what was not done, not
    a refusal ("would not", "will not", "cannot" are)."""
    auxes = [c for c in tok.children if c.dep_ == "aux"]
    return bool(auxes) and all(c.lower_ in ("did", "had", "has", "have") for c in auxes)

