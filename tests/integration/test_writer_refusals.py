"""A batch the server keeps refusing after the driver's retries is one clear error, not a driver traceback."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from neo4j import GraphDatabase
from neo4j_support import TEST_PASSWORD, private_server

from graph.config import Settings
from graph.connection import Graph, connect
from graph.errors import CoauthorError
from graph.model import AuthorRef, Paper
from graph.writer import write_records

PAPER = Paper(
    title="Notes on the Engine",
    authors=(AuthorRef("Ada Lovelace", 1), AuthorRef("Bob Byron", 2)),
    source="test",
    source_ref="a:1",
    year=1843,
)


@pytest.fixture(scope="module")
def impatient_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A private server whose transactions wait at most 200 ms for a lock (``db.lock.acquisition.timeout``)."""
    home = tmp_path_factory.mktemp("impatient-neo4j")
    with private_server(home, (("db.lock.acquisition.timeout", "200ms"),)) as server:
        yield Settings(uri=server.uri, password=TEST_PASSWORD)


def test_a_batch_refused_after_the_retries_is_one_clear_error(impatient_server: Settings):
    settings = impatient_server
    # The driver retries a refused transaction for 30 s by default; one second shows the same.
    driver = GraphDatabase.driver(
        settings.uri, auth=(settings.username, settings.password), max_transaction_retry_time=1
    )
    with connect(settings) as graph, Graph(driver, settings) as impatient:
        write_records(graph, [PAPER])
        with graph.session() as holder, holder.begin_transaction() as held:
            held.run("MATCH (p:Paper) SET p.held = true").consume()  # holds the paper's write lock until rolled back
            with pytest.raises(CoauthorError, match="Neo4j refused a write after retrying it") as raised:
                write_records(impatient, [replace(PAPER, source="other", source_ref="b:2")])
            held.rollback()
        assert "LockAcquisitionTimeout" in str(raised.value)
        assert (
            raised.value.hint
            == "0 papers of this input written and kept; run the same load again: nothing is written twice"
        )
        assert graph.read("MATCH (p:Paper) RETURN p.sources AS sources") == [{"sources": ["test"]}]
