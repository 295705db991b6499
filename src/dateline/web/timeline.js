// The timeline: events per day, week or month as stacked bars (one colour per type), drawn
// in SVG (built as one markup string, every value from the API escaped). Dragging across
// it brushes a date range (the page turns it into since/until filters); clicking a bar
// segment picks that bucket and type.

import { typeColor, orderedTypes } from './types.js';

const DAY = 86400000;
const MARGIN = { left: 46, right: 10, top: 10, bottom: 22 };

export function dayToMs(day) {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
}

export function msToDay(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

// The first day of the bucket after the one starting on `day`.
export function nextBucket(day, interval) {
  const ms = dayToMs(day);
  if (interval === 'week') return msToDay(ms + 7 * DAY);
  if (interval === 'month') {
    const d = new Date(ms);
    return msToDay(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
  }
  return msToDay(ms + DAY);
}

// The last day (inclusive) of the bucket starting on `day`.
export function bucketLastDay(day, interval) {
  return msToDay(dayToMs(nextBucket(day, interval)) - DAY);
}

// A bucket size that gives a readable number of bars for a span of days.
export function chooseInterval(first, last) {
  if (!first || !last) return 'day';
  const days = (dayToMs(last) - dayToMs(first)) / DAY;
  if (days <= 120) return 'day';
  if (days <= 3 * 365) return 'week';
  return 'month';
}

// The span the axis should show: the whole span of the buckets, unless the outer `share`
// (1 %) of the events on either side stretches it (old years mentioned in text, wrongly
// dated events) — then the span of the middle 98 %, and how many events fall outside.
// Returns {since, until, trimmed, outside, first, last} (days; until inclusive).
export function robustRange(buckets, interval, share = 0.01) {
  const filled = buckets.filter((b) => countOf(b) > 0);
  if (!filled.length) return null;
  const first = filled[0].start;
  const last = bucketLastDay(filled[filled.length - 1].start, interval);
  const total = filled.reduce((a, b) => a + countOf(b), 0);
  const cut = Math.floor(total * share);
  let lo = 0;
  let seen = 0;
  while (lo < filled.length - 1 && seen + countOf(filled[lo]) <= cut) { seen += countOf(filled[lo]); lo += 1; }
  let hi = filled.length - 1;
  let seenHi = 0;
  while (hi > lo && seenHi + countOf(filled[hi]) <= cut) { seenHi += countOf(filled[hi]); hi -= 1; }
  const since = filled[lo].start;
  const until = bucketLastDay(filled[hi].start, interval);
  const full = dayToMs(last) - dayToMs(first);
  const kept = dayToMs(until) - dayToMs(since);
  // trim only when it matters: the outliers take over half of the axis
  if (!(seen + seenHi) || kept > full * 0.5) return { since: first, until: last, trimmed: false, outside: 0, first, last };
  return { since, until, trimmed: true, outside: seen + seenHi, first, last };
}

function countOf(b) {
  if (typeof b.total === 'number') return b.total;
  return Object.values(b.counts || {}).reduce((a, n) => a + n, 0);
}

// Round tick values for a count axis from 0 to max: [0, step, 2 step, ...].
export function countTicks(max, wanted = 4) {
  if (!(max > 0)) return [0, 1];
  const raw = max / wanted;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((m) => m >= raw) || raw;
  const top = Math.ceil(max / step) * step;
  const out = [];
  for (let v = 0; v <= top + step / 2; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

// New SVG nodes take the namespace of the <svg> the HTML parser made (no URI literal here).
function el(name, attrs = {}, parent = null, ns = parent && parent.namespaceURI) {
  const node = document.createElementNS(ns, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (parent) parent.appendChild(node);
  return node;
}

function escapeAttr(text) {
  return String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
}

function label(day, interval) {
  if (interval === 'month') return day.slice(0, 7);
  return day;
}

export class Timeline {
  constructor(container, { onBrush, onPick }) {
    this.container = container;
    this.onBrush = onBrush;
    this.onPick = onPick;
    this.data = { interval: 'day', buckets: [] };
    this.brush = null; // {since, until} inclusive days
    container.insertAdjacentHTML('beforeend', '<svg class="timeline-svg" role="img" aria-label="Events over time"></svg>');
    this.svg = container.lastElementChild;
    this.drag = null;
    this.svg.addEventListener('pointerdown', (e) => this.pointerDown(e));
    this.svg.addEventListener('pointermove', (e) => this.pointerMove(e));
    this.svg.addEventListener('pointerup', (e) => this.pointerUp(e));
    this.svg.addEventListener('pointerover', (e) => this.addTitle(e.target));
  }

  totals() {
    const byType = {};
    for (const b of this.data.buckets) {
      for (const [type, n] of Object.entries(b.counts)) byType[type] = (byType[type] || 0) + n;
    }
    return byType;
  }

  setData(data) {
    this.data = data;
    this.brush = null; // the axis now spans the chosen dates
    this.draw();
  }

  setBrush(since, until) {
    this.brush = since || until ? { since: since || null, until: until || null } : null;
    this.draw();
  }

  scale() {
    const width = Math.max(200, this.container.clientWidth || 600);
    const height = Math.max(100, this.container.clientHeight || 140);
    const { buckets, interval } = this.data;
    const t0 = dayToMs(buckets[0].start);
    const t1 = dayToMs(nextBucket(buckets[buckets.length - 1].start, interval));
    const plotW = width - MARGIN.left - MARGIN.right;
    const x = (ms) => MARGIN.left + ((ms - t0) / Math.max(1, t1 - t0)) * plotW;
    const xToMs = (px) => t0 + ((px - MARGIN.left) / plotW) * (t1 - t0);
    return { width, height, t0, t1, x, xToMs, plotH: height - MARGIN.top - MARGIN.bottom };
  }

  draw() {
    const svg = this.svg;
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const { buckets, interval } = this.data;
    if (!buckets.length) {
      const s = el('text', { x: 12, y: 24, class: 'tl-empty' }, svg);
      s.textContent = 'No events match the filters.';
      return;
    }
    const sc = this.scale();
    svg.setAttribute('viewBox', `0 0 ${sc.width} ${sc.height}`);
    svg.setAttribute('width', sc.width);
    svg.setAttribute('height', sc.height);
    const totals = buckets.map((b) => Object.values(b.counts).reduce((a, n) => a + n, 0));
    const ticks = countTicks(Math.max(1, ...totals));
    const max = ticks[ticks.length - 1];
    const y = (n) => (n / max) * sc.plotH;
    const base = MARGIN.top + sc.plotH;
    const inBrush = (start) => {
      if (!this.brush) return true;
      const last = bucketLastDay(start, interval);
      return (!this.brush.since || last >= this.brush.since) && (!this.brush.until || start <= this.brush.until);
    };
    // One markup string parsed at once: thousands of bars cost a fraction of what as many
    // createElementNS/setAttribute calls do. Segment tooltips (<title>) are added on hover.
    const parts = [
      `<line x1="${MARGIN.left}" x2="${sc.width - MARGIN.right}" y1="${base}" y2="${base}" class="tl-axis"></line>`,
      `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${base}" class="tl-axis tl-yaxis"></line>`,
      `<text x="10" y="${MARGIN.top + sc.plotH / 2}" class="tl-tick tl-ylabel" text-anchor="middle" transform="rotate(-90 10 ${MARGIN.top + sc.plotH / 2})">events / ${escapeAttr(interval)}</text>`,
    ];
    for (const v of ticks) {
      const ty = base - y(v);
      parts.push(`<text x="${MARGIN.left - 4}" y="${(ty + 3).toFixed(1)}" class="tl-tick tl-count" text-anchor="end" data-count="${v}">${v}</text>`);
      if (v > 0) parts.push(`<line x1="${MARGIN.left}" x2="${sc.width - MARGIN.right}" y1="${ty.toFixed(1)}" y2="${ty.toFixed(1)}" class="tl-grid"></line>`);
    }
    parts.push('<g class="tl-bars">');
    for (const b of buckets) {
      const x0 = sc.x(dayToMs(b.start));
      const x1 = sc.x(dayToMs(nextBucket(b.start, interval)));
      const w = Math.max(1, x1 - x0 - (x1 - x0 > 4 ? 1 : 0)).toFixed(2);
      const start = escapeAttr(b.start);
      let top = base;
      parts.push(`<g class="${inBrush(b.start) ? 'tl-bucket' : 'tl-bucket out'}" data-start="${start}">`);
      for (const type of orderedTypes(Object.keys(b.counts))) {
        const n = b.counts[type];
        if (!n) continue;
        const h = Math.max(1, y(n));
        top -= h;
        parts.push(`<rect x="${x0.toFixed(2)}" y="${top.toFixed(2)}" width="${w}" height="${h.toFixed(2)}" fill="${typeColor(type)}" class="tl-seg" data-start="${start}" data-type="${escapeAttr(type)}" data-n="${Number(n)}"></rect>`);
      }
      parts.push('</g>');
    }
    parts.push('</g>');
    parts.push(...this.ticks(sc, interval));
    if (this.brush) {
      const from = this.brush.since ? Math.max(sc.t0, dayToMs(this.brush.since)) : sc.t0;
      const to = this.brush.until ? Math.min(sc.t1, dayToMs(this.brush.until) + DAY) : sc.t1;
      if (to > from) {
        parts.push(`<rect x="${sc.x(from)}" y="${MARGIN.top - 4}" width="${Math.max(1, sc.x(to) - sc.x(from))}" height="${sc.plotH + 4}" class="tl-brush"></rect>`);
      }
    }
    parts.push(`<rect x="0" y="${MARGIN.top - 4}" width="0" height="${sc.plotH + 4}" class="tl-drag" visibility="hidden"></rect>`);
    svg.innerHTML = parts.join('');
    this.dragRect = svg.lastElementChild;
  }

  // A segment's tooltip, made the first time the pointer is over it.
  addTitle(target) {
    if (!target || !target.classList || !target.classList.contains('tl-seg') || target.firstElementChild) return;
    const start = target.getAttribute('data-start');
    el('title', {}, target).textContent = `${label(start, this.data.interval)} · ${target.getAttribute('data-type')}: ${target.getAttribute('data-n')}`;
  }

  ticks(sc, interval) {
    const n = Math.max(2, Math.floor((sc.width - MARGIN.left) / 110));
    const step = (sc.t1 - sc.t0) / n;
    const out = [];
    for (let i = 0; i <= n; i += 1) {
      const ms = sc.t0 + i * step;
      const day = msToDay(Math.round(ms / DAY) * DAY);
      const anchor = i === 0 ? 'start' : (i === n ? 'end' : 'middle');
      out.push(`<text x="${sc.x(ms)}" y="${sc.height - 6}" class="tl-tick" text-anchor="${anchor}">${escapeAttr(label(day, interval))}</text>`);
    }
    return out;
  }

  // The bucket range [since, until] covering pixel range [a, b].
  rangeAt(a, b) {
    const sc = this.scale();
    const lo = msToDay(Math.floor(sc.xToMs(Math.min(a, b)) / DAY) * DAY);
    const hi = msToDay(Math.floor(sc.xToMs(Math.max(a, b)) / DAY) * DAY);
    const { buckets, interval } = this.data;
    let since = null;
    let until = null;
    for (const bk of buckets) {
      const last = bucketLastDay(bk.start, interval);
      if (last < lo || bk.start > hi) continue;
      if (since === null || bk.start < since) since = bk.start;
      if (until === null || last > until) until = last;
    }
    return since ? { since, until } : { since: lo, until: hi };
  }

  localX(e) {
    const rect = this.svg.getBoundingClientRect();
    const sc = this.scale();
    return ((e.clientX - rect.left) / Math.max(1, rect.width)) * sc.width;
  }

  pointerDown(e) {
    if (!this.data.buckets.length || e.button !== 0) return;
    this.drag = { x0: this.localX(e), target: e.target };
    this.svg.setPointerCapture(e.pointerId);
    e.preventDefault();
  }

  pointerMove(e) {
    if (!this.drag || !this.dragRect) return;
    const x = this.localX(e);
    this.dragRect.setAttribute('x', Math.min(x, this.drag.x0));
    this.dragRect.setAttribute('width', Math.abs(x - this.drag.x0));
    this.dragRect.setAttribute('visibility', 'visible');
  }

  pointerUp(e) {
    if (!this.drag) return;
    const { x0, target } = this.drag;
    this.drag = null;
    this.svg.releasePointerCapture(e.pointerId);
    const x1 = this.localX(e);
    if (Math.abs(x1 - x0) < 4) {
      if (target && target.classList && target.classList.contains('tl-seg')) {
        const start = target.getAttribute('data-start');
        this.onPick({
          start, until: bucketLastDay(start, this.data.interval), type: target.getAttribute('data-type'),
        });
      } else if (this.dragRect) {
        this.dragRect.setAttribute('visibility', 'hidden');
      }
      return;
    }
    const range = this.rangeAt(x0, x1);
    this.brush = range;
    this.draw();
    this.onBrush(range.since, range.until);
  }
}
