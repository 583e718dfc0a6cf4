"""A batch too big for the server's transaction memory is written in halves, not failed after the driver's retries."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

import pytest
from neo4j import GraphDatabase
from neo4j_support import TEST_PASSWORD, private_server

from graph import connection
from graph.config import Settings
from graph.connection import Graph, connect
from graph.errors import CoauthorError
from graph.model import AuthorRef, Paper
from graph.writer import write_records

LIMIT = "10m"
"""The server's ``db.memory.transaction.max``: 200 papers with 10 kB abstracts need more, 50 need less."""
RETRY_FOR = 3.0
"""Seconds the driver retries a transaction the server refused as transient, instead of its default 30: a batch whose
statements fit but whose commit does not (100 of these papers) is retried that long before it is halved."""


@pytest.fixture(scope="module")
def small_memory_graph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Graph]:
    """A private server whose transactions may use at most :data:`LIMIT` of memory."""
    home = tmp_path_factory.mktemp("small-memory-neo4j")
    config = (("db.memory.transaction.max", LIMIT),)
    with private_server(home, config) as server:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(connection, "GraphDatabase", _QuickRetries)
            graph = connect(Settings(uri=server.uri, password=TEST_PASSWORD))
        with graph:
            yield graph


class _QuickRetries:
    """Neo4j's GraphDatabase, whose drivers retry refused transactions for :data:`RETRY_FOR` seconds."""

    driver = staticmethod(partial(GraphDatabase.driver, max_transaction_retry_time=RETRY_FOR))


def papers(count: int, abstract_words: int = 2000) -> list[Paper]:
    return [
        Paper(
            title=f"Paper {n}",
            authors=tuple(AuthorRef(f"Person{n % 50} Sur{(n + k) % 40}", k + 1) for k in range(5)),
            source="test",
            source_ref=f"test:{n}",
            year=2000 + n % 20,
            abstract=f"word{n} " * abstract_words,
        )
        for n in range(count)
    ]


@pytest.mark.timeout(600)
def test_a_batch_over_the_memory_limit_is_written_in_halves(small_memory_graph: Graph):
    written = write_records(small_memory_graph, papers(200), batch_size=200)
    assert (written.papers, written.batches > 1) == (200, True)
    counts = small_memory_graph.read(
        "MATCH (p:Paper) RETURN count(p) AS papers, sum(COUNT { (p)<-[:AUTHORED]-() }) AS authorships"
    )
    assert counts == [{"papers": 200, "authorships": 1000}]
    again = write_records(small_memory_graph, papers(200), batch_size=200)
    assert (again.nodes_created, again.relationships_created) == (0, 0)


@pytest.mark.timeout(600)
def test_one_paper_over_the_limit_is_one_clear_error(small_memory_graph: Graph):
    [huge] = papers(1, abstract_words=400_000)  # a 3.6 MB abstract, held several times in the transaction
    with pytest.raises(CoauthorError, match="needs more transaction memory than the Neo4j server allows") as raised:
        write_records(small_memory_graph, [huge])
    assert "db.memory.transaction.max" in raised.value.hint
