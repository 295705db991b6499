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
  constructor(element, { onSelect }) {
    this.element = element;
    this.onSelect = onSelect;
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
    this.places = L.layerGroup().addTo(map);
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
    this.basemap.coarse = this.countryLayer(await this.fetchCountries(coarseUrl));
    this.map.on('zoomend', () => this.pickBasemap());
    this.pickBasemap();
    this.element.classList.add('basemap-ready');
  }

  async fetchCountries(url) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`basemap ${url}: HTTP ${response.status}`);
    const topo = await response.json();
    return topojson.feature(topo, topo.objects.countries);
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
    }
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
        icon: L.divIcon({ className: 'place-label', html: escapeHtml(m.options.place), iconSize: null, iconAnchor: [-r, 8] }),
      }).addTo(this.places);
    }
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
