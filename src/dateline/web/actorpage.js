// An actor's page (GET /actors/{name}): its dictionary entry (code, kind, aliases, offices
// over time), how many events it acted in and was the target of, those events over time by
// type, and its most frequent counterparts. Counterparts open their own page; "Show its
// events" sets the actor filter.

import { typeColor, orderedTypes } from './types.js';

function esc(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  }[c]));
}

// A small stacked bar chart of a timeline answer, as SVG markup.
export function miniTimeline(line, width = 360, height = 90) {
  const buckets = (line && line.buckets) || [];
  if (!buckets.length) return '<p class="muted">No dated events.</p>';
  const max = Math.max(1, ...buckets.map((b) => b.total));
  const left = 28;
  const w = (width - left - 4) / buckets.length;
  const plot = height - 18;
  const parts = [`<svg class="actor-timeline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<text x="${left - 3}" y="10" text-anchor="end" class="tl-tick">${max}</text>`,
    `<text x="${left - 3}" y="${plot}" text-anchor="end" class="tl-tick">0</text>`,
    `<line x1="${left}" x2="${width - 4}" y1="${plot}" y2="${plot}" class="tl-axis"></line>`];
  buckets.forEach((b, i) => {
    let top = plot;
    for (const type of orderedTypes(Object.keys(b.counts))) {
      const h = (b.counts[type] / max) * (plot - 4);
      top -= h;
      parts.push(`<rect class="actor-seg" x="${(left + i * w).toFixed(1)}" y="${top.toFixed(1)}" width="${Math.max(1, w - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${typeColor(type)}"><title>${esc(b.start)} ${esc(type)}: ${b.counts[type]}</title></rect>`);
    }
  });
  parts.push(`<text x="${left}" y="${height - 3}" class="tl-tick">${esc(buckets[0].start)}</text>`);
  parts.push(`<text x="${width - 4}" y="${height - 3}" text-anchor="end" class="tl-tick">${esc(buckets[buckets.length - 1].end)}</text>`);
  parts.push('</svg>');
  return parts.join('');
}

export class ActorPage {
  constructor(panel, { onActor, onFilter, onClose }) {
    this.panel = panel;
    this.onActor = onActor;
    this.onFilter = onFilter;
    this.onClose = onClose;
    this.name = null;
    panel.addEventListener('click', (e) => {
      if (e.target.closest('[data-action="close"]')) this.onClose();
      const other = e.target.closest('[data-actor]');
      if (other) this.onActor(other.getAttribute('data-actor'));
      const filter = e.target.closest('[data-filter]');
      if (filter) this.onFilter(filter.getAttribute('data-side'), filter.getAttribute('data-filter'));
    });
  }

  loading(name) {
    this.name = name;
    this.panel.hidden = false;
    this.panel.dataset.actor = name;
    this.panel.innerHTML = `<div class="prov-head"><h2>${esc(name)}</h2><button type="button" class="close" data-action="close" aria-label="Close">×</button></div><p class="muted">Loading…</p>`;
  }

  error(name, message) {
    this.panel.hidden = false;
    this.panel.innerHTML = `<div class="prov-head"><h2>${esc(name)}</h2><button type="button" class="close" data-action="close" aria-label="Close">×</button></div><p class="error">${esc(message)}</p>`;
  }

  show(p) {
    const entry = p.entry;
    const rows = [];
    if (entry) {
      rows.push(['Dictionary', `${esc(entry.name)} · ${esc(entry.kind)}${entry.code ? ` · <code>${esc(entry.code)}</code>` : ''}${entry.country ? ` · ${esc(entry.country)}` : ''}${entry.sector ? ` · ${esc(entry.sector)}` : ''}`]);
      if (entry.aliases && entry.aliases.length) rows.push(['Also written', esc(entry.aliases.slice(0, 14).join(' · ')) + (entry.aliases.length > 14 ? ' …' : '')]);
      const offices = (entry.variants || []).filter((v) => v.office || v.start || v.end);
      if (offices.length) {
        rows.push(['Identities', offices.map((v) => `${esc(v.office || v.code || '')} (${esc(v.start || '…')} – ${esc(v.end || 'now')})`).join('<br>')]);
      }
      rows.push(['Source', esc(entry.source || '')]);
    } else {
      rows.push(['Dictionary', '<span class="muted">not in the dictionaries (a name from the events)</span>']);
    }
    if (p.resolved && p.resolved.length && (p.resolved.length > 1 || p.resolved[0] !== p.name)) {
      rows.push(['Stands for', esc(p.resolved.join(', '))]);
    }
    if (p.codes && p.codes.length) rows.push(['Coded as', p.codes.map((c) => `<code>${esc(c.code)}</code> ${c.events}`).join(' · ')]);
    const list = (items, side) => (items.length ? `<ol class="counterparts">${items.map((c) => `<li><a href="#" data-actor="${esc(c.name)}">${esc(c.name)}</a>${c.code ? ` <code>${esc(c.code)}</code>` : ''} <span class="muted">${c.events}</span></li>`).join('')}</ol>` : `<p class="muted">none</p>`);
    this.panel.innerHTML = `
      <div class="prov-head"><h2 class="actor-name">${esc(p.name)}</h2><button type="button" class="close" data-action="close" aria-label="Close">×</button></div>
      <dl class="prov-summary">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>
      <p class="actor-counts"><strong class="n-actor">${p.events_as_actor}</strong> events as actor · <strong class="n-recipient">${p.events_as_recipient}</strong> as recipient
        <button type="button" data-filter="${esc(p.name)}" data-side="actor">Show its events</button>
        <button type="button" data-filter="${esc(p.name)}" data-side="recipient">Events against it</button></p>
      <h3>Its events over time (as actor)</h3>${miniTimeline(p.timeline.as_actor)}
      <h3>Events against it over time</h3>${miniTimeline(p.timeline.as_recipient)}
      <div class="counterpart-cols">
        <div><h3>It acted on</h3>${list(p.recipients, 'recipient')}</div>
        <div><h3>Acted on it</h3>${list(p.actors, 'actor')}</div>
      </div>`;
    this.panel.hidden = false;
  }

  close() {
    this.name = null;
    this.panel.hidden = true;
    this.panel.replaceChildren();
    delete this.panel.dataset.actor;
  }
}
