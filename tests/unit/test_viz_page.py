"""The rendered page's source: offline, escaped, deterministic. No browser and no database needed."""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace

import pytest

from queries.collaborators import EgoEdge, EgoNetwork, EgoNode
from viz import ViewEdge, ViewNode, render_ego, render_network
from viz.ego import DASH, ego_caption
from viz.layout import node_positions
from viz.page import edge_width

SCRIPT_END = "</script><script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
NAMES = {"zz": "Zishi Zhang", "zs": "张三", "lz": "Łukasz Żółw", "ad": "Amélie Dubois", "km": "Kwame Mensah"}


def ego_network(**renamed: str) -> EgoNetwork:
    """Zishi Zhang, 3 direct coauthors and 1 author two hops away; keyword arguments rename authors by id."""
    names = NAMES | renamed
    hops = {"zz": 0, "zs": 1, "lz": 1, "ad": 1, "km": 2}
    papers = {"zz": 40, "zs": 12, "lz": 7, "ad": 3, "km": 1}
    nodes = tuple(EgoNode(key, names[key], papers[key], ("graphs",), 2015, 2024, hops[key]) for key in names)
    ties = (("zz", "zs", 5), ("zz", "lz", 2), ("zz", "ad", 1), ("zs", "lz", 1), ("km", "zs", 3))
    return EgoNetwork("zz", 2, nodes, tuple(EgoEdge(*tie) for tie in ties))


def embedded_data(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S)
    assert match, "the page embeds no graph data"
    return json.loads(match.group(1))


def scripts(html: str) -> list[str]:
    return re.findall(r"<script[^>]*>(.*?)</script>", html, re.S)


def distance(positions: dict[str, tuple[float, float]], a: str, b: str) -> float:
    return math.dist(positions[a], positions[b])


def test_page_references_nothing_outside_itself():
    html = render_ego(ego_network())
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert not re.search(r"<script[^>]*\ssrc\s*=", html, re.I)
    assert "<link" not in html.lower()
    for cdn in ("cdnjs", "jsdelivr", "unpkg", "bootstrap", "googleapis"):
        assert cdn not in html.lower()
    assert all(url.startswith("data:") for url in re.findall(r"""url\(\s*["']?([^"')]*)""", html))
    assert "@import" not in html


def test_page_forbids_fetching_anything():
    html = render_ego(ego_network())
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1)
    assert "default-src 'none'" in policy
    assert policy.count("'sha256-") == 2
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


@pytest.mark.parametrize("payload", [SCRIPT_END, IMG, "a & b <!-- c", "x\u2028y\u2029z"])
def test_payload_in_names_and_topics_stays_data(payload: str):
    ego = ego_network(zz=payload, zs=payload)
    html = render_ego(replace(ego, nodes=tuple(replace(node, top_topics=(payload,)) for node in ego.nodes)))
    assert len(scripts(html)) == 3, "a name ended a script or started one"
    for script in scripts(html):
        assert "<!--" not in script and "\u2028" not in script and "\u2029" not in script
    if "<" in payload:
        assert payload not in html
    assert "<img" not in html
    assert [node["label"] for node in embedded_data(html)["nodes"]][:2] == [payload, payload]


def test_script_end_in_a_name_is_escaped_as_json_unicode():
    html = render_ego(ego_network(zs=SCRIPT_END))
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in html


def test_title_caption_legend_and_notes_are_escaped():
    html = render_network(
        [ViewNode("a", "A", 10, "#2563eb")],
        [],
        title=SCRIPT_END,
        caption=IMG,
        legend=[("#2563eb", IMG)],
        notes=[SCRIPT_END],
    )
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert IMG not in html
    assert html.lower().count("</script") == 3, "only the page's own three scripts may end"


def test_tooltips_are_plain_text_lines():
    data = embedded_data(render_ego(ego_network(lz=IMG)))
    tooltip = next(node["tooltip"] for node in data["nodes"] if node["id"] == "lz")
    assert tooltip == [IMG, "Direct coauthor", "7 papers", f"Active 2015{DASH}2024", "Topics: graphs"]
    assert all("title" not in item for item in data["nodes"] + data["edges"])


def test_same_input_renders_identical_html():
    assert render_ego(ego_network()) == render_ego(ego_network())


def test_embedded_data_holds_every_author_and_tie():
    data = embedded_data(render_ego(ego_network()))
    assert [node["id"] for node in data["nodes"]] == list(NAMES)
    assert len(data["edges"]) == 5
    assert data["options"]["physics"] == {"enabled": False}
    assert all(isinstance(node["x"], int) and isinstance(node["y"], int) for node in data["nodes"])


def test_node_size_grows_with_papers_and_edge_width_with_joint_papers():
    data = embedded_data(render_ego(ego_network()))
    sizes = {node["id"]: node["size"] for node in data["nodes"]}
    assert sizes["zz"] > sizes["zs"] > sizes["lz"] > sizes["ad"] > sizes["km"]
    widths = {(edge["from"], edge["to"]): edge["width"] for edge in data["edges"]}
    assert widths[("zz", "zs")] > widths[("zz", "lz")] > widths[("zz", "ad")] == 1.0


def test_caption_counts_what_is_drawn():
    one_hop = EgoNetwork(
        "a",
        1,
        (EgoNode("a", "Zishi Zhang", 3, (), None, None, 0), EgoNode("b", "Li Wei", 1, (), None, None, 1)),
        (EgoEdge("a", "b", 1),),
    )
    assert ego_caption(one_hop) == "Zishi Zhang and 1 coauthor within 1 hop; 2 authors, 1 tie"
    assert ego_caption(ego_network()) == ("Zishi Zhang, 3 direct coauthors and 1 author 2 hops away; 5 authors, 5 ties")


def test_caption_says_how_many_authors_were_left_out():
    cut = replace(ego_network(), reachable=1045)
    assert ego_caption(cut) == (
        "Zishi Zhang, 3 direct coauthors and 1 author 2 hops away; 5 authors, 5 ties; "
        "1,040 more authors within 2 hops left out (the closest are kept)"
    )


def test_legend_names_each_kind_of_author_and_what_sizes_mean():
    html = render_ego(ego_network())
    for text in (
        "Centre author",
        "Direct coauthors",
        "Coauthors of coauthors",
        f"Circle size: papers (1{DASH}40)",
    ):
        assert text in html
    assert f"Line width: joint papers (1{DASH}5)" in html


@pytest.mark.parametrize(
    ("nodes", "edges", "message"),
    [
        ([ViewNode("a", "A", 10, "#000000")] * 2, [], "duplicate node id 'a'"),
        ([ViewNode("a", "A", 10, "#000000")], [ViewEdge("a", "b")], "unknown node 'b'"),
        ([ViewNode("a", "A", 10, "#000000")], [ViewEdge("a", "a"), ViewEdge("a", "a")], "appears twice"),
        ([ViewNode("a", "A", 10, "red; background: url(x)")], [], "not of the form #rrggbb"),
    ],
)
def test_render_network_refuses_bad_input(nodes, edges, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        render_network(nodes, edges, title="t", caption="c")


def test_render_ego_refuses_a_centre_that_is_not_drawn():
    ego = ego_network()
    with pytest.raises(ValueError, match="centre 'nobody'"):
        render_ego(EgoNetwork("nobody", ego.depth, ego.nodes, ego.edges))


def test_layout_repeats_with_its_seed_and_spreads_nodes():
    ids, ties = list(NAMES), [("zz", "zs"), ("zz", "lz"), ("zs", "km"), ("lz", "ad")]
    positions = node_positions(ids, ties, seed=3)
    assert positions == node_positions(ids, ties, seed=3)
    assert len(set(positions.values())) == len(ids)
    assert distance(positions, "zz", "zs") < distance(positions, "zs", "ad")


@pytest.mark.parametrize(("weight", "width"), [(1, 1.0), (2, 3.0), (4, 5.0), (1000, 9.0)])
def test_edge_width_grows_by_doubling(weight: int, width: float):
    assert edge_width(weight) == width


def test_empty_network_renders():
    html = render_network([], [], title="Nothing", caption="0 authors")
    assert embedded_data(html)["nodes"] == []


def test_an_author_without_coauthors_renders_alone():
    lone = EgoNetwork("a", 1, (EgoNode("a", "Zishi Zhang", 2, (), None, None, 0),), ())
    html = render_ego(lone)
    assert [node["id"] for node in embedded_data(html)["nodes"]] == ["a"]
    assert "Zishi Zhang and 0 coauthors within 1 hop; 1 author, 0 ties" in html
    assert "Line width" not in html
