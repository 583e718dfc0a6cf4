"""Index samples and cached plans after a load: refreshed after a bulk load, kept after a small one."""

from __future__ import annotations

from graph.connection import Graph
from graph.model import AuthorRef, Paper
from graph.writer import write_records
from queries.planner import PENDING, refresh_statistics


def papers(first: int, count: int) -> list[Paper]:
    """``count`` papers of two authors each, nobody on two papers."""
    return [
        Paper(
            title=f"Paper {n}",
            authors=(AuthorRef(f"Ann{n:04d} Alpha", 1), AuthorRef(f"Bob{n:04d} Beta", 2)),
            source="test",
            source_ref=f"test:{n}",
        )
        for n in range(first, first + count)
    ]


def pending(graph: Graph) -> int:
    """Indexes whose sample misses updates."""
    return graph.read(PENDING)[0]["pending"]


def test_only_a_load_that_changed_a_sizeable_share_of_an_index_refreshes_it(graph: Graph):
    assert refresh_statistics(graph)  # samples of the empty graph
    write_records(graph, papers(0, 200))  # (no check that it left samples stale: Neo4j may resample it meanwhile)
    assert refresh_statistics(graph, only_if_stale=True)
    assert not pending(graph)  # a bulk load: resampled
    write_records(graph, papers(200, 4))  # 2% more papers and authors
    assert refresh_statistics(graph, only_if_stale=True)
    assert pending(graph)  # samples kept (and with them the cached plans)
    assert refresh_statistics(graph)
    assert not pending(graph)
