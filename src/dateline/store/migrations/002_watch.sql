-- State of `dateline watch`: the feeds and pages it polls, and every article URL it has met,
-- so a restarted watcher neither refetches nor stores an article twice.
CREATE TABLE feeds (
    url VARCHAR PRIMARY KEY,
    kind VARCHAR,                 -- 'feed' (RSS/Atom) or 'page' (an article URL), as last seen
    title VARCHAR,
    etag VARCHAR,                 -- validators of the last 200 answer, sent back as
    last_modified VARCHAR,        --   If-None-Match / If-Modified-Since
    added_at TIMESTAMPTZ DEFAULT current_timestamp,
    last_checked TIMESTAMPTZ,
    last_success TIMESTAMPTZ,
    last_status INTEGER,          -- HTTP status of the last answer (NULL: no answer)
    failures INTEGER DEFAULT 0,   -- consecutive failed polls; drives the backoff
    next_attempt TIMESTAMPTZ,     -- not polled before this time (backoff after failures)
    last_error VARCHAR,
    entries_seen INTEGER DEFAULT 0,
    articles_stored INTEGER DEFAULT 0
);

CREATE TABLE seen_urls (
    url VARCHAR PRIMARY KEY,
    feed_url VARCHAR,             -- the feed that listed it (the URL itself for pages)
    article_id VARCHAR,           -- the stored article it gave, if any
    status VARCHAR NOT NULL,      -- stored | duplicate | empty | gone | failed | retry
    attempts INTEGER DEFAULT 0,
    first_seen TIMESTAMPTZ DEFAULT current_timestamp,
    last_attempt TIMESTAMPTZ,
    next_attempt TIMESTAMPTZ,     -- for status 'retry': not fetched again before this time
    last_error VARCHAR
);
CREATE INDEX seen_urls_feed ON seen_urls(feed_url);
