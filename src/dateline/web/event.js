// One flat view of an event for display, whichever of the API's two event shapes it comes
// in: the stored Event record (location {...}, actors [...], size {...}) or the flat
// events-table row (lat, lon, place, actor_names ...). Presentation only.

function list(value) {
  return Array.isArray(value) ? value : [];
}

function refs(people, codes, names) {
  const out = [];
  const p = list(people);
  if (p.length) {
    for (const a of p) out.push({ name: a.name || a.text || a.code || '', code: a.code || null, text: a.text || null });
    return out;
  }
  const c = list(codes);
  const n = list(names);
  for (let i = 0; i < Math.max(c.length, n.length); i += 1) {
    out.push({ name: n[i] || c[i] || '', code: c[i] || null, text: null });
  }
  return out;
}

function num(value) {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

export function eventView(ev) {
  const loc = ev.location || {};
  const size = ev.size || {};
  const actors = refs(ev.actors, ev.actor_codes, ev.actor_names);
  const recipients = refs(ev.recipients, ev.recipient_codes, ev.recipient_names);
  return {
    id: ev.id,
    type: ev.event_type,
    quad: ev.quad_class,
    cameo: ev.cameo || null,
    mode: ev.mode || null,
    date: ev.date || null,
    dateStart: ev.date_start || null,
    dateEnd: ev.date_end || null,
    lat: num(ev.lat ?? loc.lat),
    lon: num(ev.lon ?? loc.lon),
    place: ev.place ?? loc.name ?? loc.text ?? null,
    admin1: ev.admin1 ?? loc.admin1 ?? null,
    country: ev.country ?? loc.country ?? null,
    // city, admin1 or "country": known only by its country -- no place to put a dot on
    feature: ev.feature ?? loc.feature ?? null,
    actors,
    recipients,
    dead: num(ev.dead ?? size.dead),
    injured: num(ev.injured ?? size.injured),
    arrested: num(ev.arrested ?? size.arrested),
    sizeDisputed: Boolean(ev.size_disputed),
    negated: Boolean(ev.negated),
    modality: ev.modality || 'asserted',
    numMentions: num(ev.num_mentions),
    numArticles: num(ev.num_articles),
    numSources: num(ev.num_sources),
    confidence: num(ev.confidence),
    sentence: ev.sentence || '',
  };
}

// "Syrian army, Russia" — names of a list of refs.
export function names(refs) {
  return refs.map((r) => r.name).filter(Boolean).join(', ');
}

// "Syrian army (SYRMIL), Russia (RUS)" — names with their codes.
export function namesWithCodes(refs) {
  return refs.map((r) => (r.code && r.code !== r.name ? `${r.name} (${r.code})` : r.name))
    .filter(Boolean).join(', ');
}

// "Homs, SYR" — or "SYR (country only)" for an event known only by its country.
export function placeText(ev) {
  if (ev.feature === 'country') return `${ev.place || ev.country || ''} (country only)`;
  return [ev.place, ev.country].filter(Boolean).join(', ');
}
