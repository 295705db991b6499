// Who with whom: the actor -> recipient pairs of the current filter (GET /dyads, once per
// quad class) as a network. Nodes are actor codes sized by their events; edges are drawn in
// the colour of the quad class they belong to (green verbal cooperation, blue material
// cooperation, orange verbal conflict, red material conflict), as thick as their count.
// Laid out by a small deterministic force simulation; drawn in SVG.

export const QUAD_COLORS = { 1: '#1b7837', 2: '#2166ac', 3: '#e08214', 4: '#b2182b' };

function escapeText(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  }[c]));
}

// Nodes and edges from dyads per quad class: {quad: [{actor, recipient, count}]}.
export function buildGraph(byQuad) {
  const nodes = new Map();
  const edges = [];
  for (const [quad, items] of Object.entries(byQuad)) {
    for (const d of items || []) {
      if (!d.actor || !d.recipient || d.actor === d.recipient) continue;
      for (const id of [d.actor, d.recipient]) {
        if (!nodes.has(id)) nodes.set(id, { id, events: 0, asActor: 0, asRecipient: 0 });
      }
      nodes.get(d.actor).events += d.count;
      nodes.get(d.actor).asActor += d.count;
      nodes.get(d.recipient).events += d.count;
      nodes.get(d.recipient).asRecipient += d.count;
      edges.push({ source: d.actor, target: d.recipient, quad: Number(quad), count: d.count });
    }
  }
  return { nodes: [...nodes.values()].sort((a, b) => b.events - a.events || a.id.localeCompare(b.id)), edges };
}

// Positions {id: [x, y]} inside width x height: nodes start on a circle (largest first) and
// repel each other while edges pull their ends together; the same input gives the same
// picture.
export function layout(graph, width, height, iterations = 250) {
  const n = graph.nodes.length;
  const pos = new Map();
  const cx = width / 2;
  const cy = height / 2;
  const r0 = Math.min(width, height) * 0.38;
  graph.nodes.forEach((node, i) => {
    const a = (2 * Math.PI * i) / Math.max(1, n);
    pos.set(node.id, [cx + r0 * Math.cos(a), cy + r0 * Math.sin(a)]);
  });
  if (n < 2) return Object.fromEntries([...pos].map(([k, v]) => [k, [cx, cy]]));
  const k = Math.sqrt((width * height) / n) * 0.7;
  // one pull per linked pair (several quads or directions between two actors pull once),
  // stronger for pairs with more events but never more than twice
  const maxCount = Math.max(1, ...graph.edges.map((e) => e.count));
  const pairs = new Map();
  for (const e of graph.edges) {
    const key = [e.source, e.target].sort().join('\u0000');
    pairs.set(key, (pairs.get(key) || 0) + e.count);
  }
  for (const [key, c] of pairs) pairs.set(key, 0.5 + Math.min(1.5, c / maxCount));
  let temp = Math.min(width, height) / 8;
  const ids = graph.nodes.map((x) => x.id);
  for (let it = 0; it < iterations; it += 1) {
    const disp = new Map(ids.map((id) => [id, [0, 0]]));
    for (let i = 0; i < n; i += 1) {
      for (let j = i + 1; j < n; j += 1) {
        const a = pos.get(ids[i]);
        const b = pos.get(ids[j]);
        let dx = a[0] - b[0];
        let dy = a[1] - b[1];
        const d = Math.max(0.01, Math.hypot(dx, dy));
        const f = (k * k) / d;
        dx /= d; dy /= d;
        disp.get(ids[i])[0] += dx * f; disp.get(ids[i])[1] += dy * f;
        disp.get(ids[j])[0] -= dx * f; disp.get(ids[j])[1] -= dy * f;
      }
    }
    for (const [key, weight] of pairs) {
      const [src, dst] = key.split('\u0000');
      const a = pos.get(src);
      const b = pos.get(dst);
      let dx = a[0] - b[0];
      let dy = a[1] - b[1];
      const d = Math.max(0.01, Math.hypot(dx, dy));
      const f = (d - k * 1.1) * 0.03 * weight; // a spring of rest length ~k
      dx /= d; dy /= d;
      disp.get(src)[0] -= dx * f; disp.get(src)[1] -= dy * f;
      disp.get(dst)[0] += dx * f; disp.get(dst)[1] += dy * f;
    }
    for (const id of ids) {
      const p = pos.get(id);
      const dx = disp.get(id)[0] + (cx - p[0]) * 2; // a pull to the middle
      const dy = disp.get(id)[1] + (cy - p[1]) * 2;
      const d = Math.max(0.01, Math.hypot(dx, dy));
      p[0] += (dx / d) * Math.min(d, temp);
      p[1] += (dy / d) * Math.min(d, temp);
      p[0] = Math.max(30, Math.min(width - 30, p[0]));
      p[1] = Math.max(20, Math.min(height - 20, p[1]));
    }
    temp *= 0.97;
  }
  return Object.fromEntries(pos);
}

export class NetworkView {
  constructor(panel, { onActor, onClose }) {
    this.panel = panel;
    this.onActor = onActor;
    this.onClose = onClose;
    panel.addEventListener('click', (e) => {
      if (e.target.closest('[data-action="close"]')) this.onClose();
      const node = e.target.closest('[data-actor]');
      if (node) this.onActor(node.getAttribute('data-actor'));
    });
  }

  loading() {
    this.panel.hidden = false;
    this.panel.innerHTML = '<div class="prov-head"><h2>Who with whom</h2><button type="button" class="close" data-action="close" aria-label="Close">×</button></div><p class="muted">Loading…</p>';
  }

  show(byQuad) {
    const graph = buildGraph(byQuad);
    this.graph = graph;
    const width = Math.max(300, this.panel.clientWidth - 44);
    const height = Math.max(320, Math.min(620, this.panel.clientHeight - 110));
    const at = layout(graph, width, height);
    const maxEvents = Math.max(1, ...graph.nodes.map((x) => x.events));
    const maxCount = Math.max(1, ...graph.edges.map((e) => e.count));
    const radius = (v) => 5 + 16 * Math.sqrt(v / maxEvents);
    const parts = [`<svg class="network-svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Network of actors">`];
    parts.push('<defs>');
    for (const [q, c] of Object.entries(QUAD_COLORS)) {
      parts.push(`<marker id="arrow-${q}" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${c}"></path></marker>`);
    }
    parts.push('</defs><g class="net-edges">');
    const offsets = new Map(); // parallel edges of several quads between one pair bend apart
    for (const e of graph.edges) {
      const [x1, y1] = at[e.source];
      const [x2, y2] = at[e.target];
      const key = [e.source, e.target].sort().join('|');
      const k = offsets.get(key) || 0;
      offsets.set(key, k + 1);
      const mx = (x1 + x2) / 2;
      const my = (y1 + y2) / 2;
      const dx = x2 - x1;
      const dy = y2 - y1;
      const len = Math.max(1, Math.hypot(dx, dy));
      const bend = 14 + 12 * k;
      const qx = mx - (dy / len) * bend;
      const qy = my + (dx / len) * bend;
      const r = radius(graph.nodes.find((x) => x.id === e.target).events);
      const ex = x2 - (dx / len) * (r + 2);
      const ey = y2 - (dy / len) * (r + 2);
      const w = (1 + 5 * (e.count / maxCount)).toFixed(1);
      parts.push(`<path class="net-edge" d="M${x1.toFixed(1)},${y1.toFixed(1)} Q${qx.toFixed(1)},${qy.toFixed(1)} ${ex.toFixed(1)},${ey.toFixed(1)}" stroke="${QUAD_COLORS[e.quad] || '#777'}" stroke-width="${w}" marker-end="url(#arrow-${e.quad})" data-quad="${e.quad}" data-source="${escapeText(e.source)}" data-target="${escapeText(e.target)}"><title>${escapeText(e.source)} → ${escapeText(e.target)}: ${e.count} (quad ${e.quad})</title></path>`);
    }
    parts.push('</g><g class="net-nodes">');
    for (const node of graph.nodes) {
      const [x, y] = at[node.id];
      const r = radius(node.events);
      parts.push(`<g class="net-node" data-actor="${escapeText(node.id)}" data-events="${node.events}" transform="translate(${x.toFixed(1)},${y.toFixed(1)})"><circle r="${r.toFixed(1)}"></circle><text y="${(r + 11).toFixed(1)}" text-anchor="middle">${escapeText(node.id)}</text><title>${escapeText(node.id)}: ${node.asActor} as actor, ${node.asRecipient} as recipient</title></g>`);
    }
    parts.push('</g></svg>');
    const legend = Object.entries(QUAD_COLORS).map(([q, c]) => `<span class="legend-item"><i style="background:${c}"></i>${['', 'verbal cooperation', 'material cooperation', 'verbal conflict', 'material conflict'][q]}</span>`).join('');
    const head = `<div class="prov-head"><h2>Who with whom</h2><button type="button" class="close" data-action="close" aria-label="Close">×</button></div>`;
    const note = graph.nodes.length
      ? `<p class="muted">${graph.nodes.length} actors, ${graph.edges.length} links (the top pairs of each quad class for the current filters). Circles: events; arrows: actor → recipient. Click an actor for its page.</p>`
      : '<p class="muted">No actor → recipient pairs match the filters.</p>';
    this.panel.innerHTML = head + note + `<div class="net-legend">${legend}</div>` + parts.join('');
    this.panel.hidden = false;
  }

  close() {
    this.panel.hidden = true;
    this.panel.replaceChildren();
  }
}
