"""The clause structure around a trigger in a parsed sentence: which character spans are its
clause (and the scene a clause of time sets), and which dates belong to a noun of the phrase
rather than to the trigger."""

from __future__ import annotations

from dateline.nlp import upos

CLAUSES = {"advcl", "ccomp", "conj", "relcl", "parataxis", "acl", "xcomp"}
# a trigger in one of these shares the clause of its head: "tried to *control*", "were
# *killed* and five injured" (a conjunct without a subject of its own)
SHARED_CLAUSE = {"xcomp", "aux", "auxpass", "acomp"}


def modifies_noun(tok, span) -> bool:
    """A date that is a modifier of a noun ("the March 13 order", "the 1971 war")."""
    head = tok.head
    return head.i not in {t.i for t in span} and upos(head) in ("NOUN", "PROPN") \
        and tok.dep_ in ("compound", "nmod", "amod", "nummod", "poss")


def dates_a_noun(tok, span) -> bool:
    """A date that qualifies a noun which is no event ("the 1971 war", "the march 15
    deadline", "governments since 1994", "any incident on friday"): it dates that thing,
    not the sentence's events."""
    head = tok.head
    if head.i not in {t.i for t in span} and upos(head) in ("NOUN", "PROPN") \
            and tok.dep_ not in ("nsubj", "nsubjpass", "dobj", "obj", "pobj"):
        return True  # "the 1971 war", "the violence of ten years ago"
    prep = tok.head if tok.dep_ == "pobj" else (tok if tok.dep_ == "prep" else None)
    return prep is not None and prep.dep_ == "prep" and upos(prep.head) == "NOUN" \
        and prep.head.i not in {t.i for t in span}


def framing(doc, i: int, above: set[int]) -> bool:
    """Token ``i`` is a participle framing the clause above a trigger ("speaking to the
    media on Tuesday, he made a direct attack on ..."): its date is the clause's."""
    tok = doc[i]
    return tok.dep_ == "advcl" and tok.tag_ == "VBG" and tok.head.i in above \
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)


def deep_noun_date(tok, span, trigger) -> bool:
    """A date qualifying a noun nested inside the trigger's phrase, below its object ("to
    withdraw the charges against the suspects in the carnage on February 27", "appealed for
    an extension of dates from March 31", "the threat to start a march from March 15"): it
    dates that noun, not the trigger. A date on the trigger's own object is kept (the parser
    often hangs "on Monday" there)."""
    for node in tok.ancestors:  # "the threat to start an agitation from March 15"
        if node.i == trigger.i:
            break
        if upos(node) in ("VERB", "AUX") and node.dep_ in ("acl", "relcl", "xcomp", "ccomp") \
                and upos(node.head) in ("NOUN", "PROPN") and node.head.i != trigger.i:
            return True
    if tok.dep_ != "pobj" or tok.head.dep_ != "prep":
        return False
    noun = tok.head.head
    ids = {t.i for t in span}
    if noun.i == trigger.i or noun.i in ids or upos(noun) not in ("NOUN", "PROPN"):
        return False
    return noun.dep_ not in ("dobj", "obj", "nsubj", "nsubjpass") or noun.head.i != trigger.i


SCENE_MARKS = frozenset({"as", "when", "while", "whilst"})


def scene_spans(tok) -> list[tuple[int, int]]:
    """Character spans of the clauses of time hanging on the trigger's clause ("..., as a
    mob torched houses in Prantij"): they tell the scene it happened in."""
    verb = tok.head if upos(tok) in ("NOUN", "PROPN") and upos(tok.head) == "VERB" else tok
    nodes = [verb]
    while nodes[-1].head.i != nodes[-1].i and nodes[-1].dep_ in SHARED_CLAUSE | {"conj"} \
            and len(nodes) < 8:
        nodes.append(nodes[-1].head)
    spans: list[tuple[int, int]] = []
    for node in nodes:
        for c in node.children:
            if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in SCENE_MARKS
                                         for m in c.children):
                sub = list(c.subtree)
                spans.append((sub[0].idx, sub[-1].idx + len(sub[-1].text)))
    return spans


def purpose(tok) -> bool:
    """A to-infinitive without a subject of its own ("fired teargas *to disperse* the
    mob"): it happens where its head does."""
    kids = list(tok.children)
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in kids) and \
        not any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in kids)


def clause_spans(tok) -> list[tuple[int, int]]:
    """Character spans of the clause of trigger ``tok`` (of its verb, for a noun): the
    subtree of the clause it belongs to ("police in Gujarat tried to *control*": up
    through xcomp and subject-less conjuncts) without the other clauses hanging on it
    ("..., as the government in Addis Ababa declared", "met X *to discuss* Y"), as runs
    of adjacent tokens."""
    verb = tok.head if upos(tok) in ("NOUN", "PROPN") and upos(tok.head) == "VERB" else tok
    path = [verb]
    while path[-1].head.i != path[-1].i and len(path) < 8 and (
            path[-1].dep_ in SHARED_CLAUSE or (
                path[-1].dep_ == "conj" and upos(path[-1].head) in ("VERB", "AUX")
                and not any(c.dep_ in ("nsubj", "nsubjpass") for c in path[-1].children))
            or (path[-1].dep_ == "advcl" and purpose(path[-1]))):
        path.append(path[-1].head)
    on_path = {t.i for t in path}
    cut = {t.i for node in path for c in node.children
           if c.dep_ in CLAUSES and upos(c) in ("VERB", "AUX") and c.i not in on_path
           for t in c.subtree}
    spans: list[tuple[int, int]] = []
    for t in path[-1].subtree:
        if t.i in cut:
            continue
        if spans and t.idx - spans[-1][1] <= 1:
            spans[-1] = (spans[-1][0], t.idx + len(t.text))
        else:
            spans.append((t.idx, t.idx + len(t.text)))
    return spans
