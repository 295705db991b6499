-- Query helpers (owned by dateline.query, see query/search.py), filled together with
-- search_text by dateline.query.refresh_search and NULL until then (queries then read the
-- list columns themselves):
--   actor_keys / recipient_keys    "|" + the side's codes, countries and sectors + "|"
--                                  ("|RUSGOV|RUS|GOV|"): actor filters are one contains()
--   actor_names_text / recipient_names_text   "\x1f" + the side's names + "\x1f"
ALTER TABLE events ADD COLUMN actor_keys VARCHAR;
ALTER TABLE events ADD COLUMN actor_names_text VARCHAR;
ALTER TABLE events ADD COLUMN recipient_keys VARCHAR;
ALTER TABLE events ADD COLUMN recipient_names_text VARCHAR;
