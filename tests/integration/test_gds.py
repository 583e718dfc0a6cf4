"""``--engine gds``: GDS 2.13 on our local server (jars from Maven Central) against the Python engine.

One server with GDS is started for this module through ``coauthor db start --with-gds`` on free ports in a
temporary home. Tolerance: on netscience, GDS's and igraph's Leiden modularity differ by at most 0.002 (both seeded,
so the comparison is exact run to run; measured 0.0005); each engine's reported modularity equals networkx's
modularity of the partition it returned to 1e-9, and PageRank scores agree to 1e-6 (relative).
"""

from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import neo4j
import networkx as nx
import pytest
import test_hyperauthored_filters as hyperauthored
from click.testing import CliRunner
from neo4j._sync.io._bolt._common import Inbox  # the driver's reader of Bolt messages, to interrupt one
from neo4j_support import unavailable

from coauthor import cli
from graph.config import Settings
from graph.connection import Graph, connect
from graph.errors import CoauthorError
from graph.model import AuthorRef, Paper, Tie, TopicRef
from graph.server import LocalServer, free_port
from graph.writer import delete_everything, write_records
from loaders import read_file
from queries.centrality import rank_authors
from queries.communities import Partition, detect_communities, sweep_resolutions
from queries.gds import (
    detect_communities_gds,
    gds_version,
    projection_name,
    rank_authors_gds,
    sweep_resolutions_gds,
)
from queries.projection import Projection, ProjectionFilter, project_coauthors

PASSWORD = "gds-test-password"
MODULARITY_TOLERANCE = 0.002


@pytest.fixture(scope="module")
def gds_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    """A fresh local server started with ``coauthor db start --with-gds``, stopped with ``db stop``."""
    server = LocalServer(
        tmp_path_factory.mktemp("gds-home") / "neo4j", free_port(), free_port(), PASSWORD, plugins=("gds",)
    )
    where = ["--home", str(server.home), "--bolt-port", str(server.bolt_port), "--http-port", str(server.http_port)]
    started = CliRunner().invoke(cli, ["db", "start", "--with-gds", *where], env=_env(server))
    if started.exit_code != 0:
        server.stop()
        unavailable(f"the local Neo4j server with GDS did not start: {started.output.strip()}")
    assert "with GDS 2.13.9 is running" in started.output
    yield server
    CliRunner().invoke(cli, ["db", "stop", *where])


@pytest.fixture
def gds_env(gds_server: LocalServer) -> dict[str, str]:
    """The environment under which the CLI reaches the server with GDS."""
    return _env(gds_server)


def _env(server: LocalServer) -> dict[str, str]:
    return {"NEO4J_URI": server.uri, "NEO4J_PASSWORD": PASSWORD}


@pytest.fixture
def gds_graph(gds_server: LocalServer) -> Iterator[Graph]:
    """A connected, empty graph on the server with GDS."""
    with connect(Settings(uri=gds_server.uri, password=PASSWORD)) as graph:
        delete_everything(graph)
        yield graph


@pytest.fixture
def netscience(gds_graph: Graph, shared_dir: Path) -> Projection:
    """netscience.gml written through our loader and writer; its projection."""
    result = read_file(shared_dir / "data" / "newman_gml" / "netscience.gml")
    write_records(gds_graph, result.papers, result.profiles, result.ties)
    return project_coauthors(gds_graph)


def networkx_modularity(projection: Projection, partition: Partition, resolution: float = 1.0) -> float:
    groups = [{projection.ids[v] for v in partition.members(n)} for n in range(1, len(partition.sizes) + 1)]
    return nx.community.modularity(projection.to_networkx(), groups, weight="weight", resolution=resolution)


def two_cliques(graph: Graph, size: int = 6) -> None:
    """Two cliques of ``size`` authors (ties of weight 2) joined by one tie of weight 1."""

    def author(name: str) -> AuthorRef:
        return AuthorRef(name, 0, ids={"node": f"cliques/{name}"})

    groups = [[author(f"{side}{n}") for n in range(size)] for side in "ab"]
    ties = [
        Tie(one, other, 2.0, source="test", source_ref="clique")
        for members in groups
        for i, one in enumerate(members)
        for other in members[i + 1 :]
    ]
    ties.append(Tie(groups[0][-1], groups[1][0], 1.0, source="test", source_ref="bridge"))
    write_records(graph, [], ties=ties)


@pytest.mark.parametrize(("algorithm", "resolution"), [("leiden", 1.0), ("leiden", 2.0), ("louvain", 1.0)])
def test_netscience_gds_modularity_matches_python_and_networkx(
    gds_graph: Graph, netscience: Projection, algorithm: str, resolution: float
):
    found = detect_communities_gds(gds_graph, algorithm=algorithm, resolution=resolution, seed=42)
    assert found.ids == netscience.ids
    ours = detect_communities(netscience, algorithm, resolution=resolution, seed=42)
    assert abs(found.partition.modularity - ours.modularity) <= MODULARITY_TOLERANCE
    assert found.partition.modularity == pytest.approx(networkx_modularity(netscience, found.partition, resolution))
    assert found.partition.parameters["engine"] == "gds"
    assert sum(found.partition.sizes) == len(netscience.ids)
    assert list(found.partition.sizes) == sorted(found.partition.sizes, reverse=True)


@pytest.mark.parametrize("algorithm", ["leiden", "louvain"])
def test_gds_communities_repeat_with_the_same_seed_however_the_data_was_stored(
    gds_graph: Graph, shared_dir: Path, algorithm: str
):
    result = read_file(shared_dir / "data" / "newman_gml" / "netscience.gml")
    found = []
    for order in range(2):  # written in two orders, half the ties turned around the second time
        delete_everything(gds_graph)
        ties = list(result.ties)
        random.Random(order).shuffle(ties)
        ties = [Tie(t.b, t.a, t.weight, t.source, t.source_ref) if order and n % 2 else t for n, t in enumerate(ties)]
        write_records(gds_graph, result.papers, result.profiles, ties)
        found += [detect_communities_gds(gds_graph, algorithm=algorithm, seed=7) for _run in range(2)]
    assert all(again == found[0] for again in found[1:])
    assert len(found[0].partition.sizes) > 200
    assert gds_graph.read("CALL gds.graph.list() YIELD graphName RETURN count(*) AS graphs")[0]["graphs"] == 0


def test_gds_sweep_matches_single_runs_and_the_python_sweep(gds_graph: Graph, netscience: Projection):
    points = sweep_resolutions_gds(gds_graph, None, [0.5, 2.0], seed=3, seeds=3)
    python = sweep_resolutions(netscience, [0.5, 2.0], seed=3, seeds=3)
    for point, theirs in zip(points, python, strict=True):
        alone = detect_communities_gds(gds_graph, resolution=point.resolution, seed=3).partition
        assert (point.communities, point.modularity) == (len(alone.sizes), alone.modularity)
        assert abs(point.modularity - theirs.modularity) <= MODULARITY_TOLERANCE
        assert 0.5 < point.stability <= 1.0
        assert point.seeds == 3
    assert points[0].communities < points[1].communities  # a higher resolution finds more, smaller communities
    assert gds_graph.read("CALL gds.graph.list() YIELD graphName RETURN count(*) AS graphs")[0]["graphs"] == 0


def test_two_planted_cliques_come_out_as_two_communities_in_both_engines(gds_graph: Graph):
    two_cliques(gds_graph)
    projection = project_coauthors(gds_graph)
    cliques = {frozenset(f"node:cliques/{side}{n}" for n in range(6)) for side in "ab"}
    for algorithm in ("leiden", "louvain"):
        found = detect_communities_gds(gds_graph, algorithm=algorithm, seed=1)
        python = detect_communities(projection, algorithm, seed=1)
        for partition in (found.partition, python):
            assert {frozenset(projection.ids[v] for v in partition.members(n)) for n in (1, 2)} == cliques
        assert found.partition.modularity == pytest.approx(python.modularity, abs=1e-9)
        assert found.partition.modularity == pytest.approx(networkx_modularity(projection, found.partition))


def test_pagerank_top_authors_agree(gds_graph: Graph, netscience: Projection):
    gds = rank_authors_gds(gds_graph, limit=10)
    python = rank_authors(gds_graph, netscience, "pagerank", limit=10)
    assert [a.id for a in gds.authors] == [a.id for a in python.authors]
    assert [a.score for a in gds.authors] == pytest.approx([a.score for a in python.authors], rel=1e-6)
    assert gds.authors[0].name == "BARABASI, A"


LG = TopicRef("arxiv:cs.LG", "Machine Learning", "arxiv_category")
ME = TopicRef("arxiv:stat.ME", "Methodology", "arxiv_category")


@pytest.mark.parametrize(
    "where",
    [
        ProjectionFilter(),
        ProjectionFilter(min_weight=2),
        ProjectionFilter(first_year=2011),
        ProjectionFilter(topic="arxiv:cs.LG"),
        ProjectionFilter(around="Ann", hops=1),
        ProjectionFilter(around="Eve", hops=1, last_year=2016),  # Eve has no tie before 2017: alone
    ],
    ids=["all", "min-weight", "since", "topic", "around", "around-alone"],
)
def test_gds_projects_the_same_filtered_graph_as_python(gds_graph: Graph, where: ProjectionFilter):
    ann, bob, cid, eve, fay = (
        AuthorRef(n, 1, ids={"node": f"filters/{n}"}) for n in ("Ann", "Bob", "Cid", "Eve", "Fay")
    )
    papers = [
        Paper("P1", (ann, bob), "test", "P1", year=2010, topics=(LG,)),
        Paper("P2", (ann, bob, cid), "test", "P2", year=2012),
        Paper("P3", (ann, eve), "test", "P3", year=2020, topics=(ME,)),
    ]
    write_records(gds_graph, papers, ties=[Tie(eve, fay, 3.0, "test", "tie")])
    projection = project_coauthors(gds_graph, where)
    found = detect_communities_gds(gds_graph, where, seed=3)
    assert found.ids == projection.ids
    assert len(found.ids) > 0
    expected = networkx_modularity(projection, found.partition) if projection.edge_count else 0.0
    assert found.partition.modularity == pytest.approx(expected)  # same vertices, edges and weights
    everyone = len(projection.ids)
    gds = {author.id: author.score for author in rank_authors_gds(gds_graph, where, limit=everyone).authors}
    python = {a.id: a.score for a in rank_authors(gds_graph, projection, "pagerank", limit=everyone).authors}
    assert gds == pytest.approx(python, rel=1e-6)


@pytest.mark.parametrize(
    "where", [ProjectionFilter(first_year=1990, last_year=2010), ProjectionFilter(topic="Physics")]
)
def test_gds_filters_tie_no_hyperauthored_paper(gds_graph: Graph, where: ProjectionFilter):
    """A filter that keeps every paper projects the stored ties: the survey of 105 authors ties none of them."""
    write_records(gds_graph, hyperauthored.RECORDS)
    stored = detect_communities_gds(gds_graph, seed=3)
    filtered = detect_communities_gds(gds_graph, where, seed=3)
    assert filtered == stored
    assert len(stored.ids) == 4  # the four authors of the small papers
    everyone = len(stored.ids) + 1
    assert rank_authors_gds(gds_graph, where, limit=everyone) == rank_authors_gds(gds_graph, limit=everyone)


def test_an_empty_graph_gives_no_communities_and_no_ranking(gds_graph: Graph):
    found = detect_communities_gds(gds_graph)
    assert (found.ids, found.partition.membership, found.partition.modularity) == ((), (), 0.0)
    assert rank_authors_gds(gds_graph).authors == ()
    assert gds_graph.read("CALL gds.graph.list() YIELD graphName RETURN count(*) AS graphs")[0]["graphs"] == 0


def test_cli_engine_gds_communities_and_central(gds_graph: Graph, gds_env: dict[str, str]):
    two_cliques(gds_graph)
    runner = CliRunner()
    result = runner.invoke(cli, ["communities", "--engine", "gds", "--seed", "5", "--format", "json"], env=gds_env)
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["parameters"] == {"engine": "gds", "objective": "modularity", "resolution": 1.0, "seed": 5}
    assert [c["size"] for c in answer["communities"]] == [6, 6]
    assert answer["modularity"] == detect_communities_gds(gds_graph, seed=5).partition.modularity
    result = runner.invoke(cli, ["central", "--engine", "gds", "--limit", "2", "--format", "csv"], env=gds_env)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "name,score,id"
    assert {line.split(",")[0] for line in lines[1:]} == {"a5", "b0"}  # the bridge's ends: the most weight
    result = runner.invoke(cli, ["communities", "sweep", "--engine", "gds", "--format", "json"], env=gds_env)
    assert result.exit_code == 0, result.output
    at_one = next(row for row in json.loads(result.output) if row["resolution"] == 1.0)
    assert (at_one["communities"], at_one["stability"]) == (2, 1.0)
    assert at_one["modularity"] == answer["modularity"]


@pytest.mark.parametrize(
    "args",
    [
        ["communities", "--engine", "gds", "--algorithm", "lpa"],
        ["communities", "--engine", "gds", "--objective", "cpm"],
        ["communities", "--engine", "gds", "--algorithm", "louvain", "--resolution", "2"],
        ["central", "--engine", "gds", "--measure", "betweenness"],
        ["communities", "sweep", "--engine", "gds", "--algorithm", "louvain"],
        ["communities", "sweep", "--engine", "gds", "--objective", "cpm"],
    ],
)
def test_cli_refuses_what_gds_does_not_run(args: list[str]):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "gds" in result.output.lower()


def in_memory_graphs(graph: Graph) -> list[str]:
    return sorted(row["name"] for row in graph.read("CALL gds.graph.list() YIELD graphName RETURN graphName AS name"))


@pytest.mark.timeout(120)  # the old clean-up waited forever on the broken session
def test_an_interrupt_mid_message_comes_out_at_once_and_leaves_no_graph(
    gds_graph: Graph, monkeypatch: pytest.MonkeyPatch
):
    two_cliques(gds_graph)
    armed, interrupted_at = threading.Event(), []
    run, pop = neo4j.Session.run, Inbox.pop

    def arming(session: neo4j.Session, query: str, *args: object, **params: object) -> neo4j.Result:
        if query.startswith("CALL gds.leiden.mutate"):
            armed.set()
        return run(session, query, *args, **params)

    def interrupting(inbox: Inbox, hydration_hooks: object) -> object:
        message = pop(inbox, hydration_hooks)  # read off the wire, then lost: Ctrl-C in the middle of a message
        if armed.is_set():
            armed.clear()
            interrupted_at.append(time.monotonic())
            raise KeyboardInterrupt
        return message

    monkeypatch.setattr(neo4j.Session, "run", arming)
    monkeypatch.setattr(Inbox, "pop", interrupting)
    with pytest.raises(KeyboardInterrupt):
        sweep_resolutions_gds(gds_graph, None, [0.5, 1.0], seeds=2)
    assert time.monotonic() - interrupted_at[0] < 5
    assert in_memory_graphs(gds_graph) == []  # dropped on a fresh session
    monkeypatch.undo()
    assert detect_communities_gds(gds_graph, seed=1).partition.sizes == (6, 6)  # the driver is still sound


def test_a_run_drops_the_graphs_of_ended_processes_and_keeps_live_ones(gds_graph: Graph):
    two_cliques(gds_graph)
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    host = socket.gethostname()
    left = f"coauthor-{host}-{ended.pid}-0f3a"
    kept = [
        projection_name(),  # this process's: live
        f"coauthor-{host}-{os.getppid()}-1b2c",  # pytest's parent: live
        "coauthor-elsewhere-7-5d6e",  # another host's, young
        "not-ours",
    ]
    for name in [left, *kept]:
        gds_graph.write("MATCH (a:Author) WITH gds.graph.project($name, a, null) AS g RETURN g.graphName", name=name)
    try:
        detect_communities_gds(gds_graph, seed=1)
        assert in_memory_graphs(gds_graph) == sorted(kept)
    finally:
        gds_graph.write("UNWIND $names AS name CALL gds.graph.drop(name, false) YIELD graphName RETURN 1", names=kept)


def test_the_server_reports_its_plugins_and_keeps_running(gds_server: LocalServer, gds_graph: Graph):
    assert gds_version(gds_graph) == "2.13.9"
    assert gds_server.running_plugins() == ("gds",)
    jars = list((gds_server.home / "plugins").glob("*.jar"))
    assert any(jar.name == "opengds-extension-2.13.9.jar" for jar in jars)
    assert all(jar.is_symlink() for jar in jars)
    plain = LocalServer(gds_server.home, gds_server.bolt_port, gds_server.http_port, PASSWORD)
    assert plain.start() == gds_server.pid()  # already running, with more plugins than asked for: kept


@pytest.mark.usefixtures("neo4j_env")
def test_a_server_without_gds_is_one_clear_error(graph: Graph):
    with pytest.raises(CoauthorError, match="has no Graph Data Science plugin") as raised:
        detect_communities_gds(graph)
    assert "coauthor db start --with-gds" in raised.value.hint
    result = CliRunner().invoke(cli, ["central", "--engine", "gds"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith("Error: the Neo4j server at ")
    assert result.output.splitlines()[1].startswith("hint: start the local server with `coauthor db start --with-gds`")
