// The map: an offline basemap of country borders (Natural Earth via world-atlas, drawn by
// Leaflet without any tile server) and one dot per event, coloured by type, clustered
// while zoomed out. Events at the very same coordinates are fanned out around the spot
// so each stays a visible, clickable point.

import { typeColor, orderedTypes, TYPES } from './types.js';
import { names, placeText } from './event.js';

const CLUSTER_UNTIL_ZOOM = 6; // from this zoom on every event is its own dot
const FINE_FROM_ZOOM = 4; // detailed borders and country names from this zoom on
const DOT = 12; // dot diameter in pixels
const GOLDEN_ANGLE = 2.399963;

function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  }[c]));
}

// Pixel offset of the k-th of several events at one spot (a sunflower spiral).
export function fanOffset(k) {
  if (k === 0) return [0, 0];
  const r = DOT * 1.15 * Math.sqrt(k); // neighbours never overlap, so each dot stays clickable
  return [r * Math.cos(k * GOLDEN_ANGLE), r * Math.sin(k * GOLDEN_ANGLE)];
}

// Label point and size of a country: the area-weighted centroid of its largest polygon's
// outer ring (planar, in degrees: good enough to place a name).
export function labelPoint(geometry) {
  const polys = geometry.type === 'Polygon' ? [geometry.coordinates]
    : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
  let best = null;
  for (const poly of polys) {
    const ring = poly[0] || [];
    let area = 0;
    let cx = 0;
    let cy = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
      const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
      area += f;
      cx += (ring[j][0] + ring[i][0]) * f;
      cy += (ring[j][1] + ring[i][1]) * f;
    }
    if (!area) continue;
    const a = Math.abs(area / 2);
    if (!best || a > best.area) best = { area: a, lon: cx / (3 * area), lat: cy / (3 * area) };
  }
  return best;
}

// Rings of world-atlas that cross the antimeridian (Russia's Chukotka, Fiji) jump from
// +180 to -180 between two vertices, which Leaflet draws as a line across the whole world.
// Unwrapped, each ring runs on continuously past ±180 (Leaflet draws that fine). Antarctica,
// which wraps the whole globe, is left out: no events happen there.
export function unwrapRing(ring) {
  const out = [];
  let shift = 0;
  for (let i = 0; i < ring.length; i += 1) {
    const [lon, lat] = ring[i];
    if (i > 0) {
      const prev = ring[i - 1][0];
      if (lon - prev > 180) shift -= 360;
      else if (prev - lon > 180) shift += 360;
    }
    out.push([lon + shift, lat]);
  }
  return out;
}

export function fixAntimeridian(collection) {
  const features = [];
  for (const f of collection.features || []) {
    if (f.id === '010' || (f.properties && f.properties.name === 'Antarctica')) continue;
    const g = f.geometry;
    if (g && (g.type === 'Polygon' || g.type === 'MultiPolygon')) {
      const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
      const fixed = polys.map((poly) => poly.map(unwrapRing));
      features.push({ ...f, geometry: { type: 'MultiPolygon', coordinates: fixed } });
    } else {
      features.push(f);
    }
  }
  return { ...collection, features };
}

// Greedy label placement: labels in priority order, each shown only if its box overlaps
// no box shown before it. boxes: [{key, left, top, right, bottom}] -> Set of keys to show.
export function declutter(boxes, pad = 2) {
  const shown = [];
  const keep = new Set();
  for (const b of boxes) {
    if (b.right <= b.left || b.bottom <= b.top) continue;
    const hit = shown.some((s) => b.left < s.right + pad && b.right + pad > s.left
      && b.top < s.bottom + pad && b.bottom + pad > s.top);
    if (!hit) {
      shown.push(b);
      keep.add(b.key);
    }
  }
  return keep;
}

// Class breaks for a choropleth: up to 5 classes over positive values (quantiles, rounded).
export function breaks(values, classes = 5) {
  const v = values.filter((x) => x > 0).sort((a, b) => a - b);
  if (!v.length) return [];
  const out = [];
  for (let i = 1; i < classes; i += 1) {
    const q = v[Math.min(v.length - 1, Math.floor((i * v.length) / classes))];
    if (!out.length || q > out[out.length - 1]) out.push(q);
  }
  if (!out.length || v[v.length - 1] > out[out.length - 1]) out.push(v[v.length - 1]);
  return out;
}

export const SHADES = ['#fee5d9', '#fcae91', '#fb6a4a', '#de2d26', '#a50f15'];

export function shadeFor(value, cuts) {
  if (!(value > 0) || !cuts.length) return null;
  let i = cuts.findIndex((c) => value <= c);
  if (i < 0) i = cuts.length - 1;
  return SHADES[Math.round((i * (SHADES.length - 1)) / Math.max(1, cuts.length - 1))];
}

function fold(text) {
  return String(text || '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
}

// Does a Natural Earth region feature (vendor/regions/ISO3.json) stand for this admin1
// (a GeoNames code like "09" or a name like "Aleppo")?
export function regionMatches(props, admin1, code = null) {
  if (!props) return false;
  if ((code && props.code === code) || (admin1 && props.code === admin1)) return true;
  const want = fold(admin1);
  if (!want) return false;
  const names = [props.name, ...(String(props.alt || '').split('|'))].map(fold);
  return names.some((n) => n && (n === want || n.replace(/\s*\(.*\)$/, '') === want));
}

function clusterIcon(cluster) {
  const counts = new Map();
  for (const m of cluster.getAllChildMarkers()) {
    counts.set(m.options.eventType, (counts.get(m.options.eventType) || 0) + 1);
  }
  const total = cluster.getChildCount();
  let at = 0;
  const stops = orderedTypes([...counts.keys()]).map((type) => {
    const from = (at / total) * 100;
    at += counts.get(type);
    return `${typeColor(type)} ${from.toFixed(2)}% ${((at / total) * 100).toFixed(2)}%`;
  });
  const size = Math.round(26 + Math.min(22, Math.log2(total) * 3));
  const html = `<div class="cluster-ring" style="width:${size}px;height:${size}px;background:conic-gradient(${stops.join(',')})"><span>${total}</span></div>`;
  return L.divIcon({ html, className: 'ev-cluster', iconSize: [size, size] });
}

export class MapView {
  constructor(element, { onSelect, onArea = () => {}, codesUrl = null, regionsUrl = null }) {
    this.element = element;
    this.onSelect = onSelect;
    this.onArea = onArea; // (event ids, area name) of a shaded country or region clicked
    this.codesUrl = codesUrl; // ISO numeric -> alpha-3 (world-atlas ids are numeric)
    this.regionsUrl = regionsUrl; // folder of first-level regions, one file per country
    this.areaEvents = new Map(); // events located only to a country or region
    this.fallback = new Set(); // area events drawn as dots (their area is not known)
    this.regionFiles = new Map(); // ISO3 -> promise of its regions
    this.choropleth = null; // {rows, per, measure} while the map shows totals
    this.map = null;
    this.layer = null;
    this.markers = new Map(); // event id -> marker
    this.selectedId = null;
  }

  static available() {
    return typeof window.L !== 'undefined' && typeof window.L.markerClusterGroup === 'function';
  }

  init() {
    const map = L.map(this.element, {
      center: [25, 20], zoom: 2, minZoom: 1, maxZoom: 14, worldCopyJump: true,
      zoomSnap: 0.5, preferCanvas: false,
    });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution('Borders: Natural Earth (world-atlas) · Leaflet');
    map.createPane('basemap').style.zIndex = 200;
    map.createPane('labels').style.zIndex = 450;
    map.getPane('labels').style.pointerEvents = 'none';
    map.createPane('areas').style.zIndex = 350;
    this.areaRenderer = L.svg({ pane: 'areas', padding: 0.3 });
    this.areaLayer = L.layerGroup().addTo(map);
    this.choroLayer = L.layerGroup().addTo(map);
    this.places = L.layerGroup().addTo(map);
    map.on('zoomend moveend', () => this.scheduleDeclutter());
    const zoomClass = () => {
      const z = map.getZoom();
      this.element.classList.toggle('z-world', z < 3);
      this.element.classList.toggle('z-region', z >= 3 && z < 5);
      this.element.classList.toggle('z-local', z >= 5);
    };
    map.on('zoomend', zoomClass);
    zoomClass();
    this.layer = L.markerClusterGroup({
      disableClusteringAtZoom: CLUSTER_UNTIL_ZOOM,
      maxClusterRadius: 48,
      showCoverageOnHover: false,
      spiderfyOnMaxZoom: true,
      chunkedLoading: true,
      animate: false, // no cluster split/merge animation: the view settles at once
      iconCreateFunction: clusterIcon,
    });
    map.addLayer(this.layer);
    this.addLegend(map);
    this.map = map;
    return this;
  }

  addLegend(map) {
    const legend = L.control({ position: 'bottomleft' });
    legend.onAdd = () => {
      const div = L.DomUtil.create('div', 'legend');
      div.innerHTML = TYPES.map((t) => `<span class="legend-item" data-type="${t.type}"><i style="background:${t.color}"></i>${t.type}</span>`).join('');
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    legend.addTo(map);
  }

  // Country borders from world-atlas TopoJSON files, drawn on canvas below the events:
  // the coarse file (1:110m) while zoomed out, the detailed one (1:50m, fetched the first
  // time it is needed) from FINE_FROM_ZOOM on, with country names.
  async loadBasemap(coarseUrl, fineUrl) {
    this.basemap = { coarse: null, fine: null, fineUrl, loadingFine: null };
    const coarse = await this.fetchCountries(coarseUrl);
    this.countryFeatures = coarse.features;
    this.basemap.coarse = this.countryLayer(coarse);
    this.map.on('zoomend', () => this.pickBasemap());
    this.pickBasemap();
    this.element.classList.add('basemap-ready');
    this.drawAreas();
    if (this.choropleth) this.setChoropleth(this.choropleth);
  }

  async countryCodes() {
    if (!this.codes) {
      this.codes = this.codesUrl ? fetch(this.codesUrl).then((r) => (r.ok ? r.json() : {})).catch(() => ({})) : Promise.resolve({});
    }
    return this.codes;
  }

  // The world-atlas feature of a country (ISO alpha-3), once the basemap is loaded.
  async countryFeature(iso3) {
    if (!this.countryFeatures) return null;
    const codes = await this.countryCodes();
    return this.countryFeatures.find((f) => codes[String(f.id)] === iso3) || null;
  }

  // The first-level regions of a country (fetched the first time they are needed).
  regions(iso3) {
    if (!this.regionsUrl || !/^[A-Z]{3}$/.test(iso3 || '')) return Promise.resolve([]);
    if (!this.regionFiles.has(iso3)) {
      this.regionFiles.set(iso3, fetch(`${this.regionsUrl}/${iso3}.json`)
        .then((r) => (r.ok ? r.json() : { features: [] }))
        .then((fc) => fc.features || [])
        .catch(() => []));
    }
    return this.regionFiles.get(iso3);
  }

  async regionFeature(iso3, admin1, code = null) {
    const features = await this.regions(iso3);
    return features.find((f) => regionMatches(f.properties, admin1, code)) || null;
  }

  // Events located only to a country or a first-level region: the area shaded in the colour
  // of its most frequent type (darker with more events), not a dot on a centroid. An area
  // whose outline is not known is drawn as dots after all.
  async drawAreas() {
    const gen = (this.areaGen = (this.areaGen || 0) + 1);
    const groups = new Map();
    for (const ev of this.areaEvents.values()) {
      const key = ev.feature === 'country' ? `country:${ev.country}` : `admin1:${ev.country}:${ev.admin1 || ev.place}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(ev);
    }
    const drawn = [];
    const leftover = [];
    for (const [key, evs] of groups) {
      const ev = evs[0];
      const feature = ev.feature === 'country' ? await this.countryFeature(ev.country)
        : await this.regionFeature(ev.country, ev.admin1 || ev.place);
      if (gen !== this.areaGen) return;
      if (feature) drawn.push({ key, evs, feature });
      else leftover.push(...evs);
    }
    this.areaLayer.clearLayers();
    const maxN = Math.max(1, ...drawn.map((d) => d.evs.length));
    for (const { key, evs, feature } of drawn) {
      const counts = new Map();
      for (const e of evs) counts.set(e.type, (counts.get(e.type) || 0) + 1);
      const top = orderedTypes([...counts.keys()]).sort((a, b) => counts.get(b) - counts.get(a))[0];
      const level = evs[0].feature;
      const name = level === 'country' ? (feature.properties.name || evs[0].country) : (evs[0].admin1 || evs[0].place);
      const layer = L.geoJSON(feature, {
        pane: 'areas', renderer: this.areaRenderer,
        style: {
          color: typeColor(top), weight: 1.6, dashArray: level === 'country' ? '5 4' : null,
          fillColor: typeColor(top), fillOpacity: 0.08 + 0.17 * (evs.length / maxN),
          className: `ev-area ev-area-${level}`,
        },
      });
      const list = orderedTypes([...counts.keys()]).map((t) => `${escapeHtml(t)} ${counts.get(t)}`).join(', ');
      layer.bindTooltip(`<b>${escapeHtml(name)}</b> (${level === 'country' ? 'the country' : 'the region'}, not a place in it)<br>${evs.length} event${evs.length === 1 ? '' : 's'}: ${list}`, { sticky: true });
      layer.on('click', () => this.onArea(evs.map((e) => e.id), name));
      layer.on('add', () => layer.eachLayer((l) => {
        const el = l.getElement && l.getElement();
        if (el) {
          el.setAttribute('data-area', key);
          el.setAttribute('data-n', String(evs.length));
        }
      }));
      layer.addTo(this.areaLayer);
    }
    // areas without an outline: dots, as before
    for (const id of this.fallback) {
      const m = this.markers.get(id);
      if (m) this.layer.removeLayer(m);
      this.markers.delete(id);
    }
    this.fallback = new Set(leftover.map((e) => e.id));
    this.addMarkers(leftover);
    if (this.selectedId) this.markSelected(this.selectedId);
  }

  async fetchCountries(url) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`basemap ${url}: HTTP ${response.status}`);
    const topo = await response.json();
    return fixAntimeridian(topojson.feature(topo, topo.objects.countries));
  }

  countryLayer(countries) {
    return L.geoJSON(countries, {
      pane: 'basemap',
      interactive: false,
      renderer: this.canvas || (this.canvas = L.canvas({ pane: 'basemap', padding: 0.2 })),
      style: { color: '#8d8a83', weight: 0.8, fillColor: '#f4f1ea', fillOpacity: 1 },
    });
  }

  // Show the border layer that fits the zoom; fetch the detailed one on first need.
  pickBasemap() {
    const b = this.basemap;
    const fine = this.map.getZoom() >= FINE_FROM_ZOOM;
    if (fine && !b.fine && !b.loadingFine) {
      b.loadingFine = this.fetchCountries(b.fineUrl).then((countries) => {
        b.fine = this.countryLayer(countries);
        this.addCountryLabels(countries);
        this.pickBasemap();
      }).catch((err) => { b.loadingFine = null; console.error(err); });
    }
    const show = fine && b.fine ? b.fine : b.coarse;
    for (const layer of [b.coarse, b.fine]) {
      if (!layer) continue;
      if (layer === show && !this.map.hasLayer(layer)) layer.addTo(this.map);
      if (layer !== show && this.map.hasLayer(layer)) this.map.removeLayer(layer);
    }
  }

  addCountryLabels(countries) {
    const labels = L.layerGroup();
    for (const f of countries.features) {
      const at = labelPoint(f.geometry || {});
      if (!at || !f.properties || !f.properties.name) continue;
      L.marker([at.lat, at.lon], {
        pane: 'labels', interactive: false, keyboard: false,
        icon: L.divIcon({ className: `country-label ${at.area > 60 ? 'big' : 'small'}`, html: escapeHtml(f.properties.name), iconSize: null }),
      }).addTo(labels);
    }
    labels.addTo(this.map);
    this.scheduleDeclutter();
  }

  // Tooltip of an event view (see event.js).
  eventTitle(ev) {
    const who = names(ev.actors);
    const whom = names(ev.recipients);
    const parts = [`<b>${escapeHtml(ev.type)}</b> ${escapeHtml(ev.date || '')}`];
    if (who || whom) parts.push(`${escapeHtml(who || '?')} → ${escapeHtml(whom || '—')}`);
    if (ev.place || ev.country) parts.push(escapeHtml(placeText(ev)));
    return parts.join('<br>');
  }

  // Replace (or, with append, extend) the events (views, see event.js) on the map; with
  // fit, first move the view onto them (before clustering, so it is done once).
  setEvents(events, { append = false, fit = false } = {}) {
    if (fit) this.fitTo(events.filter((ev) => ev.lat !== null && ev.lon !== null).map((ev) => [ev.lat, ev.lon]), false);
    if (!append) {
      this.layer.clearLayers();
      this.markers.clear();
      this.areaEvents.clear();
      this.fallback.clear();
    }
    const points = [];
    for (const ev of events) {
      if ((ev.feature === 'country' || ev.feature === 'admin1') && ev.country) this.areaEvents.set(ev.id, ev);
      else points.push(ev);
    }
    const added = this.addMarkers(points);
    this.drawAreas();
    return added;
  }

  addMarkers(events) {
    const spots = new Map(); // "lat,lon" -> count so far, for fanning out
    for (const m of this.markers.values()) {
      const key = m.options.spot;
      spots.set(key, (spots.get(key) || 0) + 1);
    }
    const added = [];
    for (const ev of events) {
      if (ev.lat === null || ev.lon === null) continue;
      if (this.markers.has(ev.id)) continue;
      const spot = `${Number(ev.lat).toFixed(4)},${Number(ev.lon).toFixed(4)}`;
      const k = spots.get(spot) || 0;
      spots.set(spot, k + 1);
      const [dx, dy] = fanOffset(k);
      // an event known only by its country is no point: a hollow ring on the country,
      // labelled as such (the GeoJSON export gives it no geometry)
      const country = ev.feature === 'country';
      const icon = L.divIcon({
        className: 'ev-marker',
        html: `<span class="ev-dot${country ? ' country' : ''}" data-event-id="${escapeHtml(ev.id)}" data-type="${escapeHtml(ev.type)}" style="${country ? 'border-color' : 'background'}:${typeColor(ev.type)}"></span>`,
        iconSize: [DOT, DOT],
        iconAnchor: [DOT / 2 - dx, DOT / 2 - dy],
      });
      const marker = L.marker([ev.lat, ev.lon], {
        icon, eventId: ev.id, eventType: ev.type, spot, keyboard: false,
        place: country ? `${ev.place || ev.country} (country only)` : ev.place,
      });
      marker.once('mouseover', () => { // tooltips are made on first hover, not for every dot up front
        marker.bindTooltip(this.eventTitle(ev), { direction: 'top', offset: [dx, dy - DOT / 2] }).openTooltip();
      });
      marker.on('click', () => this.onSelect(ev.id, 'map'));
      marker.on('add', () => { if (this.selectedId === ev.id) this.markSelected(ev.id); });
      this.markers.set(ev.id, marker);
      added.push(marker);
    }
    this.layer.addLayers(added);
    this.labelPlaces(spots);
    if (this.selectedId) this.markSelected(this.selectedId);
    return added.length;
  }

  // The names of the events' places, right of each spot's fan of dots, once zoomed in.
  labelPlaces(spots) {
    this.places.clearLayers();
    const named = new Map();
    for (const m of this.markers.values()) {
      if (!named.has(m.options.spot) && m.options.place) named.set(m.options.spot, m);
    }
    for (const [spot, m] of named) {
      const n = spots.get(spot) || 1;
      const r = Math.round(DOT * 0.62 * Math.sqrt(Math.max(0, n - 1)) + DOT / 2 + 3);
      L.marker(m.getLatLng(), {
        pane: 'labels', interactive: false, keyboard: false,
        icon: L.divIcon({ className: 'place-label', html: `<span data-n="${n}">${escapeHtml(m.options.place)}</span>`, iconSize: null, iconAnchor: [-r, 8] }),
      }).addTo(this.places);
    }
    this.scheduleDeclutter();
  }

  scheduleDeclutter() {
    if (this.declutterPending) return;
    this.declutterPending = true;
    window.requestAnimationFrame(() => {
      this.declutterPending = false;
      this.declutterLabels();
    });
  }

  // Place names (places with more events first) and then country names (big countries
  // first) are shown only where they overlap no name already shown.
  declutterLabels() {
    const els = [...this.element.querySelectorAll('.place-label, .country-label')];
    for (const el of els) el.classList.remove('label-hidden');
    const ranked = els.map((el, i) => {
      const isPlace = el.classList.contains('place-label');
      const n = isPlace ? Number((el.firstElementChild && el.firstElementChild.dataset.n) || 1) : 0;
      const rank = isPlace ? 1e6 + n : (el.classList.contains('big') ? 1000 : 0);
      return { el, i, rank };
    }).sort((a, b) => b.rank - a.rank || a.i - b.i);
    const boxes = ranked.map(({ el, i }) => {
      const r = el.getBoundingClientRect();
      return { key: i, left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    });
    const keep = declutter(boxes);
    ranked.forEach(({ el, i }) => {
      const r = boxes.find((b) => b.key === i);
      if (r.right > r.left && !keep.has(i)) el.classList.add('label-hidden');
    });
  }

  // Totals per country or region as a choropleth ({rows, per, measure}; null: back to the
  // events). Rows are GET /series rows (by=total).
  async setChoropleth(spec) {
    this.choropleth = spec;
    const gen = (this.choroGen = (this.choroGen || 0) + 1);
    this.choroLayer.clearLayers();
    if (this.choroLegend) {
      this.choroLegend.remove();
      this.choroLegend = null;
    }
    const onMap = (layer, show) => {
      if (show && !this.map.hasLayer(layer)) this.map.addLayer(layer);
      if (!show && this.map.hasLayer(layer)) this.map.removeLayer(layer);
    };
    this.element.classList.toggle('choropleth', Boolean(spec));
    onMap(this.layer, !spec);
    onMap(this.areaLayer, !spec);
    onMap(this.places, !spec);
    if (!spec) return;
    const { rows, per, measure } = spec;
    const value = (r) => Number(r[measure] || 0);
    const cuts = breaks(rows.map(value));
    const shapes = [];
    if (per === 'country') {
      for (const r of rows) {
        if (!r.country || !(value(r) > 0)) continue;
        const f = await this.countryFeature(r.country);
        if (gen !== this.choroGen) return;
        if (f) shapes.push({ f, r, name: f.properties.name || r.country, key: r.country });
      }
    } else {
      for (const r of rows) {
        if (!r.country || !(value(r) > 0)) continue;
        const f = await this.regionFeature(r.country, r.admin1, r.admin1_code);
        if (gen !== this.choroGen) return;
        if (f) shapes.push({ f, r, name: `${r.admin1 || f.properties.name}, ${r.country}`, key: `${r.country}:${r.admin1_code || r.admin1}` });
      }
    }
    for (const { f, r, name, key } of shapes) {
      const layer = L.geoJSON(f, {
        pane: 'areas', renderer: this.areaRenderer,
        style: { color: '#7a1f1f', weight: 0.8, fillColor: shadeFor(value(r), cuts), fillOpacity: 0.85, className: 'choro-area' },
      });
      layer.bindTooltip(`<b>${escapeHtml(name)}</b><br>${Number(r.events)} events · ${Number(r.dead)} dead · ${Number(r.injured)} injured · ${Number(r.arrested)} arrested`, { sticky: true });
      layer.on('add', () => layer.eachLayer((l) => {
        const el = l.getElement && l.getElement();
        if (el) {
          el.setAttribute('data-key', key);
          el.setAttribute('data-value', String(value(r)));
        }
      }));
      layer.addTo(this.choroLayer);
    }
    const legend = L.control({ position: 'bottomright' });
    legend.onAdd = () => {
      const div = L.DomUtil.create('div', 'legend choro-legend');
      let lo = 1;
      const items = cuts.map((c) => {
        const label = lo === c ? `${c}` : `${lo}–${c}`;
        lo = c + 1;
        return `<span class="legend-item"><i style="background:${shadeFor(c, cuts)};border-radius:2px"></i>${label}</span>`;
      });
      div.innerHTML = `<strong>${escapeHtml(measure)} per ${per === 'country' ? 'country' : 'region'}</strong>${items.join('') || '<span class="muted">none</span>'}`;
      return div;
    };
    legend.addTo(this.map);
    this.choroLegend = legend;
    this.element.dataset.choropleth = `${per}:${measure}:${shapes.length}`;
  }

  markSelected(id) {
    const old = this.element.querySelectorAll('.ev-dot.selected');
    old.forEach((el) => el.classList.remove('selected'));
    this.selectedId = id;
    const marker = this.markers.get(id);
    const el = marker && marker.getElement && marker.getElement();
    if (el) el.querySelector('.ev-dot')?.classList.add('selected');
  }

  // Select an event; with reveal, bring its dot into view (unclustering as needed).
  select(id, { reveal = false } = {}) {
    const marker = this.markers.get(id);
    if (!marker) {
      this.markSelected(null);
      return false;
    }
    this.selectedId = id;
    if (reveal) {
      const at = marker.getLatLng();
      if (this.map.getZoom() < CLUSTER_UNTIL_ZOOM) {
        this.map.setView(at, CLUSTER_UNTIL_ZOOM);
      } else if (!this.map.getBounds().pad(-0.1).contains(at)) {
        this.map.panTo(at);
      }
      this.map.once('moveend', () => this.markSelected(this.selectedId));
    }
    this.markSelected(id);
    return true;
  }

  fitTo(points, animate) {
    if (!points.length) return;
    this.map.fitBounds(L.latLngBounds(points).pad(0.15), { maxZoom: 7, animate });
  }

  fitToEvents() {
    this.fitTo([...this.markers.values()].map((m) => m.getLatLng()), true);
  }

  // The current view as the API's `near=lat,lon,km` (a circle around the view).
  viewAsNear() {
    const c = this.map.getCenter().wrap();
    const b = this.map.getBounds();
    const km = Math.min(20000, Math.max(1, this.map.getCenter().distanceTo(b.getNorthEast()) / 1000));
    const lat = Math.max(-90, Math.min(90, c.lat));
    return `${lat.toFixed(4)},${c.lng.toFixed(4)},${Math.round(km)}`;
  }

  resize() {
    if (this.map) this.map.invalidateSize();
  }
}
