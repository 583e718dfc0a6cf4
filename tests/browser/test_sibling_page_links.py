"""Views fixed after QA, checked in Chromium: an overview written under a non-ASCII name still links its pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from coauthor import cli
from tests.browser.conftest import wait_until_drawn

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("neo4j_env")]

DEMO = Path(__file__).resolve().parents[2] / "examples" / "profiles"


def test_overview_named_with_accents_links_to_its_community_page(graph, open_view, tmp_path):
    loaded = CliRunner().invoke(cli, ["load", str(DEMO), "--as-of", "2026-11-27"])
    assert loaded.exit_code == 0, loaded.output
    output = tmp_path / "réseau.html"
    result = CliRunner().invoke(cli, ["viz", "communities", "--show", "overview", "--pages", "1", "-o", str(output)])
    assert result.exit_code == 0, result.output
    view = open_view(output.read_text(encoding="utf-8"), name="réseau.html")
    view.page.fill("#search", view.page.evaluate("network.body.data.nodes.get('c1').label"))
    view.page.press("#search", "Enter")  # selects the community and opens its panel
    assert view.page.evaluate("network.getSelectedNodes()") == ["c1"]
    link = view.page.locator("#details-body a")
    assert link.get_attribute("href") == "r_seau-community-1.html"
    link.click()
    view.page.wait_for_url("**/r_seau-community-1.html")
    wait_until_drawn(view)
    assert view.page.locator("h1").inner_text().startswith("Community 1")
    assert (view.requests, view.dialogs, view.console_errors) == ([], [], [])
