// The provenance panel: one event, and for each mention the sentence it came from with the
// actor, trigger, recipient, place and date spans highlighted, the attribution, and the
// article (headline, publisher, date, link).

import { mentionSpans, highlightedSentence } from './highlight.js';
import { typeColor, QUADS } from './types.js';
import { eventView, namesWithCodes, placeText } from './event.js';

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function safeLink(url) {
  try {
    const u = new URL(url, window.location.href);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch (err) {
    return null;
  }
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

const LEGEND = [
  ['actor', 'actor'], ['trigger', 'event'], ['recipient', 'recipient'], ['place', 'place'],
  ['date', 'date'], ['source', 'attribution'],
];

export class Provenance {
  constructor(panel, { onClose }) {
    this.panel = panel;
    this.onClose = onClose;
    this.currentId = null;
    panel.addEventListener('click', (e) => {
      if (e.target.closest('[data-action="close"]')) this.onClose();
    });
  }

  open() {
    this.panel.hidden = false;
    document.body.classList.add('with-provenance');
  }

  close() {
    this.panel.hidden = true;
    this.currentId = null;
    this.panel.replaceChildren();
    document.body.classList.remove('with-provenance');
  }

  loading(id) {
    this.currentId = id;
    this.open();
    this.panel.replaceChildren(this.header(null), h('p', { class: 'muted', text: 'Loading…' }));
  }

  error(id, message) {
    if (id !== this.currentId) return;
    this.panel.replaceChildren(this.header(null), h('p', { class: 'error', text: message }));
  }

  header(ev) {
    const close = h('button', { type: 'button', class: 'close', 'data-action': 'close', 'aria-label': 'Close', title: 'Close' }, '×');
    if (!ev) return h('div', { class: 'prov-head' }, h('h2', { text: 'Provenance' }), close);
    const badge = h('span', { class: 'type-badge', style: `background:${typeColor(ev.type)}` }, ev.type);
    const title = h('h2', {}, badge, ' ', ev.negated ? h('span', { class: 'negated', text: 'not ' }) : null,
      ev.mode ? ev.mode : '', ev.cameo ? h('span', { class: 'muted', text: ` CAMEO ${ev.cameo}` }) : null);
    return h('div', { class: 'prov-head' }, title, close);
  }

  // The event's who / what / when / where and how well attested (ev: a view, see event.js).
  summary(ev, mentionCount) {
    const range = ev.dateStart && ev.dateEnd && ev.dateStart !== ev.dateEnd ? `(${ev.dateStart} – ${ev.dateEnd})` : null;
    const rows = [
      ['Actor', namesWithCodes(ev.actors) || '—'],
      ['Recipient', namesWithCodes(ev.recipients) || '—'],
      ['Date', [ev.date, range].filter(Boolean).join(' ') || '—'],
      ['Place', (ev.feature === 'country' ? placeText(ev)
        : [ev.place, ev.admin1 !== ev.place ? ev.admin1 : null, ev.country].filter(Boolean).join(', ')) || '—'],
      ['Class', QUADS[ev.quad] || '—'],
      ['Modality', `${ev.modality}${ev.negated ? ', negated' : ''}`],
    ];
    const size = ['dead', 'injured', 'arrested'].filter((k) => ev[k] !== null).map((k) => `${ev[k]} ${k}`);
    if (size.length) rows.push(['Size', size.join(', ') + (ev.sizeDisputed ? ' (disputed)' : '')]);
    const dl = h('dl', { class: 'prov-summary' });
    for (const [k, v] of rows) dl.append(h('dt', { text: k }), h('dd', { text: v }));
    const sources = h('p', { class: 'prov-sources' },
      h('strong', { class: 'num-sources', 'data-num-sources': ev.numSources ?? '' }, plural(ev.numSources ?? 0, 'source')),
      ` · ${plural(ev.numArticles ?? 0, 'article')} · ${plural(ev.numMentions ?? mentionCount, 'mention')}`,
      ev.confidence !== null ? ` · confidence ${ev.confidence.toFixed(2)}` : '');
    const people = [...new Set([...ev.actors, ...ev.recipients].map((r) => r.name).filter(Boolean))];
    const pages = people.length ? h('p', { class: 'actor-links' }, 'Actor pages: ',
      ...people.map((name) => h('button', { type: 'button', class: 'link', 'data-actor-page': name, text: name }))) : null;
    return [dl, sources, pages].filter(Boolean);
  }

  legend() {
    return h('p', { class: 'hl-legend' }, ...LEGEND.map(([kind, text]) => h('mark', { class: `hl hl-${kind}`, text })));
  }

  mention(m) {
    const art = m.article || {};
    const sentence = h('blockquote', { class: 'sentence', 'data-mention-id': m.id || '' });
    sentence.append(highlightedSentence(document, m.sentence || '', mentionSpans(m)));
    const parts = [sentence];
    const flags = [m.part && m.part !== 'body' ? `in the ${m.part}` : null,
      m.negated ? 'negated' : null, m.modality && m.modality !== 'asserted' ? m.modality : null]
      .filter(Boolean);
    if (flags.length) parts.push(h('p', { class: 'flags', text: flags.join(' · ') }));
    if (m.attribution && m.attribution.text) {
      const a = m.attribution.actor;
      const by = a ? ` — ${a.name || a.text}${a.code ? ` (${a.code})` : ''}` : '';
      parts.push(h('p', { class: 'attribution' }, 'According to: ', h('q', { text: m.attribution.text }), by));
    }
    const href = art.url ? safeLink(art.url) : null;
    const headline = href
      ? h('a', { href, target: '_blank', rel: 'noopener noreferrer', text: art.headline || art.url })
      : h('span', { text: art.headline || '(no headline)' });
    const meta = [art.source, art.published ? String(art.published).slice(0, 10) : null].filter(Boolean).join(' · ');
    parts.push(h('p', { class: 'article' }, headline, meta ? h('span', { class: 'muted', text: ` — ${meta}` }) : null));
    return h('li', { class: 'mention' }, ...parts);
  }

  // Show an event as the API gives it: the event plus `mentions`, each with `article`.
  show(ev) {
    if (ev.id !== this.currentId) return;
    const view = eventView(ev);
    const mentions = ev.mentions || [];
    const list = h('ol', { class: 'mentions' }, ...mentions.map((m) => this.mention(m)));
    this.panel.replaceChildren(
      this.header(view), ...this.summary(view, mentions.length), this.legend(),
      h('h3', { text: `Mentions (${mentions.length})` }), list,
    );
    this.panel.dataset.eventId = ev.id;
    this.panel.scrollTop = 0;
  }
}
