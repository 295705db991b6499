// The control layer: who holds the areas of a place on a chosen day (GET /control,
// docs/control.md), drawn on the map. A box top right takes the place; a slider steps
// through the days on which something changed. Each area is a disc in its holder's colour
// (contested: hatched in the holder's colour over the besieger's; disputed: hatched grey;
// holder unknown: hollow); clicking one lists its evidence sentences, each opening the
// coder's event when it has one. Areas the gazetteer lacks (a neighbourhood kept under its
// city) have no coordinates of their own: they are fanned out around their city.

const PALETTE = ['#1f5fbf', '#c62828', '#2e7d32', '#ef6c00', '#6a1b9a', '#00838f', '#8d6e63', '#ad1457'];
const FAN_KM = 1.6; // distance of a sub-area's disc from its city's point

// The span of `spans` covering `day` (ISO), or null.
export function spanOn(spans, day) {
  for (const s of spans || []) {
    if (s.from <= day && (s.to === null || s.to === undefined || day <= s.to)) return s;
  }
  return null;
}

// The days on which any area's state changed, in order: the slider's stops.
export function controlDays(timeline) {
  const days = new Set();
  for (const a of (timeline && timeline.areas) || []) {
    for (const s of a.spans || []) days.add(s.from);
  }
  return [...days].sort();
}

// A stable colour per side of a war ("SYR:STATE", "IMGMUSISI:ARMED_OPPOSITION").
export function holderColor(side) {
  if (!side) return '#9e9e9e';
  let h = 0;
  for (const ch of String(side)) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length];
}

function sideOf(holder) {
  if (!holder) return null;
  if (holder.code && /^(IGO|NGO|MNC|IMG)/.test(holder.code)) return holder.code;
  const family = ['GOV', 'MIL', 'COP', 'JUD', 'LEG', 'SPY'].includes(holder.sector) ? 'STATE'
    : holder.sector ? 'ARMED_OPPOSITION' : 'STATE';
  return `${holder.country || '*'}:${family}`;
}

// [{entry, lat, lon}]: an area's own coordinates, else its city's, fanned out so that
// sub-areas of one city do not hide each other.
export function areaPoints(timeline) {
  const areas = (timeline && timeline.areas) || [];
  const cities = {};
  for (const a of areas) {
    if (!a.area.within && a.area.lat !== null && a.area.lat !== undefined) cities[a.area.name.toLowerCase()] = a.area;
  }
  const fanned = {};
  const out = [];
  for (const entry of areas) {
    const area = entry.area;
    if (area.lat === null || area.lat === undefined) continue;
    if (!area.within) {
      out.push({ entry, lat: area.lat, lon: area.lon });
      continue;
    }
    const key = area.within.toLowerCase();
    const k = fanned[key] = (fanned[key] || 0) + 1;
    const angle = (k * 137.5 * Math.PI) / 180;
    const dLat = (FAN_KM * Math.cos(angle)) / 111;
    const dLon = (FAN_KM * Math.sin(angle)) / (111 * Math.max(0.2, Math.cos((area.lat * Math.PI) / 180)));
    out.push({ entry, lat: area.lat + dLat, lon: area.lon + dLon });
  }
  return out;
}

// How an area looks on `day`: {fill, stroke, hatch (colours of the stripes) or null, label}.
export function areaStyle(span) {
  if (!span) return null;
  const holder = span.holder && (span.holder.code || span.holder.text);
  const color = holderColor(span.side || sideOf(span.holder));
  if (span.status === 'contested') {
    const besieger = holderColor(sideOf(span.besieger));
    return { fill: color, stroke: besieger, hatch: [span.holder ? color : '#ffffff', besieger],
      label: `contested: besieged by ${(span.besieger && span.besieger.code) || '?'}; held by ${holder || '?'}` };
  }
  if (span.status === 'disputed') {
    const who = (span.claimants || []).map((c) => (c && c.code) || '?').join(' vs ');
    return { fill: '#9e9e9e', stroke: '#616161', hatch: ['#ffffff', '#616161'], label: `disputed: ${who}` };
  }
  if (span.status === 'unknown') return { fill: null, stroke: '#616161', hatch: null, label: 'holder unknown (abandoned)' };
  const share = span.share !== null && span.share !== undefined ? ` (${Math.round(span.share * 100)} %)` : '';
  return { fill: color, stroke: color, hatch: null, label: `held by ${holder || '?'}${share}` };
}

function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

export class ControlLayer {
  // map: the Leaflet map; api: the page's Api; onSelect(eventId): open an event.
  constructor(map, api, { onSelect = () => {}, doc = document } = {}) {
    this.map = map;
    this.api = api;
    this.onSelect = onSelect;
    this.doc = doc;
    this.layer = L.layerGroup().addTo(map);
    this.data = null;
    this.days = [];
    this.patterns = new Set();
    this.addControl();
  }

  addControl() {
    const box = L.control({ position: 'topleft' });
    box.onAdd = () => {
      const div = L.DomUtil.create('div', 'control-box');
      div.innerHTML = '<form class="control-form"><label>Control of <input name="place" type="search" '
        + 'placeholder="place, e.g. Aleppo" size="12"></label> <button type="submit">Show</button></form>'
        + '<div class="control-day" hidden><input type="range" min="0" max="0" step="1" value="0" '
        + 'aria-label="Day"> <span class="control-date"></span></div>'
        + '<div class="control-note muted"></div>';
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      div.querySelector('form').addEventListener('submit', (e) => {
        e.preventDefault();
        this.load(div.querySelector('input[name="place"]').value.trim());
      });
      div.querySelector('input[type="range"]').addEventListener('input', (e) => this.show(this.days[Number(e.target.value)]));
      this.box = div;
      return div;
    };
    box.addTo(this.map);
  }

  async load(place) {
    const note = this.box.querySelector('.control-note');
    this.layer.clearLayers();
    if (!place) {
      this.data = null;
      this.box.querySelector('.control-day').hidden = true;
      note.textContent = '';
      return;
    }
    note.textContent = 'Reading claims…';
    try {
      this.data = await this.api.control(place);
    } catch (err) {
      note.textContent = `Could not load control: ${err.message}`;
      return;
    }
    this.days = controlDays(this.data);
    const slider = this.box.querySelector('input[type="range"]');
    slider.max = String(Math.max(0, this.days.length - 1));
    slider.value = slider.max;
    this.box.querySelector('.control-day').hidden = this.days.length === 0;
    const conflicts = (this.data.conflicts || []).length;
    note.textContent = this.days.length
      ? `${this.data.areas.length} area(s)${conflicts ? ` · ${conflicts} conflict(s)` : ''}`
      : `No control claims for ${place}`;
    if (this.days.length) {
      this.show(this.days[this.days.length - 1]);
      const pts = areaPoints(this.data).map((p) => [p.lat, p.lon]);
      if (pts.length) this.map.fitBounds(L.latLngBounds(pts).pad(0.5), { maxZoom: 11 });
    }
  }

  hatch(colors) {
    const id = `dl-hatch-${colors.map((c) => c.replace('#', '')).join('-')}`;
    if (!this.patterns.has(id)) {
      let svg = this.doc.getElementById('dl-control-patterns');
      if (!svg) {
        // parsed as HTML, <svg> gets its namespace without naming it
        const holder = this.doc.createElement('div');
        holder.innerHTML = '<svg id="dl-control-patterns" width="0" height="0" '
          + 'style="position:absolute"><defs></defs></svg>';
        svg = holder.firstChild;
        this.doc.body.appendChild(svg);
      }
      const [a, b] = colors;
      svg.querySelector('defs').insertAdjacentHTML('beforeend',
        `<pattern id="${id}" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)">`
        + `<rect width="8" height="8" fill="${a}"/><rect width="3" height="8" fill="${b}"/></pattern>`);
      this.patterns.add(id);
    }
    return `url(#${id})`;
  }

  // Draw every area as it stood on `day`.
  show(day) {
    this.layer.clearLayers();
    if (!this.data || !day) return;
    this.box.querySelector('.control-date').textContent = day;
    for (const { entry, lat, lon } of areaPoints(this.data)) {
      const span = spanOn(entry.spans, day);
      const style = areaStyle(span);
      if (!style) continue;
      const fill = style.hatch ? this.hatch(style.hatch) : style.fill;
      const marker = L.circleMarker([lat, lon], {
        radius: entry.area.within ? 9 : 14, color: style.stroke, weight: 2,
        fillColor: fill || '#ffffff', fillOpacity: style.fill || style.hatch ? 0.85 : 0.1,
        className: `control-area control-${span.status}`,
      });
      marker.bindTooltip(`${escapeHtml(entry.area.name)}: ${escapeHtml(style.label)}`);
      marker.bindPopup(() => this.popup(entry, span), { maxWidth: 420 });
      marker.addTo(this.layer);
    }
  }

  popup(entry, span) {
    const div = this.doc.createElement('div');
    div.className = 'control-popup';
    const name = entry.area.name + (entry.area.within ? ` (${entry.area.within})` : '');
    const style = areaStyle(span);
    let html = `<strong>${escapeHtml(name)}</strong><br>${escapeHtml(span.from)} – ${escapeHtml(span.to || '…')}: ${escapeHtml(style.label)}<ol>`;
    for (const ev of span.evidence || []) {
      const who = ev.source || ev.publisher || '';
      const open = (ev.event_ids || []).length
        ? ` <a href="#" data-event-id="${escapeHtml(ev.event_ids[0])}">event</a>` : '';
      html += `<li><span class="muted">${escapeHtml(ev.kind)} · ${escapeHtml(ev.holder || '?')} · ${escapeHtml(ev.date || '')}${who ? ` · ${escapeHtml(who)}` : ''}</span><br>`
        + `${escapeHtml(ev.sentence)}${open}</li>`;
    }
    html += '</ol>';
    for (const c of entry.conflicts || []) {
      if (c.day <= (span.to || '9999')) html += `<p class="error">! ${escapeHtml(c.day)}: ${escapeHtml(c.detail)}</p>`;
    }
    div.innerHTML = html;
    div.addEventListener('click', (e) => {
      const link = e.target.closest('[data-event-id]');
      if (!link) return;
      e.preventDefault();
      this.onSelect(link.getAttribute('data-event-id'));
    });
    return div;
  }
}
