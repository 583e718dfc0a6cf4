"""Loads that overlap in time, or die mid-run, lose nothing and duplicate nothing.

Loads take turns writing (graph/turns.py), so a load started while another writes ends with exactly the graph of the
two run one after another: the same papers and also the same people, although which Author a *name-only* mention
joins depends on the evidence already in the graph when it arrives (graph/identity.py). A load killed mid-run frees
its turn at once, and run again ends with exactly the graph of one clean load.
"""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from graph_export import full_export
from load_checks import duplicates, load, slices, tie_weights_match_joint_papers, wrote_everything

from graph.config import Settings
from graph.connection import Graph, connect
from graph.model import AuthorRef, Paper, name_key
from graph.turns import WriteTurn
from graph.writer import delete_everything, write_records
from loaders import read_inputs

OPENALEX = "openalex/works_union_602.jsonl.gz"
CROSSREF = "crossref/works_union_1501.jsonl.gz"
BATCH = 50
"""Papers per transaction, in the loads and in the graphs they are compared with."""
WAITING = "waiting for another load to finish writing"


def finish(process: subprocess.Popen, timeout: float = 600) -> str:
    """Wait for a load to write everything it read; returns what it printed on stderr."""
    _out, err = process.communicate(timeout=timeout)
    assert wrote_everything(process.returncode, err), err
    return err


def until(done: Callable[[], bool], seconds: float, failure: str, process: subprocess.Popen | None = None) -> None:
    """Poll ``done`` until it is true; fail with ``failure`` after ``seconds``, or as soon as ``process`` ends."""
    deadline = time.monotonic() + seconds
    while not done():
        assert process is None or process.poll() is None, f"{failure}: the load ended"
        assert time.monotonic() < deadline, failure
        time.sleep(0.05)


def wait_for_papers(graph: Graph, process: subprocess.Popen, count: int) -> None:
    """Wait until a running load has written ``count`` papers."""
    papers = "MATCH (p:Paper) RETURN count(p) AS n"
    until(lambda: graph.read(papers)[0]["n"] >= count, 300, f"no {count} papers written", process)


def told_to_wait(process: subprocess.Popen, seconds: float = 300) -> None:
    """Read a running load's standard error until it says it waits for the turn; fail if it ends or ``seconds`` pass
    first."""
    lines: list[str] = []

    def read() -> None:
        for line in process.stderr:
            lines.append(line)
            if WAITING in line:
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(seconds)
    assert lines and WAITING in lines[-1], f"the second load never said it waits: {''.join(lines)}"


@pytest.fixture(scope="module")
def overlapping(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], list[Path]]:
    """Two loads' inputs: slices of the OpenAlex and Crossref files that overlap (700 and 701 records, of 2,103)."""
    data, folder = shared_dir / "data", tmp_path_factory.mktemp("slices")
    first = [*slices(data / OPENALEX, folder, (0, 200)), *slices(data / CROSSREF, folder, (0, 500))]
    second = [*slices(data / CROSSREF, folder, (250, 751)), *slices(data / OPENALEX, folder, (100, 300))]
    return first, second


def written_in_turn(graph: Graph, *loads: list[Path]) -> list[str]:
    """The export after writing the records of each of ``loads`` in turn, as `coauthor load` reads and writes them
    (its write turn too), but in this process: the reference graph, without a load process's start and its
    statistics refresh."""
    for paths in loads:
        results = read_inputs(paths, keep_going=True)
        with WriteTurn(graph) as turn:
            for result in results:
                write_records(graph, result.papers, result.profiles, result.ties, batch_size=BATCH, turn=turn)
    return full_export(graph)


@pytest.fixture(scope="module")
def clean_load(neo4j_settings: Settings, overlapping: tuple[list[Path], list[Path]]) -> list[str]:
    """The export of one clean load of the first inputs of :func:`overlapping`; then the graph is emptied."""
    with connect(neo4j_settings) as graph:
        delete_everything(graph)
        exported = written_in_turn(graph, overlapping[0])
        delete_everything(graph)
    return exported


@pytest.mark.timeout(1200)
def test_a_load_started_while_another_writes_waits_for_its_turn(
    graph: Graph, neo4j_env: dict[str, str], overlapping: tuple[list[Path], list[Path]]
):
    first, second = overlapping
    one_after_another = written_in_turn(graph, first, second)
    delete_everything(graph)

    writing = load(neo4j_env, *first, batch_size=BATCH)
    wait_for_papers(graph, writing, 1)
    writing.send_signal(signal.SIGSTOP)  # paused mid-run, holding its turn: however slow the second is to start
    try:
        waiting = load(neo4j_env, *second, batch_size=BATCH)
        told_to_wait(waiting)
    finally:
        writing.send_signal(signal.SIGCONT)
    assert WAITING not in finish(writing)
    finish(waiting)
    assert duplicates(graph) == []
    assert tie_weights_match_joint_papers(graph) == []
    assert full_export(graph) == one_after_another
    finish(load(neo4j_env, *first, *second, batch_size=BATCH))  # and loading the same files again changes nothing
    assert full_export(graph) == one_after_another


@pytest.mark.timeout(1200)
def test_a_load_killed_mid_run_then_rerun_equals_one_load(
    graph: Graph, neo4j_env: dict[str, str], overlapping: tuple[list[Path], list[Path]], clean_load: list[str]
):
    clean = clean_load
    inputs = overlapping[0]
    process = load(neo4j_env, *inputs, batch_size=BATCH)
    wait_for_papers(graph, process, 200)
    process.send_signal(signal.SIGKILL)
    process.wait()
    partial = graph.read("MATCH (p:Paper) RETURN count(p) AS n")[0]["n"]
    assert 200 <= partial < sum('"labels": ["Paper"]' in line for line in clean)
    assert tie_weights_match_joint_papers(graph) == []  # the killed batch left nothing half-written
    rerun = load(neo4j_env, *inputs, batch_size=BATCH)
    assert "waiting for another load" not in finish(rerun)  # the killed load's turn is free
    assert full_export(graph) == clean


def wait_until_blocked(graph: Graph, deadline: float = 30) -> None:
    """Wait until some transaction waits for a lock another one holds."""
    query = "SHOW TRANSACTIONS YIELD status WHERE status STARTS WITH 'Blocked' RETURN count(*) AS n"
    until(lambda: graph.read(query)[0]["n"] > 0, deadline, "the second write never waited for the first")


def test_a_better_name_written_meanwhile_is_not_lost(graph: Graph):
    """A load that read a venue's name before a concurrent load committed a better one must not write its own,
    worse one over it (a lost update)."""
    record = Paper(title="On Solutions", authors=(AuthorRef("Ada Lovelace", 1),), source="t", source_ref="t:1")
    shouted, best, worse = "JOURNAL OF CHEMISTRY", "Journal of Chemistry", "Journal of Chemistry."
    assert len({name_key(name) for name in (shouted, best, worse)}) == 1
    write_records(graph, [replace(record, venue=shouted)])
    with graph.session() as session, session.begin_transaction() as first:
        first.run("MATCH (v:Venue) SET v.name = $name", name=best).consume()  # holds the venue's lock
        second = threading.Thread(target=write_records, args=(graph, [replace(record, venue=worse)]))
        second.start()
        wait_until_blocked(graph)
        first.commit()
    second.join(timeout=60)
    assert graph.read("MATCH (v:Venue) RETURN v.name AS name") == [{"name": best}]


def test_a_name_variant_written_meanwhile_is_not_lost(graph: Graph):
    """An author's name variants, read by one load while another holds the author, keep the other's variants."""
    orcid = {"orcid": "0000-0002-1825-0097"}
    first = Paper(title="On Rings", authors=(AuthorRef("Josiah Carberry", 1, ids=orcid),), source="t", source_ref="t:1")
    write_records(graph, [first])
    later = replace(first, title="On Fields", authors=(AuthorRef("J. Carberry", 1, ids=orcid),), source_ref="t:2")
    with graph.session() as session, session.begin_transaction() as holder:
        holder.run("MATCH (a:Author) SET a.names = a.names + 'Josiah S. Carberry'").consume()
        second = threading.Thread(target=write_records, args=(graph, [later]))
        second.start()
        wait_until_blocked(graph)
        holder.commit()
    second.join(timeout=60)
    [names] = graph.read("MATCH (a:Author) RETURN a.names AS names")
    assert names == {"names": ["J. Carberry", "Josiah Carberry", "Josiah S. Carberry"]}
