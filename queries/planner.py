"""Keep the query planner's statistics current, so that index-backed queries are planned as index seeks.

Neo4j samples each index in the background. Right after a bulk load the samples still describe the old data; with
an index believed empty every plan looks free, and the planner may read a whole index (NodeIndexScan) where one
seek would do (measured on Neo4j 5.26: the coauthor and recommendation queries did so after a fresh load). Calling
:func:`refresh_statistics` after loading resamples every range index and waits until the samples are current.
"""

from __future__ import annotations

import time

from graph.connection import Graph

__all__ = ["refresh_statistics"]

RANGE_INDEXES = "SHOW INDEXES YIELD name, type WHERE type = 'RANGE' RETURN name"
RESAMPLE = "CALL db.resampleIndex($name)"
PENDING = """
CALL db.stats.retrieve('GRAPH COUNTS') YIELD data
RETURN size([index IN data.indexes WHERE index.updatesSinceEstimation > 0]) AS pending
"""
CLEAR_PLANS = "CALL db.clearQueryCaches()"


def refresh_statistics(graph: Graph, *, timeout: float = 60.0) -> bool:
    """Resample every range index, wait (up to ``timeout`` seconds) until no sample is stale, then drop cached
    plans; returns whether the samples became current in time."""
    for row in graph.read(RANGE_INDEXES):
        graph.write(RESAMPLE, name=row["name"])
    deadline = time.monotonic() + timeout
    while (stale := graph.read(PENDING)[0]["pending"]) and time.monotonic() < deadline:
        time.sleep(0.1)
    graph.write(CLEAR_PLANS)
    return not stale
