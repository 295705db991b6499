-- Bookkeeping of dedup (mentions -> events), so that new articles only re-examine what
-- they touch. One row per mention assigned to an event:
--   component  the connected component of the candidate graph it belongs to (named by its
--              earliest mention); a re-clustering always takes whole components
--   event_id   the event it was assigned to (a mismatch with mentions.event_id means the
--              mention was re-coded since)
--   published, sentence_index, char_start: its place in the canonical (earliest first) order
--   the rest:  its compact record (dateline.dedup.records.Compact): type and family,
--              negation, modality, the days it may be about (lo..hi, day ordinals, after
--              within-article date adoption), mode, dead, place keys, actor keys, and the
--              countries it is blocked under (keys)
CREATE TABLE dedup_mentions (
    mention_id VARCHAR PRIMARY KEY,
    article_id VARCHAR NOT NULL,
    component VARCHAR NOT NULL,
    event_id VARCHAR NOT NULL,
    published TIMESTAMPTZ,
    sentence_index INTEGER,
    char_start INTEGER,
    etype VARCHAR NOT NULL,
    family VARCHAR NOT NULL,
    negated BOOLEAN NOT NULL,
    modality VARCHAR,
    precision TINYINT NOT NULL,
    lo INTEGER NOT NULL,
    hi INTEGER NOT NULL,
    mode VARCHAR,
    dead INTEGER,
    place_level TINYINT NOT NULL,
    place_country VARCHAR,
    place_admin1 VARCHAR,
    place_loc VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    actors VARCHAR NOT NULL,
    recipients VARCHAR NOT NULL,
    keys VARCHAR[] NOT NULL
);
CREATE INDEX dedup_mentions_component ON dedup_mentions(component);
CREATE INDEX dedup_mentions_block ON dedup_mentions(family, lo);
