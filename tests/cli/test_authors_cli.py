"""`coauthor authors` against a real Neo4j: show, duplicates, and manual merge/split decisions that survive a
reload, with COAUTHOR ties checked against the AUTHORED relationships after each change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from coauthor import cli
from graph.connection import Graph

STORED_TIES = """
MATCH (a:Author)-[c:COAUTHOR]->(b:Author) WHERE NOT c.without_papers
RETURN a.id AS a, b.id AS b, c.weight AS weight, c.first_year AS first, c.last_year AS last ORDER BY a, b
"""
TIES_FROM_AUTHORED = """
MATCH (a:Author)-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(b:Author) WHERE a.id < b.id
RETURN a.id AS a, b.id AS b, count(DISTINCT p) AS weight, min(p.year) AS first, max(p.year) AS last ORDER BY a, b
"""
SAMPLE_EFFICIENT = "MATCH (p:Paper) WHERE p.title STARTS WITH 'Sample-Efficient' RETURN p.id AS id"


def run(*args: str, code: int = 0):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


@pytest.fixture
def loaded(graph: Graph, neo4j_env: dict[str, str], seed_page: Path) -> Graph:
    run("load", str(seed_page), "--as-of", "2026-11-27")
    return graph


def reload(seed_page: Path) -> None:
    run("load", str(seed_page), "--as-of", "2026-11-27")


def authors(graph: Graph) -> int:
    return graph.read("MATCH (a:Author) RETURN count(a) AS n")[0]["n"]


def assert_ties_exact(graph: Graph) -> None:
    assert graph.read(STORED_TIES) == graph.read(TIES_FROM_AUTHORED)


def test_duplicates_lists_the_seed_near_namesakes_with_evidence(loaded: Graph):
    pairs = json.loads(run("authors", "duplicates", "--format", "json").output)
    [pair] = [p for p in pairs if {p["a_name"], p["b_name"]} == {"Jingyang Jiang", "Jinyang Jiang"}]
    assert pair["name_match"] == "different" and pair["name_similarity"] > 0.9
    assert pair["shared_coauthors"] == ["Tao Ren", "Zishi Zhang"]
    assert pair["score"] >= 0.5
    header = run("authors", "duplicates", "--format", "csv").output.splitlines()[0]
    assert header == "score,a_name,b_name,name_similarity,name_match,shared_coauthors,shared_topics,a_id,b_id"
    assert run("authors", "duplicates").output.startswith("Possible duplicates")
    assert json.loads(run("authors", "duplicates", "--min-score", "0.99", "--format", "json").output) == []


def test_show_prints_ids_variants_and_why_each_paper_is_theirs(loaded: Graph):
    found = json.loads(run("authors", "show", "Zishi Zhang", "--format", "json").output)
    assert found["id"] == "name:zishi zhang"
    assert found["ids"] == ["profile:000_ee1a281679e517e5.txt:1"]
    assert len(found["authorships"]) == 7
    assert {a["rule"] for a in found["authorships"]} <= {"new", "profile"}
    table = run("authors", "show", "Tao Ren").output
    assert "Authorships of Tao Ren" in table and "evidence" in table
    rows = run("authors", "show", "Tao Ren", "--format", "csv").output.splitlines()
    assert rows[0] == "year,title,written,rule,score,evidence,paper" and len(rows) == 4


def test_manual_merge_survives_a_reload(loaded: Graph, seed_page: Path):
    before = authors(loaded)
    change = json.loads(run("authors", "merge", "Jingyang Jiang", "Jinyang Jiang", "--format", "json").output)
    assert change[0]["kept"] == "name:jingyang jiang" and change[0]["other"] == "name:jinyang jiang"
    assert authors(loaded) == before - 1
    assert_ties_exact(loaded)
    reload(seed_page)
    assert authors(loaded) == before - 1
    found = json.loads(run("authors", "show", "name:jingyang jiang", "--format", "json").output)
    assert sorted(found["names"]) == ["Jingyang Jiang", "Jinyang Jiang"] and len(found["authorships"]) == 2
    assert [(m["absorbed"], m["rule"], m["manual"]) for m in found["merges"]] == [
        ("name:jinyang jiang", "manual", True)
    ]
    assert_ties_exact(loaded)


def test_manual_split_survives_a_reload(loaded: Graph, seed_page: Path):
    before = authors(loaded)
    [paper] = loaded.read(SAMPLE_EFFICIENT)
    change = json.loads(run("authors", "split", "Zishi Zhang", paper["id"], "--format", "json").output)
    assert (change[0]["kept"], change[0]["other"], change[0]["papers"]) == (
        "name:zishi zhang",
        "name:zishi zhang~2",
        1,
    )
    assert authors(loaded) == before + 1
    assert_ties_exact(loaded)
    reload(seed_page)
    assert authors(loaded) == before + 1
    split_off = json.loads(run("authors", "show", "name:zishi zhang~2", "--format", "json").output)
    assert [a["paper"] for a in split_off["authorships"]] == [paper["id"]]
    assert split_off["distinct_from"] == ["name:zishi zhang"] and split_off["ids"] == []
    owner = json.loads(run("authors", "show", "name:zishi zhang", "--format", "json").output)
    assert len(owner["authorships"]) == 6
    assert_ties_exact(loaded)


def test_identity_commands_fail_clearly(loaded: Graph):
    run("authors", "show", "Nobody Atall", code=7)
    assert "same author" in run("authors", "merge", "Tao Ren", "name:tao ren", code=2).output
    assert "did not author" in run("authors", "split", "Tao Ren", "doi:10.0/none", code=7).output
    run("authors", "split", "Tao Ren", code=2)
