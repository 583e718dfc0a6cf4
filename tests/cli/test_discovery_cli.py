"""The discovery commands on the command line: output shapes in every format, explanations, and exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from coauthor import cli
from graph.connection import Graph

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def run(*args: str, code: int = 0):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def loaded(graph: Graph, neo4j_env: dict[str, str], seed_page: Path) -> Graph:
    run("load", str(seed_page), str(FIXTURES / "profile_tao_ren.txt"), "--as-of", "2026-11-27")
    return graph


def test_recommend_explains_in_every_format(loaded: Graph):
    rows = json.loads(run("recommend", "Yijie Peng", "--limit", "2", "--format", "json").output)
    assert [row["name"] for row in rows] == ["Zehao Li", "Hui Yang"]
    assert {s["name"] for s in rows[0]["shared_coauthors"]} == {"Tao Ren", "Zishi Zhang"}
    assert rows[0]["shared_coauthors"][0]["with_candidate"][0]["year"] == 2026
    assert set(rows[0]["parts"]) == {"aa", "ra", "cn", "topic", "recency", "combined"}
    table = run("recommend", "Yijie Peng", "--limit", "1").output
    assert "Zehao Li: via " in table and "with Yijie Peng" in table
    header = run("recommend", "Yijie Peng", "--method", "ra", "--format", "csv").output.splitlines()[0]
    assert header == "name,score,aa,ra,cn,topic,recency,via,topics,id,why"


def test_recommend_depth_three_and_topic_focus(loaded: Graph):
    deep = json.loads(run("recommend", "Yijie Peng", "--depth", "3", "--limit", "50", "--format", "json").output)
    assert {row["hops"] for row in deep} == {2}  # everyone is two hops from Yijie Peng in this graph
    focused = run("recommend", "Yijie Peng", "--topic", "cs.cv", "--format", "json").output
    assert [row["name"] for row in json.loads(focused)] == ["Jingyang Jiang"]  # the one CV author
    unknown = run("recommend", "Yijie Peng", "--topic", "Computer Vison", code=7).output
    assert "closest known: Computer Vision and Pattern Recognition (arxiv:cs.CV)" in unknown


def test_path_prints_hops_and_says_when_there_is_none(loaded: Graph):
    table = run("path", "Yijie Peng", "Qinghao Guan").output
    assert "distance 2, 1 chain shown" in table
    answer = json.loads(run("path", "Yijie Peng", "Qinghao Guan", "--all", "--format", "json").output)
    assert [hop["target_name"] for hop in answer["paths"][0]["hops"]] == ["Zishi Zhang", "Qinghao Guan"]
    assert answer["paths"][0]["hops"][1]["papers"][0]["title"].startswith("SACRED")
    none = run("path", "Yijie Peng", "Qinghao Guan", "--as-of", "2025", code=10).output
    assert "Yijie Peng and Qinghao Guan are not connected by papers up to 2025" in none
    bounded = run("path", "Yijie Peng", "Qinghao Guan", "--max-hops", "1", code=10).output
    assert "raise --max-hops" in bounded
    same = run("path", "Yijie Peng", "yijie peng", code=2)
    assert same.stdout == ""
    assert "Error: 'Yijie Peng' and 'yijie peng' are the same author (" in same.stderr


def test_experts_author_similar_search(loaded: Graph):
    experts = list(csv.DictReader(io.StringIO(run("experts", "arxiv:cs", "--format", "csv").output)))
    assert (experts[0]["name"], experts[0]["papers"]) == ("Zishi Zhang", "6")
    profile = json.loads(run("author", "zishi zhang", "--format", "json").output)
    assert (profile["paper_count"], profile["coauthor_count"], profile["reported"]["h_index"]) == (7, 12, 3)
    assert profile["reported_by"] == "000_ee1a281679e517e5.txt:1"
    table = run("author", "Zishi Zhang").output
    assert "reported by" in table and "000_ee1a281679e517e5.txt:1" in table and "reported h_index" in table
    similar = json.loads(run("similar", "Tao Ren", "--format", "json").output)
    assert similar and not any(row["coauthor"] for row in similar)
    hits = json.loads(run("search", 'RiskPO: "verifiable', "--format", "json").output)
    assert hits[0]["title"].startswith("RiskPO") and hits[0]["authors"][0] == "Tao Ren"


def test_coauthors_window_and_fractional(loaded: Graph):
    result = run("coauthors", "Tao Ren", "--until", "2025", "--fractional", "--format", "csv").output
    rows = list(csv.DictReader(io.StringIO(result)))
    assert list(rows[0]) == ["name", "weight", "fractional", "truncated_papers", "first_year", "last_year", "id"]
    assert [(row["name"], row["weight"], row["fractional"]) for row in rows[:2]] == [
        ("Yijie Peng", "1", "1.0"),  # a two-author paper counts fully
        ("Zishi Zhang", "2", "0.8333333333333333"),  # 1/2 (three authors) + 1/3 (four authors)
    ]
    assert "Zehao Li" not in result  # their only joint paper is from 2026


def test_ambiguous_name_lists_distinguishing_facts(graph: Graph, neo4j_env: dict[str, str]):
    graph.write(
        "CREATE (:Author {id: 'orcid:1', name: 'Li Wei', name_key: 'li wei'}),"
        " (:Author {id: 'orcid:2', name: 'Li Wei', name_key: 'li wei'})"
    )
    result = run("author", "Li Wei", code=8).output
    assert "Li Wei (orcid:1, 0 papers)" in result and "Li Wei (orcid:2, 0 papers)" in result
