"""Projections, communities, stored runs and centrality against a real Neo4j, on hand-built and real data."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from datetime import date
from pathlib import Path

import click
import networkx as nx
import pytest
from click.testing import CliRunner

from coauthor import cli
from coauthor.base import ordered_years
from graph.connection import Graph
from graph.model import AuthorRef, Paper, Tie, TopicRef
from graph.writer import delete_everything, write_records
from loaders import FORMATS, read_file
from queries.communities import detect_communities, read_run, write_run
from queries.projection import Projection, ProjectionFilter, project_coauthors
from queries.themes import find_themes, theme_mix

AS_OF = date(2026, 11, 27)
CS = TopicRef("arxiv:cs", "Computer Science", "arxiv_archive")
LG = TopicRef("arxiv:cs.LG", "Machine Learning", "arxiv_category", parent=CS)
CV = TopicRef("arxiv:cs.CV", "Computer Vision and Pattern Recognition", "arxiv_category", parent=CS)
ME = TopicRef(
    "arxiv:stat.ME", "Methodology", "arxiv_category", parent=TopicRef("arxiv:stat", "Statistics", "arxiv_archive")
)


def paper(title: str, year: int, topics: TopicRef | tuple[TopicRef, ...], *names: str) -> Paper:
    # Each name is one person (a source id says so): these tests are about projections, not author identity.
    authors = tuple(AuthorRef(name, position, ids={"s2": name}) for position, name in enumerate(names, start=1))
    topics = topics if isinstance(topics, tuple) else (topics,)
    return Paper(title, authors, source="test", source_ref=title, year=year, topics=topics)


@pytest.fixture
def small(graph: Graph) -> Graph:
    """Ann-Bob 2010 and 2012 (LG), Ann-Bob-Cid 2012 (LG), Cid-Dan 2015 (ME), Dan-Eve 2020 (CV), Eve-Fay tie of 3."""
    papers = [
        paper("P1", 2010, LG, "Ann", "Bob"),
        paper("P2", 2012, LG, "Ann", "Bob", "Cid"),
        paper("P3", 2015, ME, "Cid", "Dan"),
        paper("P4", 2020, CV, "Dan", "Eve"),
    ]
    tie = Tie(AuthorRef("Eve", 1), AuthorRef("Fay", 1), 3.0, source="test", source_ref="tie")
    write_records(graph, papers, ties=[tie])
    return graph


def edges(graph: Graph, **where) -> set[tuple[str, str, float]]:
    projection = project_coauthors(graph, ProjectionFilter(**where), page_size=2)  # several pages on six authors
    return {(a.removeprefix("name:"), b.removeprefix("name:"), w) for a, b, w in projection.edges()}


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (
            {},
            {
                ("ann", "bob", 2),
                ("ann", "cid", 1),
                ("bob", "cid", 1),
                ("cid", "dan", 1),
                ("dan", "eve", 1),
                ("eve", "fay", 3),
            },
        ),
        (
            {"first_year": 2011},
            {("ann", "bob", 1), ("ann", "cid", 1), ("bob", "cid", 1), ("cid", "dan", 1), ("dan", "eve", 1)},
        ),
        (
            {"first_year": 2011, "last_year": 2015},
            {("ann", "bob", 1), ("ann", "cid", 1), ("bob", "cid", 1), ("cid", "dan", 1)},
        ),
        ({"last_year": 2010}, {("ann", "bob", 1)}),
        ({"min_weight": 2}, {("ann", "bob", 2), ("eve", "fay", 3)}),
        ({"topic": "arxiv:cs"}, {("ann", "bob", 2), ("ann", "cid", 1), ("bob", "cid", 1), ("dan", "eve", 1)}),
        ({"topic": "cs.LG", "min_weight": 2}, {("ann", "bob", 2)}),
        ({"around": "Ann", "hops": 1}, {("ann", "bob", 2), ("ann", "cid", 1), ("bob", "cid", 1)}),
        ({"around": "Ann", "hops": 2}, {("ann", "bob", 2), ("ann", "cid", 1), ("bob", "cid", 1), ("cid", "dan", 1)}),
        ({"around": "Fay", "hops": 2}, {("dan", "eve", 1), ("eve", "fay", 3)}),
        ({"around": "Ann", "hops": 3, "min_weight": 2}, {("ann", "bob", 2)}),
        ({"around": "Eve", "hops": 1, "last_year": 2016}, set()),
    ],
)
def test_projection_filters_return_exactly_the_expected_edges(small: Graph, where: dict, expected: set):
    assert edges(small, **where) == expected


def test_a_neighbourhood_without_ties_still_holds_its_author(small: Graph):
    projection = project_coauthors(small, ProjectionFilter(around="Eve", hops=1, last_year=2016))
    assert projection.ids == ("name:eve",)


def test_any_number_of_hops_ends_once_everyone_reachable_is_read(small: Graph):
    """--hops 2**63-1 is accepted by the CLI: the walk must stop when no one new is left, not count the hops."""
    assert edges(small, around="Ann", hops=2**63 - 1) == edges(small, around="Ann", hops=50)


def test_unknown_topic_or_author_is_not_found(small: Graph):
    from graph.errors import NotFound

    with pytest.raises(NotFound, match="no topic"):
        project_coauthors(small, ProjectionFilter(topic="astro-ph.GA"))
    with pytest.raises(NotFound, match="Zed"):
        project_coauthors(small, ProjectionFilter(around="Zed"))


TH = TopicRef("arxiv:stat.TH", "Statistics Theory", "arxiv_category", parent=ME.parent)


@pytest.mark.usefixtures("neo4j_env")
def test_topics_sharing_papers_form_themes_and_an_author_mixes_them(graph: Graph):
    papers = [
        paper("T1", 2020, (LG, CV), "Ann", "Bob"),
        paper("T2", 2021, (LG, CV), "Ann"),
        paper("T3", 2021, (ME, TH), "Ann", "Cid"),
        paper("T4", 2022, (ME, TH), "Cid"),
        paper("T5", 2022, (ME, TH), "Dan"),
    ]
    write_records(graph, papers)
    found = find_themes(graph, seed=2)
    assert [theme.topics for theme in found.themes] == [  # two topics each: the one with the smaller id first
        ("Computer Vision and Pattern Recognition", "Machine Learning"),
        ("Methodology", "Statistics Theory"),
    ]
    assert [theme.papers for theme in found.themes] == [2, 3]  # distinct papers, not paper-topic assignments
    assert theme_mix(graph, found, "Ann") == {1: pytest.approx(4 / 6), 2: pytest.approx(2 / 6)}
    code, out = invoke("communities", "themes", "--author", "Cid", "--format", "json")
    assert code == 0
    assert json.loads(out) == [{"theme": 2, "share": 1.0, "topics": ["Methodology", "Statistics Theory"]}]
    code, out = invoke("communities", "themes", "--seed", "2", "--format", "json")
    assert [(theme["id"], theme["topics"]) for theme in json.loads(out)] == [
        (1, ["Computer Vision and Pattern Recognition", "Machine Learning"]),
        (2, ["Methodology", "Statistics Theory"]),
    ]
    code, out = invoke("communities", "themes", "--author", "Cid", "--format", "csv")
    assert out.splitlines() == ["theme,share,topics", "2,1.0,Methodology; Statistics Theory"]


@pytest.mark.usefixtures("neo4j_env")
def test_a_topic_of_a_single_paper_labels_no_community_of_several_papers(graph: Graph):
    papers = [
        paper("L1", 2020, (LG, ME), "Ann", "Bob"),
        paper("L2", 2021, LG, "Ann", "Bob"),
        paper("L3", 2021, CV, "Bob", "Cid"),
        paper("S1", 2022, (CV, TH), "Dan", "Eve"),  # the only paper of its community
    ]
    write_records(graph, papers)
    code, out = invoke("communities", "--format", "json")
    assert code == 0
    assert [(c["size"], c["top_topics"]) for c in json.loads(out)["communities"]] == [
        (3, ["Machine Learning"]),  # Methodology and Computer Vision rest on one paper each (of three)
        (2, ["Statistics Theory", "Computer Vision and Pattern Recognition"]),
    ]


def load(graph: Graph, path: Path) -> None:
    result = read_file(path, as_of=AS_OF)
    write_records(graph, result.papers, result.profiles, result.ties, batch_size=2000)


def by_author(projection: Projection, membership: tuple[int, ...]) -> dict[str, int]:
    return dict(zip(projection.ids, membership, strict=True))


def test_same_seed_gives_the_same_communities_after_a_reload(graph: Graph, seed_page: Path):
    load(graph, seed_page)
    first = project_coauthors(graph)
    before = by_author(first, detect_communities(first, seed=5).membership)
    assert by_author(first, detect_communities(first, seed=5).membership) == before
    delete_everything(graph)
    load(graph, seed_page)
    again = project_coauthors(graph)
    assert by_author(again, detect_communities(again, seed=5).membership) == before
    assert len(before) == 13  # the seed page's 13 authors (tests/integration/test_seed_graph.py)


def run_members(graph: Graph) -> dict[str, int]:
    rows = graph.read(
        "MATCH (r:CommunityRun)<-[:IN_RUN]-(:Community)<-[m:MEMBER_OF]-(:Author) RETURN r.name AS run, count(m) AS n"
    )
    return {row["run"]: row["n"] for row in rows}


def test_runs_persist_side_by_side_and_a_rerun_replaces_only_its_own(graph: Graph, seed_page: Path):
    load(graph, seed_page)
    projection = project_coauthors(graph)
    fine = detect_communities(projection, resolution=2.0, seed=1)
    coarse = detect_communities(projection, "louvain", resolution=0.5, seed=1)
    write_run(graph, "fine", projection, fine)
    write_run(graph, "coarse", projection, coarse)
    assert run_members(graph) == {"fine": 13, "coarse": 13}
    stored = read_run(graph, "coarse")
    assert stored.membership == by_author(projection, coarse.membership)
    assert (stored.algorithm, stored.parameters["resolution"]) == ("louvain", 0.5)
    assert stored.modularity == pytest.approx(coarse.modularity)

    write_run(graph, "fine", projection, detect_communities(projection, "wcc"))
    assert run_members(graph) == {"fine": 13, "coarse": 13}
    assert read_run(graph, "fine").algorithm == "wcc"
    assert set(read_run(graph, "fine").membership.values()) == {1}
    assert read_run(graph, "coarse").membership == stored.membership
    communities = graph.read("MATCH (c:Community {run: 'fine'}) RETURN c.id AS id, c.size AS size")
    assert communities == [{"id": "fine/1", "size": 13}]


def stored_run_sizes(graph: Graph, run: str) -> list[int]:
    return [row["size"] for row in graph.read("MATCH (c:Community {run: $run}) RETURN c.size AS size", run=run)]


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout


@pytest.mark.usefixtures("neo4j_env")
def test_cli_communities_json_write_show_and_bridges(graph: Graph, seed_page: Path):
    load(graph, seed_page)
    code, out = invoke("communities", "--seed", "3", "--write", "seed-run", "--format", "json")
    assert code == 0
    answer = json.loads(out)
    assert {"algorithm", "parameters", "modularity", "communities"} <= answer.keys()
    assert (answer["algorithm"], answer["parameters"]["seed"]) == ("leiden", 3)
    sizes = [community["size"] for community in answer["communities"]]
    assert sizes == sorted(sizes, reverse=True) and sum(sizes) == 13
    assert answer["communities"][0]["top_authors"][0] == "Zishi Zhang"  # the page's owner coauthored every paper
    assert all(community["first_year"] <= community["last_year"] for community in answer["communities"])

    stored = read_run(graph, "seed-run")
    projection = project_coauthors(graph)
    partition = [{a for a, n in stored.membership.items() if n == number} for number in set(stored.membership.values())]
    assert answer["modularity"] == pytest.approx(
        nx.community.modularity(projection.to_networkx(), partition, weight="weight")
    )

    code, out = invoke("communities", "--seed", "3", "--limit", "1", "--format", "json")
    limited = json.loads(out)
    assert len(limited["communities"]) == 1 < limited["community_count"] == len(stored_run_sizes(graph, "seed-run"))

    code, out = invoke("community", "show", "seed-run", "1", "--format", "json")
    shown = json.loads(out)
    assert code == 0 and shown["size"] == sizes[0] and 0 < shown["density"] <= 1
    code, out = invoke("community", "show", "seed-run", "1", "--limit", "3", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and list(rows[0]) == ["role", "name", "score", "id"]
    members = [row["id"] for row in rows if row["role"] == "member"]
    assert members == [m["id"] for m in shown["members"][:3]]
    assert {row["role"] for row in rows} <= {"member", "bridge"}
    code, out = invoke("central", "--run", "seed-run", "--format", "json")
    bridges = json.loads(out)
    assert code == 0 and bridges[0]["name"] == "Zishi Zhang"
    assert all(bridge["cross_ties"] >= 1 for bridge in bridges)


@pytest.mark.usefixtures("neo4j_env")
def test_cli_sweep_central_and_missing_run(graph: Graph, seed_page: Path):
    load(graph, seed_page)
    code, out = invoke("communities", "sweep", "--resolutions", "0.5,1", "--seeds", "3", "--format", "json")
    assert code == 0
    assert [row["resolution"] for row in json.loads(out)] == [0.5, 1.0]
    code, out = invoke("central", "--measure", "strength", "--limit", "2", "--format", "csv")
    assert code == 0
    assert out.splitlines()[0] == "name,score,id"
    assert out.splitlines()[1].startswith("Zishi Zhang,")
    result = CliRunner().invoke(cli, ["community", "show", "no-such-run", "1"])
    assert result.exit_code == 7


@pytest.mark.parametrize(
    "args",
    [
        ("communities", "--resolution", "-1"),
        ("communities", "--resolution", "nan"),
        ("communities", "--resolution", "inf"),
        ("communities", "sweep", "--resolutions", "0.5,-1"),
        ("communities", "themes", "--resolution", "nan"),
        ("viz", "communities", "--resolution", "-0.5", "-o", "never.html"),
        ("viz", "topics", "--resolution", "nan", "-o", "never.html"),
        ("communities", "--algorithm", "louvain", "--objective", "cpm"),
        ("communities", "sweep", "--algorithm", "louvain", "--objective", "cpm"),
        ("communities", "--algorithm", "wcc", "--resolution", "2"),
        ("communities", "--write", " "),
        ("communities", "--since", "2020", "--until", "2010"),
        ("central", "--until", "2010", "--since", "2020"),
        ("coauthors", "Ann", "--since", "2021", "--until", "2020"),
        ("communities", "--seed", "-1"),
        ("communities", "sweep", "--seed", str(2**63)),
        ("central", "--seed", "99999999999999999999999"),
        ("viz", "communities", "--seed", "-3", "-o", "never.html"),
    ],
)
def test_meaningless_community_options_are_usage_errors(args: tuple[str, ...]):
    result = CliRunner().invoke(cli, list(args))  # refused before any connection: no server is needed
    assert result.exit_code == 2, result.output


def test_a_year_window_ending_before_it_starts_says_so():
    result = CliRunner().invoke(cli, ["central", "--until", "2010", "--since", "2020"])
    assert "--since 2020 is after --until 2010: no year is in between" in result.output


def test_a_year_window_of_one_year_is_kept():
    @click.command()
    @click.option("--since", type=int, callback=ordered_years)
    @click.option("--until", type=int, callback=ordered_years)
    def window(since: int, until: int) -> None:
        click.echo(f"{since}-{until}")

    assert CliRunner().invoke(window, ["--until", "2010", "--since", "2010"]).output == "2010-2010\n"
    assert CliRunner().invoke(window, ["--until", "2010", "--since", "2011"]).exit_code == 2


def test_a_resolution_must_be_a_finite_number_of_zero_or_more():
    result = CliRunner().invoke(cli, ["communities", "--resolution", "nan"])
    assert "'nan' is not a finite number of 0 or more" in result.output
    with pytest.raises(ValueError, match="resolution"):
        detect_communities(Projection.from_edges([("a", "b", 1.0)]), resolution=-1)


def test_netscience_communities_are_exact_and_deterministic(graph: Graph, shared_dir: Path):
    if "gml" not in FORMATS:
        pytest.skip("the gml loader is not registered yet")
    path = shared_dir / "data" / "newman_gml" / "netscience.gml"
    load(graph, path)
    projection = project_coauthors(graph)
    text = path.read_text()
    linked = set(re.findall(r"\bsource (\d+)", text)) | set(re.findall(r"\btarget (\d+)", text))
    assert (len(projection.ids), projection.edge_count) == (len(linked), 2742)  # 2,742 edges: PROVENANCE.md
    partition = detect_communities(projection, seed=42)
    assert detect_communities(projection, seed=42).membership == partition.membership
    found = [{projection.ids[v] for v in partition.members(n)} for n in range(1, len(partition.sizes) + 1)]
    network = projection.to_networkx()
    assert partition.modularity == pytest.approx(nx.community.modularity(network, found, weight="weight"))
    assert len(partition.sizes) >= nx.number_connected_components(network)  # no community spans two components


@pytest.mark.usefixtures("neo4j_env")
def test_grqc_projection_counts_and_sampled_betweenness(graph: Graph, shared_dir: Path):
    if "snap" not in FORMATS:
        pytest.skip("the SNAP edge-list loader is not registered yet")
    path = shared_dir / "data" / "snap" / "ca-GrQc.txt.gz"
    load(graph, path)
    projection = project_coauthors(graph)
    with gzip.open(path, "rt") as lines:
        pairs = [line.split() for line in lines if not line.startswith("#")]
    linked = {node for a, b in pairs if a != b for node in (a, b)}
    assert (len(projection.ids), projection.edge_count) == (len(linked), 14_496 - 12)  # PROVENANCE: 12 self-loops
    key = "node:ca-GrQc/{}".format
    expected = {tuple(sorted((key(a), key(b)))) for a, b in pairs if a != b}
    assert {(a, b) for a, b, weight in projection.edges() if weight == 1.0} == expected
    partition = detect_communities(projection, seed=1)
    assert detect_communities(projection, seed=1).membership == partition.membership
    code, out = invoke("central", "--measure", "betweenness", "--limit", "3", "--samples", "200", "--format", "json")
    answer = json.loads(out)
    assert code == 0
    assert answer["method"] == f"sampled: 200 of {len(linked)} source authors (seed 42), in hops"
    assert len(answer["authors"]) == 3
