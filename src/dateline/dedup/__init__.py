"""Dedup: many reports of one real-world event become one event (see docs/dedup.md).

- ``update_events(store, article_ids=None)``: assign mentions to events in the store,
  incrementally (the result equals a batch run over everything), ids stable.
- ``event_with_mentions(store, event_id)``: one event and its mentions.
- ``cluster_records(records, rules)``: the pure in-memory clustering both use, over
  compact ``Records`` (numpy columns); ``Encoder`` builds them from mentions.
"""

from dateline.dedup.bcubed import BCubed, b_cubed
from dateline.dedup.cluster import Clustering, adopt_article_dates, cluster_records, find_edges
from dateline.dedup.events import build_event, event_from_dict, event_id_for, noisy_or
from dateline.dedup.records import Encoder, Records
from dateline.dedup.rules import DedupRules
from dateline.dedup.update import (
    DedupSummary, event_with_mentions, finish_pending, pending_articles, update_events,
)

__all__ = [
    "BCubed", "Clustering", "DedupRules", "DedupSummary", "Encoder", "Records",
    "adopt_article_dates", "b_cubed", "build_event", "cluster_records", "event_from_dict",
    "event_id_for", "event_with_mentions", "find_edges", "finish_pending", "noisy_or",
    "pending_articles", "update_events",
]
