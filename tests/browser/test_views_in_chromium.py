"""Rendered views opened in headless Chromium: they draw, stay offline, never run data, and search works."""

from __future__ import annotations

from dataclasses import replace

import pytest

from queries.collaborators import EgoEdge, EgoNetwork, EgoNode
from viz import ViewNode, render_ego, render_network
from viz.ego import DASH

pytestmark = pytest.mark.browser

SCRIPT_END = "</script><script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
AUTHORS = [
    ("zz", "Zishi Zhang", 46, ("graph neural networks", "knowledge graphs"), 2011, 2024, 0),
    ("lw", "Li Wei", 31, ("knowledge graphs", "entity resolution"), 2013, 2024, 1),
    ("lz", "Łukasz Żółw", 12, ("scientometrics",), 2016, 2023, 1),
    ("zs", "张三", 18, ("graph neural networks", "recommender systems"), 2015, 2024, 1),
    ("ad", "Amélie Dubois", 9, ("citation analysis",), 2018, 2022, 1),
    ("sr", "Siddharth Rao", 22, ("link prediction",), 2012, 2024, 1),
    ("no", "Ngozi Okafor", 7, ("community detection",), 2019, 2024, 1),
    ("ht", "Hiroshi Tanaka", 15, ("recommender systems",), 2014, 2021, 1),
    ("ma", "María José Álvarez", 5, ("knowledge graphs",), 2021, 2024, 1),
    ("km", "Kwame Mensah", 11, ("entity resolution",), 2017, 2024, 2),
    ("in", "Ingrid Nilsen", 6, ("scientometrics",), 2015, 2020, 2),
    ("op", "Olga Petrova", 14, ("network science",), 2010, 2023, 2),
    ("cj", "Chen Jing", 3, ("community detection",), 2022, 2024, 2),
]
TIES = [
    ("zz", "lw", 9), ("zz", "lz", 3), ("zz", "zs", 6), ("zz", "ad", 2), ("zz", "sr", 5),
    ("zz", "no", 1), ("zz", "ht", 4), ("zz", "ma", 1), ("lw", "zs", 4), ("lw", "sr", 2),
    ("zs", "ht", 3), ("lz", "ad", 2), ("sr", "no", 1), ("km", "lw", 3), ("km", "zs", 1),
    ("in", "lz", 2), ("in", "ad", 1), ("op", "sr", 4), ("op", "ht", 2), ("cj", "no", 1),
]  # fmt: skip
NAMES = {author[0]: author[1] for author in AUTHORS}


def realistic_ego(**renamed: str) -> EgoNetwork:
    """Zishi Zhang, 8 direct coauthors, 4 authors two hops away, 20 ties; keywords rename authors by id."""
    nodes = tuple(replace(EgoNode(*author), name=renamed.get(author[0], author[1])) for author in AUTHORS)
    return EgoNetwork("zz", 2, nodes, tuple(EgoEdge(*tie) for tie in TIES))


def with_topics(ego: EgoNetwork, *topics: str) -> EgoNetwork:
    return replace(ego, nodes=tuple(replace(node, top_topics=topics) for node in ego.nodes))


def assert_quiet(view) -> None:
    """Nothing fetched, no dialog opened, nothing logged as an error."""
    assert view.requests == []
    assert view.dialogs == []
    assert view.console_errors == []


def hover_node(view, node_id: str) -> str:
    """Move the mouse onto a node's circle and return the tooltip's text."""
    x, y = view.page.evaluate(
        """id => {
            const dom = network.canvasToDOM(network.getPosition(id));
            const box = document.getElementById("network").getBoundingClientRect();
            return [box.left + dom.x, box.top + dom.y];
        }""",
        node_id,
    )
    view.page.mouse.move(x - 80, y - 80)
    view.page.mouse.move(x, y, steps=5)
    tooltip = view.page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible")
    return tooltip.inner_text()


def search(view, query: str) -> list[str]:
    """Type into the search box, press Enter, return the selected node ids."""
    view.page.fill("#search", query)
    view.page.press("#search", "Enter")
    return view.page.evaluate("network.getSelectedNodes()")


def test_ego_view_draws_every_author_without_the_network(open_view):
    view = open_view(render_ego(realistic_ego()))
    assert view.page.evaluate("network.body.data.nodes.length") == 13
    assert view.page.evaluate("network.body.data.edges.length") == 20
    assert view.page.locator("h1").inner_text() == "Collaboration network of Zishi Zhang"
    assert "13 authors, 20 ties" in view.page.locator(".caption").inner_text()
    assert_quiet(view)


def test_tooltip_tells_papers_years_and_topics(open_view):
    view = open_view(render_ego(realistic_ego()))
    assert hover_node(view, "lz").splitlines() == [
        "Łukasz Żółw",
        "Direct coauthor",
        "12 papers",
        f"Active 2016{DASH}2023",
        "Topics: scientometrics",
    ]
    assert_quiet(view)


def test_payloads_in_names_topics_and_title_show_as_text_and_never_run(open_view):
    ego = with_topics(realistic_ego(zz=SCRIPT_END, lw=IMG), IMG, SCRIPT_END)
    view = open_view(render_ego(ego))
    assert view.page.locator("h1").inner_text() == f"Collaboration network of {SCRIPT_END}"
    assert view.page.title() == f"Collaboration network of {SCRIPT_END}"
    tooltip = hover_node(view, "lw")
    assert tooltip.startswith(IMG)
    assert f"Topics: {IMG}, {SCRIPT_END}" in tooltip
    assert search(view, "<img") == ["lw"]
    assert view.page.locator("img").count() == 0
    assert_quiet(view)


def test_payloads_in_caption_legend_and_notes_never_run(open_view):
    nodes = [ViewNode("a", IMG, 20, "#2563eb", tooltip=(IMG, SCRIPT_END))]
    html = render_network(nodes, [], title=SCRIPT_END, caption=IMG, legend=[("#2563eb", SCRIPT_END)], notes=[IMG])
    view = open_view(html)
    assert view.page.locator(".caption").inner_text() == IMG
    assert view.page.locator(".legend li").inner_text() == SCRIPT_END
    assert view.page.locator(".notes li").inner_text() == IMG
    assert hover_node(view, "a").splitlines() == [IMG, SCRIPT_END]
    assert view.page.locator("img").count() == 0
    assert_quiet(view)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("张三", "zs"), ("lukasz zolw", "lz"), ("ŁUKASZ ŻÓŁW", "lz"), ("amelie", "ad"), ("maria jose", "ma")],
)
def test_search_selects_an_author_by_name_whatever_the_script_case_or_accents(open_view, query, expected):
    view = open_view(render_ego(realistic_ego()))
    assert search(view, query) == [expected]
    assert view.page.locator("#search-status").inner_text() == f"Selected: {NAMES[expected]}"
    assert_quiet(view)


def test_search_lists_matches_and_a_click_selects_one(open_view):
    view = open_view(render_ego(realistic_ego()))
    view.page.fill("#search", "zh")
    assert view.page.locator("#matches button").all_inner_texts() == ["Zishi Zhang"]
    view.page.fill("#search", "in")
    buttons = view.page.locator("#matches button")
    assert buttons.all_inner_texts()[0] == "Ingrid Nilsen", "a name starting with the query comes first"
    buttons.first.click()
    assert view.page.evaluate("network.getSelectedNodes()") == ["in"]
    assert_quiet(view)


def test_search_says_when_nothing_matches(open_view):
    view = open_view(render_ego(realistic_ego()))
    assert search(view, "nobody at all") == []
    assert view.page.locator("#search-status").inner_text() == "No name matches"
    assert_quiet(view)


def test_search_centres_and_zooms_on_the_found_node(open_view):
    view = open_view(render_ego(realistic_ego()))
    where = """id => {
        const at = network.canvasToDOM(network.getPosition(id));
        const box = document.getElementById("network").getBoundingClientRect();
        return [at.x - box.width / 2, at.y - box.height / 2];
    }"""
    assert max(map(abs, view.page.evaluate(where, "zs"))) > 20, "the node must start away from the centre"
    scale = view.page.evaluate("network.getScale()")
    view.page.evaluate("() => { window.focused = new Promise(done => network.once('animationFinished', done)); }")
    assert search(view, "张三") == ["zs"]
    view.page.evaluate("() => window.focused.then(() => true)")  # the page's CSP refuses wait_for_function's eval
    assert max(map(abs, view.page.evaluate(where, "zs"))) < 2
    assert view.page.evaluate("network.getScale()") == pytest.approx(max(scale, 1.2), abs=0.01)  # zoomed in
    assert_quiet(view)
