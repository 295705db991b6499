-- Query helpers (owned by dateline.query, see query/search.py).
-- events.search_text: the event's sentence and the sentences of all its mentions, lower case
-- without accents, joined by " | ": the full-text filter (q) scans this one column instead of
-- joining the mentions. NULL means "not computed yet" (dedup rewrites event rows without
-- it); queries fall back to reading the sentences themselves for such rows, and
-- dateline.query.refresh_search(store) fills it in.
ALTER TABLE events ADD COLUMN search_text VARCHAR;
