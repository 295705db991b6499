// Sentence highlighting: the spans of a mention (actor, trigger, recipient, place, date,
// attribution) as offsets into its sentence, and the sentence cut into segments that each
// carry the kinds of span covering them. Pure functions, no DOM.

export const KINDS = ['actor', 'trigger', 'recipient', 'place', 'date', 'source'];

// A span given as offsets into the article body, moved into the sentence (which starts at
// `base` in the body). The offsets win when the text they cover matches `text`; otherwise
// (or when offsets are missing) the text is looked up in the sentence.
export function sentenceSpan(sentence, base, start, end, text, kind, label) {
  const hasOffsets = Number.isInteger(start) && Number.isInteger(end) && Number.isInteger(base);
  if (hasOffsets) {
    const s = start - base;
    const e = end - base;
    if (s >= 0 && e <= sentence.length && s < e && (!text || sentence.slice(s, e) === text)) {
      return { start: s, end: e, kind, label };
    }
  }
  if (text) {
    const at = sentence.indexOf(text);
    if (at >= 0) return { start: at, end: at + text.length, kind, label };
  }
  return null;
}

function actorLabel(role, a) {
  const name = a.name || a.text || '';
  return a.code ? `${role}: ${name} (${a.code})` : `${role}: ${name}`;
}

// All highlightable spans of a mention (Mention.to_dict()) within its sentence.
export function mentionSpans(m) {
  const s = m.sentence || '';
  const base = m.char_start;
  const spans = [];
  const add = (span) => { if (span) spans.push(span); };
  for (const a of m.actor || []) {
    add(sentenceSpan(s, base, a.start, a.end, a.text, 'actor', actorLabel('actor', a)));
  }
  for (const r of m.recipient || []) {
    add(sentenceSpan(s, base, r.start, r.end, r.text, 'recipient', actorLabel('recipient', r)));
  }
  if (m.trigger || Number.isInteger(m.trigger_start)) {
    const label = `event: ${m.event_type}${m.mode ? ` / ${m.mode}` : ''}${m.cameo ? ` (CAMEO ${m.cameo})` : ''}`;
    add(sentenceSpan(s, base, m.trigger_start, m.trigger_end, m.trigger, 'trigger', label));
  }
  const loc = m.location;
  if (loc) {
    const where = [loc.name || loc.text, loc.country].filter(Boolean).join(', ');
    add(sentenceSpan(s, base, loc.start, loc.end, loc.text, 'place', `place: ${where}`));
  }
  if (m.date_text || Number.isInteger(m.date_start)) {
    const label = `date: ${m.date || '?'}${m.date_precision ? ` (${m.date_precision})` : ''}`;
    add(sentenceSpan(s, base, m.date_start, m.date_end, m.date_text, 'date', label));
  }
  const att = m.attribution;
  if (att && att.text) add(sentenceSpan(s, null, null, null, att.text, 'source', `according to: ${att.text}`));
  return spans;
}

// The sentence cut at every span boundary: [{text, kinds, labels, primary}], where
// `primary` is the kind of the shortest span covering the segment (nested spans show).
export function segments(sentence, spans) {
  const cuts = new Set([0, sentence.length]);
  for (const sp of spans) {
    cuts.add(sp.start);
    cuts.add(sp.end);
  }
  const points = [...cuts].filter((c) => c >= 0 && c <= sentence.length).sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const a = points[i];
    const b = points[i + 1];
    if (a === b) continue;
    const covering = spans.filter((sp) => sp.start <= a && sp.end >= b)
      .sort((x, y) => (x.end - x.start) - (y.end - y.start));
    out.push({
      text: sentence.slice(a, b),
      kinds: [...new Set(covering.map((sp) => sp.kind))],
      labels: [...new Set(covering.map((sp) => sp.label))],
      primary: covering.length ? covering[0].kind : null,
    });
  }
  return out;
}

// The sentence as DOM nodes: plain text and <mark class="hl hl-KIND"> with a title.
export function highlightedSentence(doc, sentence, spans) {
  const frag = doc.createDocumentFragment();
  for (const seg of segments(sentence, spans)) {
    if (!seg.primary) {
      frag.appendChild(doc.createTextNode(seg.text));
      continue;
    }
    const mark = doc.createElement('mark');
    mark.className = ['hl', `hl-${seg.primary}`, ...seg.kinds.filter((k) => k !== seg.primary).map((k) => `also-${k}`)].join(' ');
    mark.dataset.kinds = seg.kinds.join(' ');
    mark.title = seg.labels.join('\n');
    mark.textContent = seg.text;
    frag.appendChild(mark);
  }
  return frag;
}
