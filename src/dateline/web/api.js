// The page's only door to data: the HTTP API of the same origin. Filters are passed through
// as query parameters; the page holds no query logic of its own.

// Filter names the API understands, in the order they appear in URLs.
export const FILTER_KEYS = [
  'type', 'mode', 'actor', 'recipient', 'country', 'place', 'near', 'since', 'until',
  'min_sources', 'negated', 'modality', 'q',
];

export class ApiError extends Error {
  constructor(status, message, parameter = null) {
    super(message);
    this.status = status;
    this.parameter = parameter;
  }
}

// URLSearchParams of the non-empty filters (lists joined by commas), minus `omit`.
export function filterParams(filters, omit = []) {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    if (omit.includes(key)) continue;
    let value = filters[key];
    if (Array.isArray(value)) value = value.join(',');
    if (value === undefined || value === null || String(value).trim() === '') continue;
    params.set(key, String(value).trim());
  }
  return params;
}

function describe(body, status) {
  if (body && typeof body === 'object') {
    const detail = body.detail ?? body.error ?? body.message;
    if (typeof detail === 'string') return detail;
    if (Array.isArray(detail)) {
      return detail.map((d) => `${(d.loc || []).slice(1).join('.')}: ${d.msg}`).join('; ');
    }
  }
  return `HTTP ${status}`;
}

export class Api {
  // base: URL prefix of the API ('' = same folder as the page); headers: e.g. an API key.
  constructor(base = '', headers = {}) {
    this.base = base;
    this.headers = { Accept: 'application/json', ...headers };
    this.pageCap = null; // the server's largest page, once known
  }

  async get(path, params) {
    const query = params && params.toString() ? `?${params}` : '';
    const response = await fetch(`${this.base}${path}${query}`, { headers: this.headers });
    let body = null;
    try {
      body = await response.json();
    } catch (err) {
      if (response.ok) throw new ApiError(response.status, `bad JSON from ${path}`);
    }
    if (!response.ok) {
      const parameter = body && typeof body === 'object' ? body.parameter || null : null;
      throw new ApiError(response.status, `${path}: ${describe(body, response.status)}`, parameter);
    }
    return body;
  }

  // The largest page the server allows, as its OpenAPI document states it.
  async maxPageSize() {
    const doc = await this.get('openapi.json');
    const op = ((doc.paths || {})['/events'] || {}).get || {};
    const limit = (op.parameters || []).find((p) => p.name === 'limit');
    const max = limit && limit.schema ? Number(limit.schema.maximum) : NaN;
    if (!Number.isInteger(max) || max < 1) throw new ApiError(0, 'no page size limit in /openapi.json');
    return max;
  }

  // One page of events: {items, next_cursor}. A server configured for smaller pages
  // refuses the limit; then the page size it allows is used from then on.
  async events(filters, { limit = 1000, cursor = null, sort = null, omit = [] } = {}) {
    const params = filterParams(filters, omit);
    params.set('limit', String(Math.min(limit, this.pageCap || limit)));
    if (cursor) params.set('cursor', cursor);
    if (sort) params.set('sort', sort);
    try {
      return await this.get('events', params);
    } catch (err) {
      if (!(err instanceof ApiError) || err.parameter !== 'limit' || this.pageCap) throw err;
      this.pageCap = await this.maxPageSize();
      params.set('limit', String(Math.min(limit, this.pageCap)));
      return this.get('events', params);
    }
  }

  // One event with its mentions, each with its article.
  event(id) {
    return this.get(`events/${encodeURIComponent(id)}`);
  }

  // Who holds the areas of a place, day by day (docs/control.md).
  control(place, on = null) {
    const params = new URLSearchParams();
    if (place) params.set('place', place);
    if (on) params.set('on', on);
    return this.get('control', params);
  }

  // Counts per bucket stacked by type (see normaliseTimeline).
  async timeline(filters, interval, omit = []) {
    const params = filterParams(filters, omit);
    params.set('interval', interval);
    return normaliseTimeline(await this.get('timeline', params), interval);
  }
}

Object.assign(Api.prototype, {
  // Totals per place: GET /series (by: day|week|month|year|total; per: country|admin1|place|none).
  series(filters, by = 'total', per = 'country') {
    const params = filterParams(filters);
    params.set('by', by);
    params.set('per', per);
    return this.get('series', params);
  },

  // Names for an actor box: the store's and the dictionaries' (GET /actors?q=).
  actors(prefix, limit = 10) {
    const params = new URLSearchParams({ q: prefix, limit: String(limit) });
    return this.get('actors', params);
  },

  // An actor's page (GET /actors/{name}); the filters minus actor and recipient.
  actor(name, filters, interval = 'month') {
    const params = filterParams(filters, ['actor', 'recipient']);
    params.set('interval', interval);
    return this.get(`actors/${encodeURIComponent(name)}`, params);
  },

  // Top actor -> recipient pairs of one quad class (GET /dyads).
  dyads(filters, { quad = null, top = 40, level = 'code' } = {}) {
    const params = filterParams(filters);
    if (quad) params.set('quad', String(quad));
    params.set('top', String(top));
    params.set('level', level);
    return this.get('dyads', params);
  },
});

// The download link of the events matching the filters (GET /export, streamed).
export function exportUrl(filters, format, base = '') {
  const params = filterParams(filters);
  params.set('format', format);
  return `${base}export?${params}`;
}

// The timeline as {interval, buckets: [{start, end, counts: {TYPE: n}}]}, buckets in order.
export function normaliseTimeline(body, interval) {
  const buckets = (body.buckets || [])
    .map((b) => ({ start: String(b.start).slice(0, 10), end: b.end ? String(b.end).slice(0, 10) : null, counts: b.counts || {} }))
    .sort((a, b) => a.start.localeCompare(b.start));
  return { interval: body.interval || interval, buckets };
}
