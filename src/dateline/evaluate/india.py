"""The IndiaPoliceEvents corpus as gold: sentence labels about actions *by police*.

Halterman, Keith, Sarwar and O'Connor, "Corpus-Level Evaluation for Event QA: The
IndiaPoliceEvents Corpus Covering the 2002 Gujarat Violence", Findings of ACL 2021.

``sents.jsonl`` holds ``doc_id``, ``sent_id``, ``sent_text`` and ``sent_labels`` (a subset
of KILL, ARREST, FORCE, FAIL, ANY_ACTION); ``metadata.jsonl`` next to it gives each
document's ``date``, ``docs.jsonl`` its ``doc_text``. Each document is coded as one
Article (so pronouns and dates resolve in context) and every mention is mapped back to
the corpus sentence holding its trigger. Only events whose actor is police (sector COP,
country IND or unknown) are scored, at sentence level, per kind:

- KILL or FORCE -> a police ASSAULT, or a police COERCE of violent repression by force
  (CAMEO 175, mode ``repress``: a lathi charge, tear gas);  ARREST -> a police COERCE
  (mode arrest/detain or none);
  FAIL -> a negated police event (any type);  ANY_ACTION -> any police event.

Only asserted mentions count (not planned, hypothetical or conditional ones).
"""

from __future__ import annotations

import bisect
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from dateline.evaluate.report import NONE, Counts, Mismatch, Report
from dateline.evaluate.score import describe_mention
from dateline.ingest.decode import repair_mojibake
from dateline.model import ActorRef, Article, Mention

# (kind, corpus labels that mean it, measure name)
KINDS: tuple[tuple[str, frozenset[str], str], ...] = (
    ("ASSAULT", frozenset({"KILL", "FORCE"}), "KILL/FORCE -> police ASSAULT or repression"),
    ("COERCE", frozenset({"ARREST"}), "ARREST -> police COERCE"),
    ("negated", frozenset({"FAIL"}), "FAIL -> negated police event"),
    ("any", frozenset({"ANY_ACTION"}), "ANY_ACTION -> any police event"),
)
MICRO = "micro (KILL/FORCE, ARREST, FAIL)"
ARREST_MODES = frozenset({"arrest", "detain"})
REPRESSION = "repress"  # COERCE 175 by force: tear gas, lathi and baton charges
_TEXT_CHARS = 400


@dataclass(frozen=True)
class IndiaSentence:
    doc_id: str
    sent_id: int
    text: str
    labels: frozenset[str]
    start: int  # offsets of the sentence in the document's article text
    end: int


@dataclass
class IndiaDoc:
    article: Article
    sentences: list[IndiaSentence]

    def sentence_at(self, offset: int | None) -> IndiaSentence | None:
        """The corpus sentence whose span holds the character offset."""
        if offset is None or not self.sentences:
            return None
        starts = [s.start for s in self.sentences]
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0:
            return None
        s = self.sentences[i]
        # gaps between sentences (a joining space) belong to the sentence before
        nxt = self.sentences[i + 1].start if i + 1 < len(self.sentences) else len(self.article.text)
        return s if offset < max(s.end, nxt) else None


def _read_jsonl(path: Path) -> Iterable[dict]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _locate(doc_text: str, texts: Sequence[str]) -> list[tuple[int, int]] | None:
    """Spans of the sentences found in order in the document text, or None."""
    spans, pos = [], 0
    for t in texts:
        i = doc_text.find(t, pos)
        if i < 0:
            return None
        spans.append((i, i + len(t)))
        pos = i + len(t)
    return spans


def _concatenate(texts: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """The sentences joined by a space (none after a trailing newline) and their spans."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for t in texts:
        if parts and not parts[-1].endswith(("\n", " ")):
            parts.append(" ")
            pos += 1
        spans.append((pos, pos + len(t)))
        parts.append(t)
        pos += len(t)
    return "".join(parts), spans


def build_doc(doc_id: str, rows: Sequence[dict], doc_text: str | None,
              published: date | None) -> IndiaDoc:
    """One document: its article (the corpus text, or the sentences joined) and sentences."""
    rows = sorted(rows, key=lambda r: int(r["sent_id"]))
    # the corpus text as ingest would store it (mojibake repaired), sentences alike
    texts = [repair_mojibake(r["sent_text"]) for r in rows]
    doc_text = repair_mojibake(doc_text) if doc_text else doc_text
    spans = _locate(doc_text, texts) if doc_text else None
    if doc_text is None or spans is None:
        doc_text, spans = _concatenate(texts)
    article = Article(id=str(doc_id), text=doc_text, source="timesofindia",
                      published=datetime.combine(published, time()) if published else None)
    sentences = [IndiaSentence(doc_id=str(doc_id), sent_id=int(r["sent_id"]), text=t,
                               labels=frozenset(r.get("sent_labels") or ()), start=a, end=b)
                 for r, t, (a, b) in zip(rows, texts, spans, strict=True)]
    return IndiaDoc(article=article, sentences=sentences)


def read_india(sents_path: str | Path, limit: int | None = None) -> list[IndiaDoc]:
    """The documents of the corpus; ``limit`` = stop once that many sentences are taken
    (whole documents only). ``metadata.jsonl`` and ``docs.jsonl`` are read from the same
    folder when present (without them: no publication date; sentences joined by spaces)."""
    sents_path = Path(sents_path)
    folder = sents_path.parent
    by_doc: dict[str, list[dict]] = defaultdict(list)
    order: list[str] = []
    for row in _read_jsonl(sents_path):
        key = str(row["doc_id"])
        if key not in by_doc:
            order.append(key)
        by_doc[key].append(row)
    if limit is not None:
        kept, n = [], 0
        for key in order:
            if n >= limit:
                break
            kept.append(key)
            n += len(by_doc[key])
        order = kept
    wanted = set(order)
    dates: dict[str, date] = {}
    if (folder / "metadata.jsonl").exists():
        for row in _read_jsonl(folder / "metadata.jsonl"):
            if str(row.get("doc_id")) in wanted and row.get("date"):
                dates[str(row["doc_id"])] = date.fromisoformat(str(row["date"])[:10])
    texts: dict[str, str] = {}
    if (folder / "docs.jsonl").exists():
        for row in _read_jsonl(folder / "docs.jsonl"):
            if str(row.get("doc_id")) in wanted and row.get("doc_text"):
                texts[str(row["doc_id"])] = row["doc_text"]
    return [build_doc(k, by_doc[k], texts.get(k), dates.get(k)) for k in order]


def is_police(ref: ActorRef) -> bool:
    sector = (ref.sector or "").upper()
    code = (ref.code or "").upper()
    country = (ref.country or "").upper()
    return (sector == "COP" or "COP" in code[3:]) and country in ("", "IND")


def mention_kinds(m: Mention) -> set[str]:
    """The corpus kinds a mention stands for (empty unless its actor is police)."""
    if not any(is_police(a) for a in m.actor):
        return set()
    if m.modality not in ("asserted", None):
        return set()  # planned, hypothetical, conditional: nothing happened (or failed)
    if m.negated:
        return {"negated"}
    kinds = {"any"}
    if m.event_type == "ASSAULT" or (m.event_type == "COERCE" and m.mode == REPRESSION):
        kinds.add("ASSAULT")  # force: an attack, or a crowd charged or tear-gassed (175)
    if m.event_type == "COERCE" and (m.mode is None or m.mode in ARREST_MODES):
        kinds.add("COERCE")
    return kinds


def _gold_kinds(labels: frozenset[str]) -> set[str]:
    return {kind for kind, wanted, _ in KINDS if labels & wanted}


def _miss_detail(kind: str, mentions: Sequence[Mention]) -> str:
    if kind in ("ASSAULT", "COERCE"):
        same = [m for m in mentions if m.event_type == kind and not m.negated]
        police = [m for m in same if any(is_police(a) for a in m.actor)]
        if police:  # a police event of the type that did not count
            m = police[0]
            if m.modality not in ("asserted", None):
                return f"police {kind}, {m.modality}"
            return f"police {kind}, mode {m.mode}"
        if same:
            actors = [a for a in same[0].actor]
            if not actors:
                return "type found, no actor"
            return f"type found, actor {actors[0].sector or actors[0].country or 'uncoded'}"
    if any(mention_kinds(m) for m in mentions):
        return "other police event"
    return "event of others" if mentions else "no event"


def score_india(docs: Sequence[IndiaDoc], predictions: Mapping[str, Sequence[Mention]]) -> Report:
    """Sentence-level precision/recall of police events per corpus kind."""
    report = Report(format="india")
    for _, _, name in KINDS:
        report.metric(name)
    totals = {"documents": 0, "sentences": 0, "predicted mentions": 0, "police mentions": 0,
              "unplaced mentions": 0}
    for doc in docs:
        totals["documents"] += 1
        totals["sentences"] += len(doc.sentences)
        placed: dict[int, list[Mention]] = defaultdict(list)
        for m in predictions.get(doc.article.id, ()):
            totals["predicted mentions"] += 1
            totals["police mentions"] += bool(mention_kinds(m))
            offset = m.trigger_start if m.trigger_start is not None else m.char_start
            sent = doc.sentence_at(offset)
            if sent is None:
                totals["unplaced mentions"] += 1
            else:
                placed[sent.sent_id].append(m)
        for sent in doc.sentences:
            mentions = placed.get(sent.sent_id, [])
            got: set[str] = set().union(*(mention_kinds(m) for m in mentions)) if mentions else set()
            want = _gold_kinds(sent.labels)
            _confusion(report, sent, mentions)
            for kind, _, name in KINDS:
                c = report.metric(name)
                c.gold += kind in want
                c.predicted += kind in got
                c.tp += kind in want and kind in got
                if kind == "any" or (kind in want) == (kind in got):
                    continue
                text = " ".join(sent.text.split())[:_TEXT_CHARS]
                item = f"{sent.doc_id}:{sent.sent_id}"
                if kind in want:
                    report.error(Mismatch(item, "missed", kind, detail=_miss_detail(kind, mentions),
                                          gold=",".join(sorted(sent.labels)), text=text))
                else:
                    hit = next(m for m in mentions if kind in mention_kinds(m))
                    report.error(Mismatch(item, "spurious", kind,
                                          gold=",".join(sorted(sent.labels)) or "no label",
                                          predicted=describe_mention(hit), text=text))
    micro = Counts()
    for kind, _, name in KINDS:
        if kind != "any":
            micro.add(report.metrics[name])
    report.metrics[MICRO] = micro
    report.totals.update(totals)
    report.notes.append("IndiaPoliceEvents corpus: Halterman, Keith, Sarwar, O'Connor, "
                        "Findings of ACL 2021. Only police (COP) events are scored.")
    return report


def _confusion(report: Report, sent: IndiaSentence, mentions: Sequence[Mention]) -> None:
    """Corpus labels (rows) against the police event types coded in the sentence."""
    labels = (sorted(sent.labels - {"ANY_ACTION"})
              or (["ANY_ACTION"] if "ANY_ACTION" in sent.labels else [NONE]))
    coded = sorted({("not " if m.negated else "") + m.event_type
                    for m in mentions if mention_kinds(m)}) or [NONE]
    if labels == [NONE] and coded == [NONE]:
        return
    for label in labels:
        for typ in coded:
            report.confusion[(label, typ)] += 1
