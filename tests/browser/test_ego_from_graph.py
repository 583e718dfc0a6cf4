"""End to end: hostile text loaded into the real graph, drawn by `coauthor viz ego`, opened in Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from coauthor import cli
from graph.connection import Graph
from viz.labels import count

pytestmark = pytest.mark.browser

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "profile_hostile.txt"


def write_view(tmp_path: Path, name: str, *options: str) -> str:
    """`coauthor viz ego NAME OPTIONS` (by default 2 hops deep); the page's HTML."""
    output = tmp_path / "ego.html"
    result = CliRunner().invoke(cli, ["viz", "ego", name, *(options or ("--depth", "2")), "-o", str(output)])
    assert result.exit_code == 0, result.output
    return output.read_text(encoding="utf-8")


def test_hostile_names_from_the_graph_show_as_text(graph: Graph, neo4j_env, open_view, tmp_path: Path):
    loaded = CliRunner().invoke(cli, ["load", str(HOSTILE)])
    assert loaded.exit_code == 0, loaded.output
    view = open_view(write_view(tmp_path, "Mallory Example"))
    assert view.page.evaluate("network.body.data.nodes.length") == 4
    labels = view.page.evaluate("network.body.data.nodes.get().map(node => node.label)")
    assert sorted(labels) == sorted(
        ["Mallory Example", "<img src=x onerror=alert(1)>", "</script><script>alert(2)</script>", "Zoë O'Brien-Łukasz"]
    )
    view.page.fill("#search", "zoe o brien")
    view.page.press("#search", "Enter")
    assert view.page.evaluate("network.getSelectedNodes()") == ["name:zoe o brien lukasz"]
    assert view.page.locator("img, svg").count() == 0
    assert (view.requests, view.dialogs, view.console_errors) == ([], [], [])


def test_seed_ego_view_draws_the_owner_and_twelve_coauthors(graph: Graph, neo4j_env, seed_page, open_view, tmp_path):
    assert CliRunner().invoke(cli, ["load", str(seed_page), "--as-of", "2026-11-27"]).exit_code == 0
    view = open_view(write_view(tmp_path, "Zishi Zhang"))
    assert view.page.evaluate("network.body.data.nodes.length") == 13
    assert view.page.evaluate("network.body.data.edges.length") == 22
    assert (view.requests, view.dialogs, view.console_errors) == ([], [], [])


def test_seed_ego_view_since_a_year_keeps_only_the_recent_coauthors(
    graph: Graph, neo4j_env, seed_page, open_view, tmp_path
):
    assert CliRunner().invoke(cli, ["load", str(seed_page), "--as-of", "2026-11-27"]).exit_code == 0
    since = graph.read("MATCH (:Author {name: 'Zishi Zhang'})-[:AUTHORED]->(p:Paper) RETURN max(p.year) AS y")[0]["y"]
    recent = graph.read(
        """
        MATCH (:Author {name: 'Zishi Zhang'})-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(b:Author) WHERE p.year >= $since
        RETURN count(DISTINCT b) AS n
        """,
        since=since,
    )[0]["n"]
    view = open_view(write_view(tmp_path, "Zishi Zhang", "--since", str(since)))
    assert 0 < recent < 12
    assert view.page.evaluate("network.body.data.nodes.length") == recent + 1
    caption = view.page.locator(".caption").inner_text()
    assert caption.startswith(
        f"Zishi Zhang and {count(recent, 'coauthor')} within 1 hop (joint papers of {since} or later)"
    )
    assert (view.requests, view.dialogs, view.console_errors) == ([], [], [])
