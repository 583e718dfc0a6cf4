"""A batch too big for the server's transaction memory is written in halves at once, not retried first."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from neo4j_support import TEST_PASSWORD, private_server

from graph import writer
from graph.config import Settings
from graph.connection import Graph, connect
from graph.errors import CoauthorError
from graph.model import AuthorRef, Paper
from graph.writer import write_records

LIMIT = "10m"
"""The server's ``db.memory.transaction.max``: 200 papers with 10 kB abstracts need more, 50 need less, and 100 pass
their statements but not their commit."""


@pytest.fixture(scope="module")
def small_memory_graph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Graph]:
    """A private server whose transactions may use at most :data:`LIMIT` of memory (the driver retries as by
    default: for 30 s)."""
    home = tmp_path_factory.mktemp("small-memory-neo4j")
    with (
        private_server(home, (("db.memory.transaction.max", LIMIT),)) as server,
        connect(Settings(uri=server.uri, password=TEST_PASSWORD)) as graph,
    ):
        yield graph


@pytest.fixture
def attempts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int, bool]]:
    """Each attempt at a batch's statements: its first paper, its size, and whether all its statements ran."""
    seen: list[tuple[str, int, bool]] = []
    write_batch = writer._write_batch

    def counted(tx, params, papers, *rest):
        seen.append((papers[0].source_ref, len(papers), False))
        result = write_batch(tx, params, papers, *rest)
        seen[-1] = (papers[0].source_ref, len(papers), True)
        return result

    monkeypatch.setattr(writer, "_write_batch", counted)
    return seen


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
def test_a_batch_over_the_memory_limit_is_written_in_halves_at_once(
    small_memory_graph: Graph, attempts: list[tuple[str, int, bool]]
):
    written = write_records(small_memory_graph, papers(200), batch_size=200)
    assert (written.papers, written.batches > 1) == (200, True)
    batches = [(first, size) for first, size, _ in attempts]
    assert len(batches) == len(set(batches)), f"a batch was attempted twice: {attempts}"
    commits_refused = sum(ran for *_, ran in attempts) - written.batches
    assert commits_refused > 0, f"no batch ran out of memory at its commit: {attempts}"
    counts = small_memory_graph.read(
        "MATCH (p:Paper) RETURN count(p) AS papers, sum(COUNT { (p)<-[:AUTHORED]-() }) AS authorships"
    )
    assert counts == [{"papers": 200, "authorships": 1000}]
    again = write_records(small_memory_graph, papers(200), batch_size=200)
    assert (again.nodes_created, again.relationships_created) == (0, 0)


@pytest.mark.timeout(600)
def test_one_paper_over_the_limit_is_one_clear_error(small_memory_graph: Graph, attempts: list[tuple[str, int, bool]]):
    [huge] = papers(1, abstract_words=400_000)  # a 3.6 MB abstract, held several times in the transaction
    with pytest.raises(CoauthorError, match="needs more transaction memory than the Neo4j server allows") as raised:
        write_records(small_memory_graph, [huge])
    assert "db.memory.transaction.max" in raised.value.hint
    assert len(attempts) == 1
