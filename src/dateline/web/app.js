// The page: wires the filter form, map, timeline, table and provenance panel to the API.
// The state (filters, selected event) lives in the URL fragment, so a view can be
// bookmarked or shared: #country=SYR&type=ASSAULT,COERCE&event=<id>.

import { FILTER_KEYS, exportUrl } from './api.js';
import { api, early, initial, readHash, MARKER_PAGE, TIMELINE_OMIT } from './early.js';
import { MapView } from './mapview.js';
import { Timeline, chooseInterval, robustRange } from './timeline.js';
import { NetworkView } from './network.js';
import { ActorPage } from './actorpage.js';
import { EventTable } from './table.js';
import { Provenance } from './provenance.js';
import { ControlLayer } from './control.js';
import { TYPES, QUADS, typeColor } from './types.js';
import { eventView, names } from './event.js';

// Resolves after the next frame has been painted (or after 200 ms in a hidden tab, where no
// frames are painted).
function nextFrame() {
  return new Promise((resolve) => {
    window.requestAnimationFrame(() => setTimeout(resolve, 0));
    setTimeout(resolve, 200);
  });
}

const PICK_LIMIT = 25; // events listed when a timeline bar is clicked
const BORDERS = 'static/vendor/world-atlas/countries-110m.json'; // zoomed out
const BORDERS_FINE = 'static/vendor/world-atlas/countries-50m.json'; // zoomed in
const COUNTRY_CODES = 'static/vendor/regions/countries.json'; // ISO numeric -> alpha-3
const REGIONS = 'static/vendor/regions'; // first-level regions, one file per country
const EXPORT_FORMATS = ['csv', 'plover', 'geojson', 'gdelt', 'parquet'];
const SUGGEST_DELAY = 150; // ms after the last key before asking for actor names

// Page state beyond the filters, from the URL fragment: the map mode (dots, or totals per
// country / region and which measure), the side panel (network, an actor's page) and
// whether the timeline shows every date.
function readView(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const map = params.get('map');
  const measure = params.get('measure');
  return {
    map: ['country', 'admin1'].includes(map) ? map : 'events',
    measure: ['events', 'dead', 'injured', 'arrested'].includes(measure) ? measure : 'events',
    panel: params.get('panel') || null,
    alldates: params.get('alldates') === '1',
  };
}

class App {
  constructor(doc) {
    this.doc = doc;
    this.api = api;
    this.early = early; // the first events page and timeline, already requested
    this.filters = initial.filters;
    this.interval = initial.interval;
    this.pendingEvent = initial.event;
    this.selectedId = null;
    this.cursor = null;
    this.loaded = 0;
    this.generation = 0;
    this.firstLoad = true;
    this.firstEvents = null; // promise of the first events page (the basemap waits for it)
    this.form = doc.getElementById('filters');
    this.status = doc.getElementById('status');
    this.summaryEl = doc.getElementById('summary');
    this.loadMore = doc.getElementById('load-more');
    this.pickEl = doc.getElementById('pick');
    this.map = null;
    this.timeline = new Timeline(doc.getElementById('timeline'), {
      onBrush: (since, until) => this.setFilters({ since, until }),
      onPick: (bucket) => this.pick(bucket),
    });
    this.table = new EventTable(doc.getElementById('events'), doc.getElementById('more-rows'), {
      onSelect: (id, origin) => this.select(id, origin),
    });
    this.provenance = new Provenance(doc.getElementById('provenance'), {
      onClose: () => this.select(null),
    });
    const view = readView(window.location.hash);
    this.mapMode = view.map;
    this.measure = view.measure;
    this.panel = view.panel; // 'network' or 'actor:NAME'
    this.allDates = view.alldates;
    this.eventsById = new Map();
    this.network = new NetworkView(doc.getElementById('network'), {
      onActor: (name) => this.openPanel(`actor:${name}`),
      onClose: () => this.openPanel(null),
    });
    this.actorPage = new ActorPage(doc.getElementById('actor-page'), {
      onActor: (name) => this.openPanel(`actor:${name}`),
      onFilter: (side, name) => {
        this.openPanel(null);
        this.setFilters({ [side]: name });
      },
      onClose: () => this.openPanel(null),
    });
  }

  start() {
    this.buildTypeOptions();
    this.writeForm();
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.setFilters(this.readForm(), { replace: true });
    });
    this.form.addEventListener('reset', (e) => {
      e.preventDefault();
      this.setFilters({}, { replace: true });
    });
    this.form.querySelector('.type-options').addEventListener('change', () => this.updateTypeSummary());
    this.doc.getElementById('interval').value = this.interval;
    this.doc.getElementById('interval').addEventListener('change', (e) => {
      this.interval = e.target.value;
      this.writeHash();
      this.loadTimeline(this.generation);
    });
    this.doc.getElementById('clear-range').addEventListener('click', () => this.setFilters({ since: null, until: null }));
    this.loadMore.addEventListener('click', () => this.loadEvents(this.generation, { append: true }));
    this.pickEl.addEventListener('click', (e) => {
      const item = e.target.closest('[data-event-id]');
      if (item) this.select(item.dataset.eventId, 'timeline');
      if (e.target.closest('[data-action="close"]')) this.pickEl.hidden = true;
    });
    this.wireAnalysis();
    window.addEventListener('hashchange', () => this.fromHash());
    window.addEventListener('resize', () => {
      this.timeline.draw();
      if (this.map) this.map.resize();
    });
    this.initMap();
    this.refresh();
    if (this.map) {
      // Borders are drawn once the first events are on the map (markers first, in their view).
      this.firstEvents.then(() => this.map.loadBasemap(BORDERS, BORDERS_FINE))
        .catch((err) => this.report(`Basemap: ${err.message}`));
    }
    if (this.pendingEvent) this.select(this.pendingEvent, 'url');
  }

  initMap() {
    const box = this.doc.getElementById('map');
    if (!MapView.available()) {
      box.classList.add('map-missing');
      box.textContent = 'The map packages are missing: run "python -m dateline.web.build" (or "make install") and reload. The timeline and table still work.';
      return;
    }
    this.map = new MapView(box, {
      onSelect: (id, origin) => this.select(id, origin),
      onArea: (ids, name) => this.listEvents(ids, `${name}: events located only to it`),
      codesUrl: COUNTRY_CODES,
      regionsUrl: REGIONS,
    }).init();
    this.control = new ControlLayer(this.map.map, this.api, { onSelect: (id) => this.select(id, 'control') });
    this.doc.getElementById('search-area').addEventListener('click', () => this.setFilters({ near: this.map.viewAsNear() }));
    this.doc.getElementById('zoom-events').addEventListener('click', () => this.map.fitToEvents());
  }

  // Downloads, actor suggestions and pages, the network, the map's totals, the timeline's
  // outliers.
  wireAnalysis() {
    const doc = this.doc;
    for (const input of this.form.querySelectorAll('input[name="actor"], input[name="recipient"]')) {
      input.setAttribute('list', 'actor-suggestions');
      input.addEventListener('input', () => this.suggestActors(input.value));
    }
    doc.getElementById('actor-page-open').addEventListener('click', () => {
      const name = (this.form.elements.namedItem('actor').value || '').split(',')[0].trim();
      if (name) this.openPanel(`actor:${name}`);
      else this.report('Type an actor first (name, alias, acronym or code).');
    });
    doc.getElementById('provenance').addEventListener('click', (e) => {
      const link = e.target.closest('[data-actor-page]');
      if (link) this.openPanel(`actor:${link.getAttribute('data-actor-page')}`);
    });
    doc.getElementById('network-open').addEventListener('click', () => this.openPanel(this.panel === 'network' ? null : 'network'));
    const mode = doc.getElementById('map-mode');
    const measure = doc.getElementById('map-measure');
    mode.value = this.mapMode;
    measure.value = this.measure;
    measure.hidden = this.mapMode === 'events';
    mode.addEventListener('change', () => {
      this.mapMode = mode.value;
      measure.hidden = this.mapMode === 'events';
      this.writeHash();
      this.loadChoropleth(this.generation);
    });
    measure.addEventListener('change', () => {
      this.measure = measure.value;
      this.writeHash();
      this.loadChoropleth(this.generation);
    });
    doc.getElementById('tl-note').addEventListener('click', (e) => {
      if (!e.target.closest('button')) return;
      this.allDates = !this.allDates;
      this.writeHash();
      this.loadTimeline(this.generation);
    });
  }

  updateDownloads() {
    for (const a of this.doc.querySelectorAll('#downloads a[data-format]')) {
      a.href = exportUrl(this.filters, a.dataset.format);
    }
  }

  suggestActors(text) {
    clearTimeout(this.suggestTimer);
    const prefix = text.split(',').pop().trim();
    if (prefix.length < 2) return;
    this.suggestTimer = setTimeout(async () => {
      try {
        const { items } = await this.api.actors(prefix, 12);
        const list = this.doc.getElementById('actor-suggestions');
        list.replaceChildren(...items.map((it) => {
          const option = this.doc.createElement('option');
          option.value = it.name;
          option.label = [it.alias && it.alias !== it.name ? `“${it.alias}”` : null, it.code, `${it.events} events`].filter(Boolean).join(' · ');
          return option;
        }));
        list.dataset.prefix = prefix;
      } catch (err) {
        this.report(`Actors: ${err.message}`);
      }
    }, SUGGEST_DELAY);
  }

  // The side panel: 'network', 'actor:NAME', or null (the table).
  openPanel(panel) {
    this.panel = panel || null;
    this.writeHash();
    this.showPanel(this.generation);
  }

  async showPanel(gen) {
    const panel = this.panel;
    if (panel !== 'network') this.network.close();
    if (!panel || !panel.startsWith('actor:')) this.actorPage.close();
    if (panel === 'network') {
      this.network.loading();
      try {
        const answers = await Promise.all([1, 2, 3, 4].map((quad) => this.api.dyads(this.filters, { quad, top: 25 })));
        if (gen !== this.generation || this.panel !== panel) return;
        this.network.show(Object.fromEntries(answers.map((a, i) => [i + 1, a.items])));
      } catch (err) {
        this.report(`Network: ${err.message}`);
      }
    } else if (panel && panel.startsWith('actor:')) {
      const name = panel.slice(6);
      this.actorPage.loading(name);
      try {
        const interval = this.lastInterval || 'month';
        const profile = await this.api.actor(name, this.filters, interval);
        if (this.panel !== panel) return;
        this.actorPage.show(profile);
      } catch (err) {
        if (this.panel === panel) this.actorPage.error(name, err.status === 404 ? `No actor “${name}” in the dictionaries or the events.` : err.message);
      }
    }
  }

  async loadChoropleth(gen) {
    if (!this.map) return;
    if (this.mapMode === 'events') {
      this.map.setChoropleth(null);
      return;
    }
    try {
      const per = this.mapMode;
      const data = await this.api.series(this.filters, 'total', per);
      if (gen !== this.generation) return;
      await this.map.setChoropleth({ rows: data.rows, per, measure: this.measure });
    } catch (err) {
      if (gen === this.generation) this.report(`Totals: ${err.message}`);
    }
  }

  // A list of loaded events (those of a shaded area) in the pick panel.
  listEvents(ids, title) {
    const list = this.doc.createElement('ul');
    for (const id of ids) {
      const ev = this.eventsById.get(id);
      if (!ev) continue;
      const li = this.doc.createElement('li');
      li.dataset.eventId = ev.id;
      li.tabIndex = 0;
      li.textContent = `${ev.date || ''} ${ev.type} ${names(ev.actors) || '?'} → ${names(ev.recipients) || '—'}: ${ev.sentence}`;
      list.appendChild(li);
    }
    const head = this.doc.createElement('div');
    head.className = 'pick-head';
    head.innerHTML = '<strong></strong><button type="button" data-action="close" aria-label="Close">×</button>';
    head.querySelector('strong').textContent = title;
    this.pickEl.replaceChildren(head, list);
    this.pickEl.hidden = false;
  }

  buildTypeOptions() {
    const box = this.form.querySelector('.type-options');
    for (const [quad, name] of Object.entries(QUADS)) {
      const group = this.doc.createElement('fieldset');
      const legend = this.doc.createElement('legend');
      legend.textContent = name;
      group.appendChild(legend);
      for (const t of TYPES.filter((x) => String(x.quad) === quad)) {
        const label = this.doc.createElement('label');
        const input = this.doc.createElement('input');
        input.type = 'checkbox';
        input.name = 'type';
        input.value = t.type;
        const swatch = this.doc.createElement('i');
        swatch.className = 'swatch';
        swatch.style.background = typeColor(t.type);
        const count = this.doc.createElement('span');
        count.className = 'type-count';
        count.dataset.type = t.type;
        label.append(input, swatch, this.doc.createTextNode(t.type), count);
        group.appendChild(label);
      }
      box.appendChild(group);
    }
  }

  updateTypeSummary() {
    const checked = [...this.form.querySelectorAll('input[name="type"]:checked')].map((i) => i.value);
    this.form.querySelector('.type-summary').textContent = checked.length ? `Types: ${checked.join(', ')}` : 'Types: all';
  }

  readForm() {
    const data = new FormData(this.form);
    const filters = {};
    for (const key of FILTER_KEYS) {
      if (key === 'type') {
        const types = data.getAll('type');
        if (types.length) filters.type = types;
      } else if (data.has(key) && String(data.get(key)).trim()) {
        filters[key] = String(data.get(key)).trim();
      }
    }
    return filters;
  }

  writeForm() {
    for (const input of this.form.querySelectorAll('input[name="type"]')) {
      input.checked = (this.filters.type || []).includes(input.value);
    }
    for (const key of FILTER_KEYS) {
      const input = this.form.elements.namedItem(key);
      if (input && key !== 'type' && 'value' in input) input.value = this.filters[key] || '';
    }
    this.updateTypeSummary();
  }

  writeHash() {
    const params = new URLSearchParams();
    for (const key of FILTER_KEYS) {
      const v = this.filters[key];
      if (Array.isArray(v) ? v.length : v) params.set(key, Array.isArray(v) ? v.join(',') : v);
    }
    if (this.interval !== 'auto') params.set('interval', this.interval);
    if (this.mapMode && this.mapMode !== 'events') params.set('map', this.mapMode);
    if (this.mapMode && this.mapMode !== 'events' && this.measure !== 'events') params.set('measure', this.measure);
    if (this.panel) params.set('panel', this.panel);
    if (this.allDates) params.set('alldates', '1');
    if (this.selectedId) params.set('event', this.selectedId);
    const hash = params.toString();
    if (hash !== window.location.hash.replace(/^#/, '')) {
      window.history.replaceState(null, '', hash ? `#${hash}` : window.location.pathname + window.location.search);
    }
  }

  fromHash() {
    const state = readHash(window.location.hash);
    this.filters = state.filters;
    this.interval = state.interval;
    const view = readView(window.location.hash);
    this.mapMode = view.map;
    this.measure = view.measure;
    this.panel = view.panel;
    this.allDates = view.alldates;
    this.doc.getElementById('map-mode').value = this.mapMode;
    this.doc.getElementById('map-measure').value = this.measure;
    this.doc.getElementById('interval').value = this.interval;
    this.writeForm();
    this.refresh();
    if (state.event !== this.selectedId) this.select(state.event, 'url');
  }

  // Merge (or with replace, set) filters and reload everything that depends on them.
  setFilters(changes, { replace = false } = {}) {
    const next = replace ? { ...changes } : { ...this.filters, ...changes };
    for (const [k, v] of Object.entries(next)) {
      if (v === null || v === undefined || v === '' || (Array.isArray(v) && !v.length)) delete next[k];
    }
    this.filters = next;
    this.writeForm();
    this.refresh();
  }

  refresh() {
    this.generation += 1;
    const gen = this.generation;
    this.writeHash();
    this.pickEl.hidden = true;
    this.doc.getElementById('clear-range').hidden = !(this.filters.since || this.filters.until);
    this.updateDownloads();
    this.report('');
    this.doc.body.dataset.state = 'loading';
    const events = this.loadEvents(gen);
    if (!this.firstEvents) this.firstEvents = events;
    // The timeline is drawn once the events are on the map and the table (a frame later), so
    // it never holds up the first markers.
    const extras = [this.loadChoropleth(gen)];
    if (this.panel) extras.push(this.showPanel(gen));
    return Promise.all([events, this.loadTimeline(gen, events), ...extras])
      .then(() => {
        if (gen !== this.generation) return;
        this.doc.body.dataset.state = 'ready';
        if (!window.performance.getEntriesByName('dateline:ready').length) window.performance.mark('dateline:ready');
      });
  }

  async loadEvents(gen, { append = false } = {}) {
    try {
      const page = append ? await this.api.events(this.filters, { limit: MARKER_PAGE, cursor: this.cursor })
        : await this.takeEarly('events', null) || await this.api.events(this.filters, { limit: MARKER_PAGE });
      if (gen !== this.generation) return;
      const items = (page.items || []).map(eventView);
      if (!append) this.eventsById.clear();
      for (const ev of items) this.eventsById.set(ev.id, ev);
      this.cursor = page.next_cursor || null;
      this.loaded = append ? this.loaded + items.length : items.length;
      this.table.setEvents(items, { append });
      if (this.map) this.map.setEvents(items, { append, fit: this.firstLoad && !append });
      if (!append) this.markRendered(items.length);
      this.firstLoad = false;
      this.loadMore.hidden = !this.cursor;
      this.updateSummary();
      if (this.selectedId) {
        this.table.select(this.selectedId);
        if (this.map) this.map.select(this.selectedId);
      }
    } catch (err) {
      if (gen === this.generation) this.report(`Events: ${err.message}`);
    }
  }

  // Performance marks for the benchmark: events received, and first markers in the DOM.
  markRendered(count) {
    const perf = window.performance;
    if (perf.getEntriesByName('dateline:events').length) return;
    perf.mark('dateline:events');
    if (!this.map || !count || !this.map.markers.size) return;
    const box = this.map.element;
    let frames = 0;
    const check = () => {
      frames += 1;
      if (box.querySelector('.ev-dot, .ev-cluster')) perf.mark('dateline:markers');
      else if (frames < 600) window.requestAnimationFrame(check);
    };
    window.requestAnimationFrame(check);
  }

  // A request made by early.js, if it still answers the current state (used once).
  async takeEarly(name, interval) {
    const early = this.early;
    if (!early || !early[name] || early.filters !== JSON.stringify(this.filters)) return null;
    if (interval && interval !== early.interval) return null;
    const result = await early[name];
    early[name] = null;
    if (result.error) throw result.error;
    return result.value;
  }

  // With `after` (a promise), the timeline is drawn only once it has settled and a frame
  // has been painted. The axis spans the filtered events; when the outer 1 % of them
  // (old years named in a text, misdated events) would stretch it over twice the span of
  // the rest, it spans the rest and a note says what is left out (with "show all").
  async loadTimeline(gen, after = null) {
    try {
      const omit = TIMELINE_OMIT;
      const firstInterval = this.interval === 'auto' ? 'month' : this.interval;
      let data = await this.takeEarly('timeline', firstInterval) || await this.api.timeline(this.filters, firstInterval, omit);
      const totals = this.countTypes(data.buckets);
      const range = robustRange(data.buckets, data.interval);
      const trim = Boolean(range && range.trimmed && !this.allDates);
      let interval = this.interval;
      if (interval === 'auto') interval = range ? chooseInterval(trim ? range.since : range.first, trim ? range.until : range.last) : 'day';
      if (trim || interval !== data.interval) {
        const f = trim ? { ...this.filters, since: range.since, until: range.until } : this.filters;
        data = await this.api.timeline(f, interval, omit);
      }
      if (after) await after.then(nextFrame);
      if (gen !== this.generation) return;
      this.timeline.setData(data);
      this.lastInterval = data.interval;
      this.doc.getElementById('interval-shown').textContent = data.interval;
      this.showRangeNote(range, trim);
      for (const el of this.form.querySelectorAll('.type-count')) {
        el.textContent = totals[el.dataset.type] ? ` ${totals[el.dataset.type]}` : '';
      }
      this.updateSummary();
    } catch (err) {
      if (gen === this.generation) this.report(`Timeline: ${err.message}`);
    }
  }

  countTypes(buckets) {
    const byType = {};
    for (const b of buckets) {
      for (const [type, n] of Object.entries(b.counts)) byType[type] = (byType[type] || 0) + n;
    }
    return byType;
  }

  showRangeNote(range, trimmed) {
    const note = this.doc.getElementById('tl-note');
    note.dataset.trimmed = trimmed ? 'true' : 'false';
    if (!range || !range.trimmed) {
      note.hidden = true;
      note.replaceChildren();
      return;
    }
    note.hidden = false;
    const years = `${range.first.slice(0, 4)}–${range.last.slice(0, 4)}`;
    const text = trimmed
      ? `outer 1 % left out: ${range.outside} event${range.outside === 1 ? '' : 's'} (${years}) `
      : `all dates (${years}) `;
    note.title = trimmed ? `The axis spans ${range.since} – ${range.until}; ${range.outside} events outside it, between ${range.first} and ${range.last}, stretched it.` : '';
    const button = this.doc.createElement('button');
    button.type = 'button';
    button.textContent = trimmed ? 'show all' : 'hide the outer 1 %';
    note.replaceChildren(this.doc.createTextNode(text), button);
  }

  updateSummary() {
    const shown = this.loaded;
    const more = this.cursor ? ` — the first ${shown.toLocaleString()}; narrow the filters or brush the timeline to see others` : '';
    const mapped = this.map ? ` (${this.map.markers.size.toLocaleString()} on the map)` : '';
    this.summaryEl.textContent = `${shown.toLocaleString()} events${mapped}${more}`;
  }

  async pick(bucket) {
    const filters = { ...this.filters, since: bucket.start, until: bucket.until, type: [bucket.type] };
    this.pickEl.hidden = false;
    this.pickEl.replaceChildren(this.doc.createTextNode('Loading…'));
    try {
      const page = await this.api.events(filters, { limit: PICK_LIMIT });
      const head = this.doc.createElement('div');
      head.className = 'pick-head';
      head.innerHTML = '<strong></strong><button type="button" data-action="close" aria-label="Close">×</button>';
      head.querySelector('strong').textContent = `${bucket.type}, ${bucket.start}${bucket.until !== bucket.start ? ` – ${bucket.until}` : ''}`;
      const list = this.doc.createElement('ul');
      for (const ev of (page.items || []).map(eventView)) {
        const li = this.doc.createElement('li');
        li.dataset.eventId = ev.id;
        li.tabIndex = 0;
        li.textContent = `${ev.date || ''} ${names(ev.actors) || '?'} → ${names(ev.recipients) || '—'}: ${ev.sentence}`;
        list.appendChild(li);
      }
      if (page.next_cursor) {
        const li = this.doc.createElement('li');
        li.className = 'muted';
        li.textContent = `… more: brush the timeline to list them all`;
        list.appendChild(li);
      }
      this.pickEl.replaceChildren(head, list);
    } catch (err) {
      this.pickEl.textContent = `Could not list events: ${err.message}`;
    }
  }

  async select(id, origin = 'page') {
    this.selectedId = id || null;
    this.writeHash();
    if (!id) {
      this.provenance.close();
      this.table.select(null);
      if (this.map) this.map.select(null);
      return;
    }
    this.provenance.loading(id);
    this.table.select(id, { reveal: origin !== 'table' });
    if (this.map) this.map.select(id, { reveal: origin !== 'map' });
    try {
      const ev = await this.api.event(id);
      this.provenance.show(ev);
    } catch (err) {
      this.provenance.error(id, `Could not load event ${id}: ${err.message}`);
    }
  }

  report(message) {
    this.status.textContent = message;
    this.status.hidden = !message;
  }
}

const app = new App(document);
window.dateline = app; // for the browser console and the tests
app.start();
