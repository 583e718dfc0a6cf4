"""The community overview on a real graph: a link counts each joint paper once (not once per tie it makes across),
and ties known without papers (SNAP, GML) are told by their summed weight, never as joint papers."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner

from coauthor import cli
from graph.connection import Graph
from graph.model import AuthorRef, Paper, Tie
from graph.paper_rows import HYPERAUTHORED
from graph.writer import write_records
from queries.communities import Partition, renumber, write_run
from queries.community_graph import CommunityLink, community_overview, group_authors
from queries.projection import project_coauthors

pytestmark = pytest.mark.usefixtures("neo4j_env")

# Community 1: A1 A2 A3; community 2: B1 B2; community 3: C1 (numbered by size, largest first).
COMMUNITIES = {"A1": 1, "A2": 1, "A3": 1, "B1": 2, "B2": 2, "C1": 3}


def author(name: str, position: int = 1) -> AuthorRef:
    return AuthorRef(name, position, ids={"s2": name})


def paper(title: str, *names: str) -> Paper:
    authors = tuple(author(name, position) for position, name in enumerate(names, start=1))
    return Paper(title, authors, source="test", source_ref=title, year=2020)


def tie(a: str, b: str, weight: float) -> Tie:
    return Tie(author(a), author(b), weight, source="net", source_ref=a + b)


def store_run(graph: Graph, name: str, communities: Mapping[str, int]) -> None:
    """Store the run ``name`` putting each author (by name) in the community given."""
    projection = project_coauthors(graph)
    names = {row["id"]: row["name"] for row in graph.read("MATCH (a:Author) RETURN a.id AS id, a.name AS name")}
    membership, sizes = renumber([communities[names[author_id]] for author_id in projection.ids])
    assert membership == tuple(communities[names[author_id]] for author_id in projection.ids)
    write_run(graph, name, projection, Partition("given", {}, 0.0, membership, sizes))


def overview_tooltips(tmp_path: Path, run: str) -> dict[tuple[str, str], list[str]]:
    output = tmp_path / "overview.html"
    result = CliRunner().invoke(cli, ["viz", "communities", run, "--show", "overview", "-o", str(output)])
    assert result.exit_code == 0, (result.output, result.exception)
    html = output.read_text(encoding="utf-8")
    assert "Line width: coauthor ties between communities" in html
    data = json.loads(re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S)[1])
    return {(edge["from"], edge["to"]): edge["tooltip"][1:] for edge in data["edges"]}


@pytest.fixture
def joint(graph: Graph) -> Graph:
    """P1 makes six ties between communities 1 and 2, P2 one more (A1-B1 again): two joint papers, seven tie
    weight. A1-C1 is a tie known without papers beside P5's A2-C1; the hyperauthored P6 makes no tie and no count."""
    crowd = [f"Crowd {n}" for n in range(HYPERAUTHORED)]
    papers = [
        paper("P1", "A1", "A2", "A3", "B1", "B2"),
        paper("P2", "A1", "B1"),
        paper("P3", "A2", "A3"),
        paper("P4", "B2", "C1"),
        paper("P5", "A2", "C1"),
        paper("P6", "A1", "B2", *crowd),
    ]
    write_records(graph, papers, ties=[tie("A1", "C1", 0.5)])
    store_run(graph, "t", COMMUNITIES)
    return graph


def test_a_link_counts_distinct_joint_papers_and_its_ties(joint: Graph):
    links = community_overview(joint, group_authors(joint, "t")).links
    assert links == (
        CommunityLink(1, 2, ties=6, papers=2),
        CommunityLink(1, 3, ties=2, papers=1, paperless=1, paperless_weight=0.5),
        CommunityLink(2, 3, ties=1, papers=1),
    )


def test_overview_tooltips_say_ties_and_distinct_joint_papers(joint: Graph, tmp_path: Path):
    assert overview_tooltips(tmp_path, "t") == {
        ("c1", "c2"): ["6 ties", "2 joint papers"],
        ("c1", "c3"): ["2 ties", "1 joint paper", "1 tie known without its papers, weight 0.5"],
        ("c2", "c3"): ["1 tie", "1 joint paper"],
    }


def test_overview_of_ties_without_papers_gives_their_summed_weight(graph: Graph, tmp_path: Path):
    write_records(graph, [], ties=[tie("E1", "E2", 1.0), tie("E1", "F1", 0.5), tie("E2", "F1", 2.0)])
    store_run(graph, "gml", {"E1": 1, "E2": 1, "F1": 2})
    assert community_overview(graph, group_authors(graph, "gml")).links == (
        CommunityLink(1, 2, ties=2, papers=0, paperless=2, paperless_weight=2.5),
    )
    assert overview_tooltips(tmp_path, "gml") == {
        ("c1", "c2"): ["2 ties", "Known without their papers, summed weight 2.5"],
    }
