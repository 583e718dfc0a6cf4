"""Keyword topics in a real Neo4j: written with the papers, linked to the papers whose text has them, idempotent on
reload, asked for by `coauthor load --keyphrases`, and found by `experts`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from coauthor import cli
from graph.connection import Graph
from graph.errors import NotFound
from graph.model import name_key
from graph.words import singular
from graph.writer import WriteSummary, write_records
from loaders import read_inputs
from loaders.keyphrases import KIND
from queries.experts import find_experts
from queries.topics import find_topic

AS_OF = date(2026, 11, 27)

KEYWORD_LINKS = """
MATCH (p:Paper)-[:HAS_TOPIC]->(t:Topic {kind: $kind})
RETURN p.id AS paper, p.title AS title, coalesce(p.abstract_text, p.abstract, '') AS abstract, t.name AS name
"""
KEYWORD_TOPICS = "MATCH (t:Topic {kind: $kind}) RETURN count(t) AS topics"
PAPERS_WITHOUT_KEYWORDS = "MATCH (p:Paper) WHERE NOT (p)-[:HAS_TOPIC]->(:Topic {kind: $kind}) RETURN p.title AS title"
# The keyword topic on the most papers (ties broken by id), and the authors of those papers.
SHARED_KEYWORD = """
MATCH (t:Topic {kind: $kind})<-[:HAS_TOPIC]-(p:Paper)
WITH t, count(p) AS papers ORDER BY papers DESC, t.id LIMIT 1
MATCH (t)<-[:HAS_TOPIC]-(:Paper)<-[:AUTHORED]-(a:Author)
RETURN t.name AS name, papers, collect(DISTINCT a.id) AS authors
"""


def load(graph: Graph, paths: list[Path]) -> list[WriteSummary]:
    results = read_inputs(paths, as_of=AS_OF, keyphrases=True)
    return [write_records(graph, result.papers, result.profiles) for result in results]


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def works(shared_dir: Path) -> Path:
    return shared_dir / "data" / "openalex" / "works_list_11_results.json"


@pytest.fixture
def loaded(graph: Graph, seed_page: Path, works: Path) -> Graph:
    load(graph, [seed_page, works])
    return graph


def test_every_paper_gets_keyword_topics_made_of_its_own_words(loaded: Graph, works: Path):
    rows = loaded.read(KEYWORD_LINKS, kind=KIND)
    assert loaded.read(PAPERS_WITHOUT_KEYWORDS, kind=KIND) == []
    # the works that list authors (one without is noted, not loaded), one of them twice under one DOI
    authored = {(w["doi"] or w["id"]).lower() for w in json.loads(works.read_text())["results"] if w["authorships"]}
    assert len({row["paper"] for row in rows}) >= 7 + len(authored)  # and the 7 seed papers
    for row in rows:
        words = set(name_key(f"{row['title']} {row['abstract']}").split())
        words |= {singular(word) for word in words}
        assert set(name_key(row["name"]).split()) <= words, (row["title"], row["name"])


def test_keyword_topics_have_no_parent(loaded: Graph):
    rows = loaded.read("MATCH (t:Topic {kind: $kind})-[:SUBTOPIC_OF]-() RETURN count(*) AS links", kind=KIND)
    assert rows[0]["links"] == 0
    assert loaded.read(KEYWORD_TOPICS, kind=KIND)[0]["topics"] > 17


def test_reload_with_keyphrases_changes_nothing(loaded: Graph, seed_page: Path, works: Path):
    topics = loaded.read(KEYWORD_TOPICS, kind=KIND)
    for summary in load(loaded, [seed_page, works]):
        assert (summary.nodes_created, summary.relationships_created) == (0, 0)
    assert loaded.read(KEYWORD_TOPICS, kind=KIND) == topics


def test_experts_finds_the_authors_of_a_keyword_topic(loaded: Graph):
    shared = loaded.read(SHARED_KEYWORD, kind=KIND)[0]
    assert shared["papers"] >= 2
    found = find_experts(loaded, shared["name"], limit=100)
    assert found.topic.ids == (f"{KIND}:{name_key(shared['name'])}",)
    assert {expert.id for expert in found.experts} == set(shared["authors"])


def test_a_topic_named_in_the_plural_finds_the_singular_keyword(loaded: Graph):
    [row] = loaded.read(
        "MATCH (t:Topic {kind: $kind}) WHERE t.name =~ '[a-z ]+[a-rt-z]' AND size(t.name) > 6 "
        "RETURN t.id AS id, t.name AS name ORDER BY t.id LIMIT 1",
        kind=KIND,
    )
    plural = f"{row['name'].title()}s"
    assert find_topic(loaded, plural).ids == (row["id"],)
    with pytest.raises(NotFound):
        find_topic(loaded, f"{row['name']}zzs")


def test_cli_load_writes_keyword_topics_only_when_asked(graph: Graph, neo4j_env: dict[str, str], seed_page: Path):
    without = run("load", str(seed_page), "--as-of", "2026-11-27")
    assert without.exit_code == 0, without.output
    assert graph.read(KEYWORD_TOPICS, kind=KIND)[0]["topics"] == 0
    asked = run("load", str(seed_page), "--as-of", "2026-11-27", "--keyphrases")
    assert asked.exit_code == 0, asked.output
    assert graph.read(KEYWORD_TOPICS, kind=KIND)[0]["topics"] > 0
    assert graph.read(PAPERS_WITHOUT_KEYWORDS, kind=KIND) == []


def test_cli_experts_takes_a_keyword(graph: Graph, neo4j_env: dict[str, str], seed_page: Path):
    assert run("load", str(seed_page), "--as-of", "2026-11-27", "--keyphrases").exit_code == 0
    keyword = graph.read("MATCH (t:Topic {id: 'keyword:recursive likelihood ratio'}) RETURN t.name AS name")
    assert keyword == [{"name": "recursive likelihood ratio"}]
    answer = run("experts", "Recursive Likelihood Ratio", "--format", "json")
    assert answer.exit_code == 0, answer.output
    found = json.loads(answer.output)
    assert found["topic"]["ids"] == ["keyword:recursive likelihood ratio"]
    assert "Zishi Zhang" in {expert["name"] for expert in found["experts"]}
