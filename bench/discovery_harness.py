"""What the discovery benches share: a private Neo4j, the real files read through ``loaders.read_file``, timing.

The server is always a private one: a Neo4j of our launcher on free loopback ports in a temporary home, stopped
and deleted afterwards (never the demo server on 7687).
"""

from __future__ import annotations

import datetime
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from graph.config import Settings
from graph.connection import Graph, connect
from graph.errors import InputError
from graph.server import LocalServer, free_port
from graph.writer import delete_everything, write_records
from loaders import FORMATS, LoadResult, read_file
from queries.planner import refresh_statistics

__all__ = [
    "DATA",
    "REAL_WITH_YEARS",
    "latencies",
    "load",
    "open_graph",
    "private_server",
    "read_real",
    "say",
]

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
AS_OF = datetime.date(2026, 11, 27)
PASSWORD = "bench-password"
# The real files whose papers carry years: format name -> file under DATA.
REAL_WITH_YEARS = {
    "dblp": "dblp/dblp_soc_papers.xml.gz",
    "openalex": "openalex/works_union_602.jsonl.gz",
    "crossref": "crossref/works_union_1501.jsonl.gz",
    "semantic_scholar": "s2/paper_2d5673ca_with_1000_citations.json.gz",
}


def say(text: str) -> None:
    print(text, flush=True)


@contextmanager
def private_server(*, heap: str = "2g", pagecache: str = "1g") -> Iterator[LocalServer]:
    """A fresh local Neo4j server, stopped and deleted at the end."""
    home = Path(tempfile.mkdtemp(prefix="coauthor-bench-"))
    server = LocalServer(home, free_port(), free_port(), password=PASSWORD, heap=heap, pagecache=pagecache)
    try:
        started = time.monotonic()
        server.start(timeout=300)
        say(f"private Neo4j on {server.uri} ready in {time.monotonic() - started:.0f} s (home {home})")
        yield server
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)


def open_graph(server: LocalServer) -> Graph:
    """A connection to the private server, with the schema applied."""
    return connect(Settings(uri=server.uri, password=PASSWORD))


def read_real(name: str) -> LoadResult | None:
    """A real file read through ``loaders.read_file``: a format name of :data:`REAL_WITH_YEARS` or a path under
    :data:`DATA`. None (with a note) when the file is absent or no registered format reads it yet."""
    path = DATA / REAL_WITH_YEARS.get(name, name)
    if name in REAL_WITH_YEARS and name not in FORMATS:
        say(f"skipped {path.name}: no {name!r} loader in loaders.FORMATS yet")
        return None
    if not path.exists():
        say(f"skipped {path}: the file is absent")
        return None
    try:
        return read_file(path, as_of=AS_OF)
    except InputError as err:
        say(f"skipped {path.name}: {err}")
        return None


def load(graph: Graph, result: LoadResult, papers=None, *, batch_size: int = 2000) -> float:
    """Empty the graph, write ``papers`` (default: all of the result's) with its ties; returns the seconds taken."""
    delete_everything(graph)
    started = time.monotonic()
    write_records(graph, result.papers if papers is None else papers, (), result.ties, batch_size=batch_size)
    refresh_statistics(graph)
    return time.monotonic() - started


def latencies(run: Callable[[object], object], inputs: list) -> tuple[float, float]:
    """p50 and p95 in milliseconds of ``run(x)`` over ``inputs``, timed on a second pass (the first warms the
    server's caches and JIT)."""
    for item in inputs:
        run(item)
    times = []
    for item in inputs:
        started = time.perf_counter()
        run(item)
        times.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return cuts[49], cuts[94]
