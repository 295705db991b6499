// The page's first requests, started as soon as the page begins to load (this module is
// an async script in <head>), so the server answers while the map library is still
// loading; app.js takes them over. Also reads the page state from the URL fragment.
// For the default view (no filters in the fragment) a small inline script in index.html has
// already asked for the same two URLs (<link rel=preload>), so these fetches are answered
// by those responses: keep the URLs of both in step.

import { Api, FILTER_KEYS } from './api.js';

export const MARKER_PAGE = 1000; // events fetched per page for the map and table
export const TIMELINE_OMIT = []; // the timeline's axis follows the filters, dates included

// Filters, open event and timeline interval from the URL fragment.
export function readHash(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const filters = {};
  for (const key of FILTER_KEYS) {
    const v = params.get(key);
    if (v) filters[key] = key === 'type' ? v.split(',').filter(Boolean) : v;
  }
  return { filters, event: params.get('event'), interval: params.get('interval') || 'auto' };
}

// Settled promises (never rejected: an error is handed over as {error}).
function settle(promise) {
  return promise.then((value) => ({ value }), (error) => ({ error }));
}

export function startRequests(api, state) {
  const interval = state.interval === 'auto' ? 'month' : state.interval;
  return {
    filters: JSON.stringify(state.filters),
    events: settle(api.events(state.filters, { limit: MARKER_PAGE })),
    interval,
    timeline: settle(api.timeline(state.filters, interval, TIMELINE_OMIT)),
  };
}

export const api = new Api('');
export const initial = readHash(window.location.hash);
export const early = startRequests(api, initial);
