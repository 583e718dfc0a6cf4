"""The server stopped and started again in the middle of a load: the loader retries, then finishes (or fails with
one clear line), and no paper is ever left without its authors; a re-run then gives the exact graph."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from graph_export import full_export
from load_checks import slices, wrote_everything
from neo4j_support import NO_HTTP, QUICK_JVM, TEST_PASSWORD, unavailable

from graph.config import Settings
from graph.connection import Graph, connect
from graph.errors import CoauthorError
from graph.server import LocalServer, free_port
from graph.writer import delete_everything
from loaders import read_inputs

SOURCE = "openalex/works_union_602.jsonl.gz"
RECORDS = 300
"""The load's first records of SOURCE: six batches of 50, so a load stopped after two still has four to write."""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    """A private server this test may stop and start (never the session's shared one)."""
    home = tmp_path_factory.mktemp("restarted-neo4j")
    server = LocalServer(home, bolt_port=free_port(), http_port=free_port(), password=TEST_PASSWORD, config=(NO_HTTP,))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JAVA_TOOL_OPTIONS", QUICK_JVM)  # for the test's restart too
        try:
            server.start()
        except CoauthorError as err:
            unavailable(f"the local Neo4j server did not start: {err}")
        yield server
        server.stop()


def run_load(server: LocalServer, paths: list[Path], batch_size: int = 50) -> subprocess.Popen:
    env = {**os.environ, "NEO4J_URI": server.uri, "NEO4J_PASSWORD": TEST_PASSWORD}
    command = [sys.executable, "-m", "coauthor", "load", "--batch-size", str(batch_size), *map(str, paths)]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish_load(server: LocalServer, paths: list[Path]) -> None:
    """Run a load to its end: it must write everything it read."""
    process = run_load(server, paths)
    _out, err = process.communicate(timeout=600)
    assert wrote_everything(process.returncode, err), err


def papers_without_all_their_authors(graph: Graph, expected: dict[str, int]) -> list[str]:
    """Papers in the graph whose AUTHORED count is below what their records list."""
    rows = graph.read("MATCH (p:Paper) RETURN p.id AS id, COUNT { (p)<-[:AUTHORED]-() } AS authors")
    return [row["id"] for row in rows if row["authors"] < expected.get(row["id"], 0)]


@pytest.mark.timeout(900)
def test_restart_during_a_load(server: LocalServer, shared_dir: Path, tmp_path: Path):
    paths = slices(shared_dir / "data" / SOURCE, tmp_path, (0, RECORDS))
    settings = Settings(uri=server.uri, password=TEST_PASSWORD)
    with connect(settings) as graph:
        delete_everything(graph)
    finish_load(server, paths)
    with connect(settings) as graph:
        clean = full_export(graph)
        authors_of = {
            row["id"]: row["n"]
            for row in graph.read("MATCH (p:Paper) RETURN p.id AS id, COUNT { (p)<-[:AUTHORED]-() } AS n")
        }
        delete_everything(graph)
        assert sum(read.records_read for read in read_inputs(paths)) == RECORDS

        process = run_load(server, paths)
        while graph.read("MATCH (p:Paper) RETURN count(p) AS n")[0]["n"] < 100:
            assert process.poll() is None, "the load ended before the restart"
            time.sleep(0.05)
    server.stop()  # Neo4j shuts down cleanly: open transactions roll back
    assert process.poll() is None, "the load ended before the server was down"  # it waits for the server
    restarted = time.monotonic()
    server.start()
    out, err = process.communicate(timeout=600)
    outage = time.monotonic() - restarted
    with connect(settings) as graph:
        assert papers_without_all_their_authors(graph, authors_of) == []
        if not wrote_everything(process.returncode, err):  # the retries ran out: one clear line, then a re-run
            assert process.returncode == 3, err
            assert err.startswith("Error: no Neo4j server answers"), err
            assert "Traceback" not in err
            finish_load(server, paths)
        assert full_export(graph) == clean, f"outage {outage:.0f} s, loader exit {process.returncode}: {out[-300:]}"
