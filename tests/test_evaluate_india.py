"""The IndiaPoliceEvents converter and its sentence-level scoring, on lines of the bundled
corpus in that layout (tests/data/india-police-events)."""

from __future__ import annotations

import json

import pytest

from dateline.evaluate import load_gold, score
from dateline.evaluate.india import MICRO, mention_kinds, read_india
from evaluate_fixtures import mention

DOCS = ("11", "609")  # doc 11: no police labels; doc 609: KILL, FORCE, ARREST sentences


@pytest.fixture
def corpus(ipe_dir, tmp_path):
    """A copy of the corpus lines of two documents (sents, metadata, docs)."""
    src = ipe_dir
    for name in ("sents.jsonl", "metadata.jsonl", "docs.jsonl"):
        lines = [line for line in (src / name).read_text(encoding="utf-8").splitlines()
                 if str(json.loads(line)["doc_id"]) in DOCS]
        (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_documents_keep_sentence_offsets(corpus):
    fmt, docs = load_gold(corpus / "sents.jsonl")
    assert fmt == "india"
    assert [d.article.id for d in docs] == ["11", "609"]
    doc = docs[1]
    assert doc.article.published.date().isoformat() == "2002-03-10"
    assert len(doc.sentences) == 10
    for s in doc.sentences:
        assert doc.article.text[s.start:s.end] == s.text
    assert doc.sentences[6].labels == {"ANY_ACTION", "ARREST"}
    # an offset inside a sentence, or in the gap after it, maps to that sentence
    s3 = doc.sentences[3]
    assert doc.sentence_at(s3.start).sent_id == 3
    assert doc.sentence_at(s3.end - 1).sent_id == 3
    assert doc.sentence_at(s3.end).sent_id in (3, 4)
    assert doc.sentence_at(None) is None


def test_without_docs_jsonl_sentences_are_joined(corpus):
    (corpus / "docs.jsonl").unlink()
    (corpus / "metadata.jsonl").unlink()
    docs = read_india(corpus / "sents.jsonl")
    doc = docs[1]
    assert doc.article.published is None
    for s in doc.sentences:
        assert doc.article.text[s.start:s.end] == s.text
    first, second = doc.sentences[0], doc.sentences[1]
    assert doc.article.text[first.end:second.start] == " "


def test_limit_takes_whole_documents(corpus):
    docs = read_india(corpus / "sents.jsonl", limit=5)
    assert [d.article.id for d in docs] == ["11"]
    assert len(docs[0].sentences) == 17


def test_sentence_level_scores(corpus):
    _, docs = load_gold(corpus / "sents.jsonl", fmt="india")
    d11, d609 = docs
    at = {s.sent_id: s.start + 1 for s in d609.sentences}
    preds = {
        "609": [
            mention("609", "ASSAULT", ["INDCOP"], trigger_start=at[0]),   # KILL/FORCE: hit
            mention("609", "ASSAULT", ["INDCOP"], trigger_start=at[1]),   # no label: false positive
            mention("609", "COERCE", ["INDCOP"], mode="arrest", trigger_start=at[6]),  # ARREST: hit
            mention("609", "ACCUSE", ["INDCOP"], negated=True, trigger_start=at[4]),  # FAIL: false pos.
            mention("609", "ASSAULT", ["INDCVL"], trigger_start=at[7]),   # not police: not scored
        ],
        "11": [mention("11", "COERCE", ["INDCOP"], trigger_start=d11.sentences[2].start)],
    }
    r = score("india", docs, preds)

    def fig(name):
        c = r.metrics[name]
        return c.tp, c.gold, c.predicted

    assert fig("KILL/FORCE -> police ASSAULT or repression") == (1, 4, 2)  # gold: sentences 0, 2, 3, 5
    assert fig("ARREST -> police COERCE") == (1, 1, 2)
    assert fig("FAIL -> negated police event") == (0, 0, 1)
    assert fig("ANY_ACTION -> any police event") == (2, 6, 4)
    assert fig(MICRO) == (2, 5, 5)
    assert r.metrics[MICRO].precision == 0.4
    assert r.totals == {"documents": 2, "sentences": 27, "predicted mentions": 6,
                        "police mentions": 5, "unplaced mentions": 0}
    kinds = r.error_kinds
    assert kinds["missed ASSAULT no event"] == 3
    assert kinds["spurious ASSAULT"] == 1
    assert kinds["spurious COERCE"] == 1
    assert kinds["spurious negated"] == 1
    assert r.confusion[("KILL", "ASSAULT")] == 1
    assert r.confusion[("ARREST", "COERCE")] == 1
    assert r.confusion[("-", "ASSAULT")] == 1
    assert "Halterman" in r.notes[0]


def test_miss_details_name_the_actor_problem(corpus):
    _, docs = load_gold(corpus / "sents.jsonl")
    s0 = docs[1].sentences[0]
    r = score("india", docs, {"609": [mention("609", "ASSAULT", ["INDMIL"], trigger_start=s0.start)]})
    assert r.error_kinds["missed ASSAULT type found, actor MIL"] == 1


def test_which_mentions_are_police_events():
    assert mention_kinds(mention("d", "ASSAULT", ["INDCOP"])) == {"any", "ASSAULT"}
    assert mention_kinds(mention("d", "COERCE", ["INDCOP"], mode="arrest")) == {"any", "COERCE"}
    assert mention_kinds(mention("d", "COERCE", ["INDCOP"], mode="curfew")) == {"any"}
    assert mention_kinds(mention("d", "PROTEST", ["INDCOP"], negated=True)) == {"negated"}
    assert mention_kinds(mention("d", "ASSAULT", ["INDCOP"], modality="hypothetical")) == set()
    assert mention_kinds(mention("d", "COERCE", ["INDCOP"], negated=True, modality="conditional")) == set()
    assert mention_kinds(mention("d", "ASSAULT", ["PAKCOP"])) == set()
    assert mention_kinds(mention("d", "ASSAULT", ["INDMIL"])) == set()


def test_miss_details_say_why_a_police_event_did_not_count(corpus):
    _, docs = load_gold(corpus / "sents.jsonl")
    s6 = docs[1].sentences[6]  # ARREST
    r = score("india", docs, {"609": [mention("609", "COERCE", ["INDCOP"], mode="curfew",
                                              trigger_start=s6.start)]})
    assert r.error_kinds["missed COERCE police COERCE, mode curfew"] == 1
    r = score("india", docs, {"609": [mention("609", "COERCE", ["INDCOP"], modality="planned",
                                              trigger_start=s6.start)]})
    assert r.error_kinds["missed COERCE police COERCE, planned"] == 1


def test_a_police_lathi_charge_counts_as_force_but_a_silenced_channel_does_not():
    from dateline.evaluate.india import mention_kinds
    assert "ASSAULT" in mention_kinds(mention("d", "COERCE", ["INDCOP"], mode="repress"))
    assert "ASSAULT" not in mention_kinds(mention("d", "COERCE", ["INDCOP"], mode="restrict"))
