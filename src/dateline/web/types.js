// PLOVER event types, their quad class and the colour each is drawn in. Presentation only:
// hues group the four quad classes (greens: verbal cooperation, blues: material
// cooperation, oranges: verbal conflict, reds and purples: material conflict).

export const QUADS = {
  1: 'Verbal cooperation',
  2: 'Material cooperation',
  3: 'Verbal conflict',
  4: 'Material conflict',
};

export const TYPES = [
  { type: 'AGREE', quad: 1, color: '#1b7837' },
  { type: 'CONSULT', quad: 1, color: '#5aae61' },
  { type: 'SUPPORT', quad: 1, color: '#8fce7b' },
  { type: 'CONCEDE', quad: 1, color: '#00a087' },
  { type: 'COOPERATE', quad: 2, color: '#2166ac' },
  { type: 'AID', quad: 2, color: '#4393c3' },
  { type: 'RETREAT', quad: 2, color: '#7fb6dc' },
  { type: 'REQUEST', quad: 3, color: '#f6b44a' },
  { type: 'ACCUSE', quad: 3, color: '#e08214' },
  { type: 'REJECT', quad: 3, color: '#b35806' },
  { type: 'THREATEN', quad: 3, color: '#8c510a' },
  { type: 'PROTEST', quad: 4, color: '#de77ae' },
  { type: 'SANCTION', quad: 4, color: '#8e0152' },
  { type: 'MOBILIZE', quad: 4, color: '#762a83' },
  { type: 'COERCE', quad: 4, color: '#f46d43' },
  { type: 'ASSAULT', quad: 4, color: '#b2182b' },
];

const BY_TYPE = new Map(TYPES.map((t) => [t.type, t]));
const UNKNOWN = '#777777';

export function typeColor(type) {
  const t = BY_TYPE.get(type);
  return t ? t.color : UNKNOWN;
}

export function typeOrder(type) {
  const i = TYPES.findIndex((t) => t.type === type);
  return i < 0 ? TYPES.length : i;
}

// The known types first in their fixed order, then any others the data holds.
export function orderedTypes(types) {
  return [...new Set(types)].sort((a, b) => typeOrder(a) - typeOrder(b) || a.localeCompare(b));
}
