// The event table: the events the map shows, as rows (rendered in slices so thousands of
// events stay cheap). A click on a row asks the page to open that event's provenance.

import { typeColor } from './types.js';
import { names, placeText } from './event.js';

const SLICE = 200;

function cell(row, text, className) {
  const td = document.createElement('td');
  if (className) td.className = className;
  td.textContent = text ?? '';
  row.appendChild(td);
  return td;
}

export class EventTable {
  constructor(table, moreButton, { onSelect }) {
    this.table = table;
    this.body = table.tBodies[0] || table.appendChild(document.createElement('tbody'));
    this.moreButton = moreButton;
    this.onSelect = onSelect;
    this.events = [];
    this.shown = 0;
    this.selectedId = null;
    this.body.addEventListener('click', (e) => {
      const tr = e.target.closest('tr[data-event-id]');
      if (tr) this.onSelect(tr.dataset.eventId, 'table');
    });
    this.body.addEventListener('keydown', (e) => {
      const tr = e.target.closest('tr[data-event-id]');
      if (tr && (e.key === 'Enter' || e.key === ' ')) {
        e.preventDefault();
        this.onSelect(tr.dataset.eventId, 'table');
      }
    });
    moreButton.addEventListener('click', () => this.showMore());
  }

  // Events as views (see event.js).
  setEvents(events, { append = false } = {}) {
    if (!append) {
      this.events = [];
      this.shown = 0;
      this.body.replaceChildren();
    }
    const allShown = this.shown >= this.events.length;
    this.events.push(...events);
    this.showMore(allShown ? SLICE : 0); // appended rows show when the table was complete
  }

  showMore(count = SLICE) {
    const end = Math.min(this.events.length, Math.max(this.shown + count, this.shown));
    const frag = document.createDocumentFragment();
    for (const ev of this.events.slice(this.shown, end)) frag.appendChild(this.row(ev));
    this.body.appendChild(frag);
    this.shown = end;
    const left = this.events.length - this.shown;
    this.moreButton.hidden = left <= 0;
    this.moreButton.textContent = `Show ${Math.min(SLICE, left)} more rows (${left} not shown)`;
    if (this.selectedId) this.markSelected(this.selectedId);
  }

  row(ev) {
    const tr = document.createElement('tr');
    tr.dataset.eventId = ev.id;
    tr.tabIndex = 0;
    cell(tr, ev.date || '', 'c-date');
    const type = cell(tr, '', 'c-type');
    const swatch = document.createElement('i');
    swatch.className = 'swatch';
    swatch.style.background = typeColor(ev.type);
    type.append(swatch, document.createTextNode(ev.type + (ev.negated ? ' (not)' : '')));
    if (ev.mode) type.title = ev.mode;
    const who = cell(tr, '', 'c-who');
    const pair = document.createElement('div');
    pair.className = 'who';
    pair.textContent = `${names(ev.actors) || '?'} → ${names(ev.recipients) || '—'}`;
    const sentence = document.createElement('div');
    sentence.className = 'c-sentence';
    sentence.textContent = ev.sentence;
    sentence.title = ev.sentence;
    who.append(pair, sentence);
    cell(tr, placeText(ev), 'c-place');
    cell(tr, ev.numSources ?? '', 'c-num');
    return tr;
  }

  // Highlight the row of an event; with reveal, render up to it and scroll it into view.
  select(id, { reveal = false } = {}) {
    this.selectedId = id;
    if (reveal && id) {
      const at = this.events.findIndex((ev) => ev.id === id);
      if (at >= this.shown) this.showMore(at - this.shown + 1);
    }
    const tr = this.markSelected(id);
    if (tr && reveal) tr.scrollIntoView({ block: 'nearest' });
  }

  markSelected(id) {
    this.body.querySelectorAll('tr.selected').forEach((tr) => tr.classList.remove('selected'));
    if (!id) return null;
    const tr = this.body.querySelector(`tr[data-event-id="${CSS.escape(id)}"]`);
    if (tr) tr.classList.add('selected');
    return tr;
  }
}
