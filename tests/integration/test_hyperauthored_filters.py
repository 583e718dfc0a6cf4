"""A hyperauthored paper (more than 100 authors) makes no COAUTHOR tie, and no filtered query recounts one from it:
every filter that keeps every paper gives the unfiltered answer, and the paper is never a tie, a hop or a hop's
paper."""

from __future__ import annotations

import pytest

from graph.connection import Graph
from graph.errors import NoPath
from graph.model import AuthorRef, Paper, TopicRef
from graph.paper_rows import HYPERAUTHORED
from graph.writer import write_records
from queries.authors import find_author
from queries.collaborators import ego_network, find_coauthors, joint_papers
from queries.paths import collaboration_paths
from queries.projection import ProjectionFilter, project_coauthors
from queries.recommend import recommend

PHYSICS = TopicRef("t:physics", "Physics", "test")
ADA, BOB, CY, EVE = "Ada Lovelace", "Bob Byron", "Cy Babbage", "Eve Somerville"
CROWD = [f"Qatest{n} Hyperauthorson" for n in range(1, HYPERAUTHORED + 3)]  # with Ada, Bob, Eve: 105 authors
BIG = "A survey by everyone"
EVERY_YEAR = {"since": 1990, "until": 2010}


def paper(title: str, year: int, names: list[str]) -> Paper:
    """A paper on physics; each author carries an id, so that names alone decide nothing here."""
    authors = tuple(AuthorRef(name, n, ids={"node": f"hyper/{name}"}) for n, name in enumerate(names, 1))
    return Paper(title, authors, "test", title, year=year, topics=(PHYSICS,))


# Ties of the papers: Ada - Bob - Cy - Eve, one paper each. Counted, the survey would tie Ada, Bob and Eve directly.
RECORDS = [
    paper(BIG, 2000, [ADA, BOB, EVE, *CROWD]),
    paper("Engines", 1999, [ADA, BOB]),
    paper("Looms", 2001, [BOB, CY]),
    paper("Cards", 2002, [CY, EVE]),
]


@pytest.fixture
def loaded(graph: Graph) -> Graph:
    write_records(graph, RECORDS)
    return graph


def ids(graph: Graph, *names: str) -> list[str]:
    return [find_author(graph, name).id for name in names]


def tie_rows(found) -> list[tuple]:
    """The coauthor list without the fractional weight (asked for or not)."""
    return [(c.id, c.name, c.weight, c.first_year, c.last_year) for c in found]


def test_the_survey_is_hyperauthored_and_ties_only_the_small_papers(loaded: Graph):
    rows = loaded.read(
        "MATCH (p:Paper {title: $title}) RETURN p.hyperauthored AS hyper, COUNT { (p)<-[:AUTHORED]-() } AS n", title=BIG
    )
    assert rows == [{"hyper": True, "n": len(CROWD) + 3}]
    ties = loaded.read("MATCH (a)-[c:COAUTHOR]->(b) RETURN a.name AS a, b.name AS b, c.weight AS w ORDER BY a, b")
    assert {(row["a"], row["b"], row["w"]) for row in ties} == {(ADA, BOB, 1), (BOB, CY, 1), (CY, EVE, 1)}


@pytest.mark.parametrize("window", [{"since": 1990}, {"until": 2010}, EVERY_YEAR, {"fractional": True}])
@pytest.mark.parametrize("name", [ADA, BOB, EVE, CROWD[0]])
def test_filtered_coauthors_are_the_unfiltered_ones(loaded: Graph, name: str, window: dict):
    plain = find_coauthors(loaded, name)
    filtered = find_coauthors(loaded, name, **window)
    assert tie_rows(filtered) == tie_rows(plain)
    assert len(plain) == {ADA: 1, BOB: 2, EVE: 1, CROWD[0]: 0}[name]
    if window.get("fractional"):
        assert [c.fractional for c in filtered] == [1.0] * len(plain)  # two-author papers only


@pytest.mark.parametrize("name", [ADA, EVE, CROWD[0]])
@pytest.mark.parametrize("depth", [1, 2])
def test_an_ego_network_since_a_year_before_every_paper_is_the_whole_one(loaded: Graph, name: str, depth: int):
    whole = ego_network(loaded, name, depth=depth)
    since = ego_network(loaded, name, depth=depth, since=1990)
    assert (since.nodes, since.edges, since.reachable) == (whole.nodes, whole.edges, whole.reachable)
    assert len(whole.nodes) == {ADA: depth + 1, EVE: depth + 1, CROWD[0]: 1}[name]


@pytest.mark.parametrize("as_of", [None, 2010])
def test_paths_never_hop_through_the_survey(loaded: Graph, as_of: int | None):
    found = collaboration_paths(loaded, ADA, EVE, all_paths=True, as_of=as_of)
    chain = [found.paths[0].hops[0].source, *(hop.target for hop in found.paths[0].hops)]
    assert (found.length, len(found.paths), chain) == (3, 1, ids(loaded, ADA, BOB, CY, EVE))
    shown = [([p.title for p in hop.papers], hop.paper_count) for hop in found.paths[0].hops]
    assert shown == [(["Engines"], 1), (["Looms"], 1), (["Cards"], 1)]
    with pytest.raises(NoPath, match="not connected"):
        collaboration_paths(loaded, ADA, CROWD[0], as_of=as_of)


@pytest.mark.parametrize("until", [None, 2010])
def test_joint_papers_leave_out_the_survey(loaded: Graph, until: int | None):
    ada, bob, eve, crowd = ids(loaded, ADA, BOB, EVE, CROWD[0])
    found = joint_papers(loaded, [(ada, bob), (ada, eve), (bob, crowd)], until=until)
    assert {pair: [p.title for p in papers] for pair, papers in found.items()} == {(ada, bob): ["Engines"]}


def test_recommendations_explain_with_the_papers_of_the_ties(loaded: Graph):
    [best] = recommend(loaded, ADA, limit=1)
    [via] = best.shared_coauthors
    assert (best.name, via.name) == (CY, BOB)
    assert ([p.title for p in via.with_author], [p.title for p in via.with_candidate]) == (["Engines"], ["Looms"])


@pytest.mark.parametrize(
    "where",
    [
        {"first_year": 1990},
        {"last_year": 2010},
        {"first_year": 1990, "last_year": 2010},
        {"topic": "Physics"},
        {"first_year": 1990, "min_weight": 1},
    ],
)
@pytest.mark.parametrize("around", [None, ADA, EVE])
def test_filtered_projections_are_the_unfiltered_one(loaded: Graph, where: dict, around: str | None):
    plain = project_coauthors(loaded, ProjectionFilter(around=around, hops=3))
    filtered = project_coauthors(loaded, ProjectionFilter(around=around, hops=3, **where))
    assert (filtered.ids, filtered.edges()) == (plain.ids, plain.edges())
    assert plain.ids == tuple(sorted(ids(loaded, ADA, BOB, CY, EVE)))
    assert len(plain.edges()) == 3


def test_the_survey_year_projects_only_the_small_paper_of_that_window(loaded: Graph):
    window = ProjectionFilter(first_year=1999, last_year=2000)
    ada, bob = ids(loaded, ADA, BOB)
    assert project_coauthors(loaded, window).edges() == [(*sorted([ada, bob]), 1.0)]
    around = project_coauthors(loaded, ProjectionFilter(first_year=1999, last_year=2000, around=CROWD[0]))
    assert (around.ids, around.edges()) == (tuple(ids(loaded, CROWD[0])), [])
