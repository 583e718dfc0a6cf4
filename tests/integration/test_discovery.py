"""Collaborator discovery on a real Neo4j: the seed profile pages and a small graph of known shape, every answer
compared with networkx on an export of the graph (test_discovery_oracle), plus the behaviours around them."""

from __future__ import annotations

import re
from datetime import date
from itertools import product
from pathlib import Path

import pytest
from test_discovery_oracle import (
    Export,
    check_coauthors,
    check_experts,
    check_paths,
    check_profile,
    check_recommend,
    check_similar,
    export,
    papers_with_word,
)

from graph.connection import Graph
from graph.errors import AmbiguousName, InputError, NoPath, NotFound, SameAuthor
from graph.model import AuthorRef, Paper, TopicRef
from graph.writer import write_records
from loaders import read_file
from queries.authors import find_author
from queries.paths import collaboration_paths
from queries.profile import author_profile
from queries.recency import decay
from queries.recommend import recommend
from queries.search import search_papers
from queries.topics import find_topic

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
AS_OF = date(2026, 11, 27)

SCIENCE = TopicRef("t:science", "Science", "test")
ML = TopicRef("t:ml", "Machine Learning", "test", parent=SCIENCE)
DEEP = TopicRef("t:deep", "Deep Learning", "test", parent=ML)
BIO = TopicRef("t:bio", "Biology", "test", parent=SCIENCE)
CAFE = TopicRef("t:cafe", "Café Studies", "test")


def paper(title: str, year: int, names: list[str], topics: tuple[TopicRef, ...], citations: int | None = None):
    authors = tuple(
        AuthorRef(name.split("#")[0], position, ids={"orcid": name.split("#")[1]} if "#" in name else {})
        for position, name in enumerate(names, start=1)
    )
    return Paper(title, authors, "test", title, year=year, topics=topics, citations=citations)


SMALL = [
    paper("Learning one", 2010, ["Ana", "Ben"], (ML,), 10),
    paper("Deep two", 2012, ["Ben", "Cleo"], (DEEP,), 8),
    paper("Cells three", 2015, ["Ana", "Dan"], (BIO,), 5),
    paper("Learning four", 2018, ["Dan", "Cleo"], (ML,), 4),
    paper("Deep five", 2020, ["Cleo", "Eva", "Finn"], (DEEP,), 3),
    paper("Cells six", 2021, ["Eva", "Gus"], (BIO,)),
    paper("Cells seven", 2022, ["Gus", "Hana"], (BIO,)),
    paper("Coffee eight", 2019, ["Ivo", "Jana", "Zoë Ångström"], (CAFE,)),
    paper("Deep nine", 2023, ["Ben", "Dan", "Eva"], (DEEP, ML), 0),  # two topics of one scope: counted once
    paper("Learning ten", 2016, ["Ana", "Ben"], (ML,), 3),
    paper("Learning eleven", 2017, ["Li Wei#0000-0001", "Ana"], (ML,)),
    paper("Coffee twelve", 2024, ["Li Wei#0000-0002", "Ivo"], (CAFE,)),
]


@pytest.fixture
def seeded(graph: Graph, seed_page: Path) -> Graph:
    for path in (seed_page, FIXTURES / "profile_tao_ren.txt"):
        result = read_file(path, as_of=AS_OF)
        write_records(graph, result.papers, result.profiles)
    return graph


@pytest.fixture
def small(graph: Graph) -> Graph:
    write_records(graph, SMALL)
    return graph


@pytest.fixture(params=["seeded", "small"])
def loaded(request: pytest.FixtureRequest) -> tuple[Graph, Export]:
    graph = request.getfixturevalue(request.param)
    return graph, export(graph)


def test_recommendations_match_networkx(loaded: tuple[Graph, Export]):
    graph, exp = loaded
    counts = [
        check_recommend(graph, exp, author, depth=depth, since=since)
        for author, depth, since in product(exp.authors(), (2, 3), (None, 2015, 2019, 2025, 2026))
    ]
    assert sum(counts) > 20  # the comparison is not vacuous


def test_paths_match_networkx_for_every_pair(loaded: tuple[Graph, Export]):
    graph, exp = loaded
    distances = {
        check_paths(graph, exp, a, b, as_of=as_of)
        for a, b in product(exp.authors(), repeat=2)
        for as_of in (None, 2015, 2025)
    }
    assert {None, 0, 1, 2} <= distances


def test_coauthor_windows_and_fractional_counts_match(loaded: tuple[Graph, Export]):
    graph, exp = loaded
    for author, (since, until) in product(exp.authors(), [(None, None), (2016, None), (None, 2020), (2015, 2025)]):
        check_coauthors(graph, exp, author, since=since, until=until)


def test_experts_similar_and_profiles_match(loaded: tuple[Graph, Export]):
    graph, exp = loaded
    for topic in exp.topic_names.keys() | set(exp.tree):
        check_experts(graph, exp, topic)
    for author in exp.authors():
        check_similar(graph, exp, author)
        check_similar(graph, exp, author, include_coauthors=True)
        check_profile(graph, exp, author)


def test_recommendation_explains_with_joint_papers(seeded: Graph):
    best = recommend(seeded, "Yijie Peng", limit=1)[0]
    assert (best.name, best.hops, best.shared_coauthor_count) == ("Zehao Li", 2, 2)
    via = {
        s.name: ([p.title for p in s.with_author], [p.title for p in s.with_candidate]) for s in best.shared_coauthors
    }
    low_rank = "Optimal low-rank stochastic gradient estimation for LLM training"
    assert via == {
        "Tao Ren": (["A Written Fixture Paper on Stochastic Optimization"], [low_rank]),
        "Zishi Zhang": ([_title_starting(seeded, "Sample-Efficient")], [low_rank]),
    }
    assert set(best.parts) == {"aa", "ra", "cn", "topic", "recency", "combined"}
    assert best.score == best.parts["combined"]


def test_recommendation_topic_focus_keeps_subtopics(small: Graph):
    everyone = {r.name for r in recommend(small, "Ana", depth=3, limit=50)}
    deep = {r.name for r in recommend(small, "Ana", depth=3, topic="Machine Learning", limit=50)}
    assert everyone == {"Cleo", "Eva", "Finn", "Gus"}
    assert deep == {"Cleo", "Eva", "Finn"}  # Gus wrote only on Biology; Deep Learning counts as Machine Learning
    assert recommend(small, "Ana", since=2019) == []  # all of Ana's ties are older


def test_path_as_of_and_bounds(small: Graph):
    chain = collaboration_paths(small, "Ana", "Finn", all_paths=True)
    assert (chain.length, len(chain.paths), chain.more) == (3, 4, False)
    assert {hop.papers[0].title for hop in (p.hops[0] for p in chain.paths)} == {"Learning ten", "Cells three"}
    bounded = collaboration_paths(small, "Ana", "Finn", all_paths=True, limit=3)
    assert (len(bounded.paths), bounded.more) == (3, True)
    early = collaboration_paths(small, "Ana", "Cleo", as_of=2015)
    assert [hop.target_name for hop in early.paths[0].hops] == ["Ben", "Cleo"]
    assert [p.title for p in early.paths[0].hops[0].papers] == ["Learning one"]  # 2016's paper is later
    with pytest.raises(NoPath, match="not connected by papers up to 2015"):
        collaboration_paths(small, "Ana", "Eva", as_of=2015)
    with pytest.raises(NoPath, match="between Ana and Hana has 4 hops, more than 2") as too_long:
        collaboration_paths(small, "Ana", "Hana", max_hops=2)
    assert "raise --max-hops" in too_long.value.hint
    with pytest.raises(NoPath, match="are not connected"):
        collaboration_paths(small, "Ana", "Ivo")


def test_a_path_from_an_author_to_themself_is_a_usage_error(small: Graph):
    for other in ("Ana", "ana", "name:ana"):
        with pytest.raises(SameAuthor, match=f"'Ana' and '{other}' are the same author \\(name:ana\\)") as same:
            collaboration_paths(small, "Ana", other)
        assert same.value.exit_code == 2


def test_topics_are_named_forgivingly(small: Graph):
    assert find_topic(small, "machine-LEARNING").ids == ("t:ml",)
    assert find_topic(small, "cafe studies").ids == ("t:cafe",)
    assert find_topic(small, "ml").ids == ("t:ml",)  # the id without its prefix
    assert set(find_topic(small, "t:science").scope) == {"t:science", "t:ml", "t:deep", "t:bio"}
    with pytest.raises(NotFound) as unknown:
        find_topic(small, "Machine Lerning")
    assert unknown.value.suggestions[0] == "Machine Learning (t:ml)"


def test_name_resolution_order_and_candidates(small: Graph):
    assert find_author(small, "zoe angstrom").name == "Zoë Ångström"  # by name key
    assert find_author(small, "orcid:0000-0002").name == "Li Wei"  # by id
    with pytest.raises(AmbiguousName) as ambiguous:
        find_author(small, "Li Wei")
    assert sorted(ambiguous.value.candidates) == [
        "Li Wei (orcid:0000-0001, 1 papers, 2017-2017, top topic Machine Learning)",
        "Li Wei (orcid:0000-0002, 1 papers, 2024-2024, top topic Café Studies)",
    ]
    small.write("CREATE (:Author {id: 'x:1', name: 'LI WEI', name_key: 'li wei'})")
    assert find_author(small, "LI WEI").id == "x:1"  # an exact name beats folded namesakes
    with pytest.raises(NotFound) as missing:
        find_author(small, "Cleoo")
    assert "Cleo" in missing.value.suggestions


def test_profile_reports_seed_metrics_with_their_source(seeded: Graph, seed_page: Path):
    text = seed_page.read_text(encoding="utf-8")
    page = {
        "h_index": int(re.search(r"h-index(\d+)", text).group(1)),
        "citations": int(re.search(r"(\d+)citations", text).group(1)),
        "ai_score": int(re.search(r"AI Score(\d+)", text).group(1)),
    }
    profile = author_profile(seeded, "Zishi Zhang")
    assert {key: profile.reported[key] for key in page} == page
    assert profile.reported_by == f"{seed_page.name}:1"
    assert profile.h_index is None  # the page gives no per-paper citation counts


def test_small_graph_h_index(small: Graph):
    assert author_profile(small, "Ana").h_index == 3  # citations 10, 5, 3 and one unknown
    assert author_profile(small, "Hana").h_index is None


def test_search_finds_words_and_takes_text_literally(seeded: Graph):
    for word in ("diffusion", "LLM", "spirituality"):
        assert {hit.id for hit in search_papers(seeded, word)} == papers_with_word(seeded, word)
    top = search_papers(seeded, "RiskPO: (Risk-based")[0]
    assert (top.title[:7], top.authors) == ("RiskPO:", ("Tao Ren", "Jinyang Jiang", "Hui Yang", "Zishi Zhang"))
    for hostile in ('"unbalanced', "AND OR NOT", "*", "a\\", "title:x ~2 ^3 [a TO b]", "/regex/", "x && y || !z"):
        search_papers(seeded, hostile)  # Lucene would refuse every one of these unescaped
    with pytest.raises(InputError):
        search_papers(seeded, "   ")


def test_search_ignores_accents_and_case_and_ranks_the_spelling_typed_first(graph: Graph):
    titles = ["Korunan Alanlarin Sürdürülebilir Finansmani", "Surdurulebilir kalkinma", "Die Straße der Daten", "Other"]
    write_records(graph, [Paper(title, (AuthorRef("Ana", 1),), "test", title, year=2020) for title in titles])

    def found(text: str) -> list[str]:
        return [hit.title for hit in search_papers(graph, text)]

    for text in ("Surdurulebilir", "sürdürülebilir", "SÜRDÜRÜLEBİLİR", "surdurulebilir-"):
        assert sorted(found(text)) == sorted(titles[:2]), text
    assert found("Sürdürülebilir")[0] == titles[0]
    assert found("Surdurulebilir")[0] == titles[1]
    assert found("strasse") == found("STRAßE") == [titles[2]]
    assert sorted(found("Finansman\u0131 KALKINMA")) == sorted(titles[:2])  # Turkish dotless i, each word


def test_search_finds_text_written_decomposed_and_typed_either_way(graph: Graph):
    decomposed = "Mu\u0308ller und die Gro\u0308\u00dfe"  # u, o + combining diaeresis, as some sources write them
    author = AuthorRef("Jo\u0308rg Mu\u0308ller", 1, affiliation="Universita\u0308t Wu\u0308rzburg")
    write_records(graph, [Paper(decomposed, (author,), "test", "decomposed", year=2020, venue="Zu\u0308rich")])
    stored = graph.read(
        "MATCH (a:Author)-[r:AUTHORED]->(p:Paper) RETURN p.title AS title, p.venue AS venue, a.name AS name, "
        "a.names AS names, r.affiliation AS affiliation"
    )
    assert stored == [
        {
            "title": "Müller und die Größe",
            "venue": "Zürich",
            "name": "Jörg Müller",
            "names": ["Jörg Müller"],
            "affiliation": "Universität Würzburg",
        }
    ]
    for typed in ("Müller", "Mu\u0308ller", "muller", "MÜLLER"):
        assert [hit.title for hit in search_papers(graph, typed)] == ["Müller und die Größe"], typed


def test_recency_weights_halve_every_five_years():
    assert [decay(year, 2025) for year in (2025, 2020, 2015, None)] == [1.0, 0.5, 0.25, 1.0]
    assert decay(2030, 2025) == 1.0  # a year after the reference is not worth more than a current one


def _title_starting(graph: Graph, prefix: str) -> str:
    return graph.read("MATCH (p:Paper) WHERE p.title STARTS WITH $prefix RETURN p.title AS t", prefix=prefix)[0]["t"]
