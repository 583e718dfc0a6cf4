"""The export's degree, strength and PageRank are exactly `coauthor central`'s, and 0 for an author without ties."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from coauthor import cli
from graph.connection import Graph
from graph.model import AuthorRef, Paper
from graph.writer import write_records
from queries.centrality import rank_authors
from queries.networks import coauthor_network
from queries.projection import project_coauthors

# Two components of unequal weights, and Eve, who wrote alone: counted in, she would lower everyone's PageRank.
PAPERS = (("p1", ("Ada", "Bo", "Cy")), ("p2", ("Ada", "Bo")), ("p3", ("Cy", "Di")), ("p4", ("Fay", "Gus")))
SOLO = "Eve"
MEASURES = ("degree", "strength", "pagerank")
VOS_COLUMNS = {"degree": "weight<Coauthors>", "strength": "weight<Tie strength>", "pagerank": "score<PageRank>"}
VOS_JSON = {
    "degree": ("weights", "Coauthors"),
    "strength": ("weights", "Tie strength"),
    "pagerank": ("scores", "PageRank"),
}


@pytest.fixture
def small(graph: Graph) -> Graph:
    """Six authors in two tied groups, and Eve, without a coauthor (node ids: one author per name)."""
    papers = [
        Paper(f"Paper {key}", tuple(_author(name, n) for n, name in enumerate(names, start=1)), "test", key, year=2020)
        for key, names in (*PAPERS, ("p5", (SOLO,)))
    ]
    write_records(graph, papers)
    return graph


def _author(name: str, position: int) -> AuthorRef:
    return AuthorRef(name, position, {"node": f"pagerank-test/{name}"})


def central(*measure_args: str) -> dict[str, float]:
    """Author name -> score, as `coauthor central --format json` prints them for every author."""
    result = CliRunner().invoke(cli, ["central", *measure_args, "--limit", "100", "--format", "json"])
    assert result.exit_code == 0, result.output
    authors = json.loads(result.output)["authors"]
    scores = {author["name"]: author["score"] for author in authors}
    assert len(scores) == len(authors)  # names are unique, so the exports can be read by label
    return scores


def exported(fmt: str, path: Path) -> dict[str, dict[str, float]]:
    """Author name -> {measure: value} read back from the file(s) `coauthor export --format fmt -o path` wrote."""
    if fmt in ("graphml", "gexf"):
        read = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
        return {data["label"]: {m: float(data[m]) for m in MEASURES} for _node, data in read.nodes(data=True)}
    document = json.loads(path.read_text(encoding="utf-8")) if fmt != "vosviewer" else None
    if fmt == "json":
        return {node["label"]: {m: float(node[m]) for m in MEASURES} for node in document["nodes"]}
    if fmt == "vosviewer-json":
        items = document["network"]["items"]
        return {item["label"]: {m: item[group][name] for m, (group, name) in VOS_JSON.items()} for item in items}
    with path.with_name(f"{path.stem}_map{path.suffix}").open(encoding="utf-8", newline="") as lines:
        header, *rows = csv.reader(lines, delimiter="\t")
    return {row[1]: {m: float(row[header.index(VOS_COLUMNS[m])]) for m in MEASURES} for row in rows}


def test_library_scores_are_centrals_and_zero_without_ties(small: Graph):
    nodes = coauthor_network(small).graph.nodes
    projection = project_coauthors(small)
    for measure in MEASURES:
        ranking = rank_authors(small, projection, measure, limit=100)
        assert {author.id: nodes[author.id][measure] for author in ranking.authors} == {
            author.id: author.score for author in ranking.authors
        }
        [solo] = [data for _node, data in nodes(data=True) if data["label"] == SOLO]
        assert solo[measure] == 0 and type(solo[measure]) is type(nodes[ranking.authors[0].id][measure])
    assert sum(data["pagerank"] for _node, data in nodes(data=True)) == pytest.approx(1)


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "vosviewer-json", "vosviewer"])
def test_every_format_exports_the_scores_central_prints(small: Graph, neo4j_env: dict, tmp_path: Path, fmt: str):
    path = tmp_path / "coauthors.txt"
    result = CliRunner().invoke(cli, ["export", "--format", fmt, "-o", str(path)])
    assert result.exit_code == 0, result.output
    scores = exported(fmt, path)
    assert set(scores) == {name for _key, names in PAPERS for name in names} | {SOLO}
    for measure in MEASURES:
        expected = central("--measure", measure)
        assert SOLO not in expected
        assert {name: scores[name][measure] for name in expected} == expected
        assert scores[SOLO][measure] == 0
