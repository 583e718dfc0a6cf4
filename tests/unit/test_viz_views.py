"""The community, path, papers and topic views as rendered pages: counts, captions, legends, links, determinism.
No browser and no database: the views are pure functions of query results."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

import viz.page
from coauthor import cli
from coauthor.views import write_view
from graph.errors import InvalidRequest
from queries.authors import AuthorMatch
from queries.collaborators import JointPaper
from queries.communities import CommunitySummary
from queries.community_graph import CommunityLink, CommunityMembers, CommunityOverview
from queries.papers import AuthorCard, PaperDetail, PaperGraph, PaperRef
from queries.paths import CollaborationPath, Hop, PathResult
from queries.themes import Theme, Themes, TopicMap
from viz.communities import render_community_members, render_community_overview
from viz.labels import amount, shorten
from viz.page import Link, ViewNode, doi_link, edge_width, paper_links, render_network, sibling_page
from viz.papers import papers_within, render_paper_graph
from viz.paths import chains_within, render_paths
from viz.topics import render_topic_map

IMG = "<img src=x onerror=alert(1)>"


def embedded(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def card(author: str, name: str, papers: int = 3, latest: tuple[PaperRef, ...] = ()) -> AuthorCard:
    return AuthorCard(author, name, papers, 2019, 2024, ("graphs",), latest)


def summary(number: int, size: int, *topics: str) -> CommunitySummary:
    return CommunitySummary(number, size, (f"Leader {number}",), topics, 2010, 2024)


def members(community: int | None = None) -> CommunityMembers:
    authors = {"a": 1, "b": 1, "c": 2, "d": 12}
    return CommunityMembers(
        source="Leiden (modularity, resolution 1, seed 42)",
        community=community,
        candidates=4_102,
        communities=(summary(1, 40, "graph neural networks", "knowledge graphs"), summary(2, 9, IMG), summary(12, 2)),
        membership=authors,
        scores={"a": 0.02, "b": 0.01, "c": 0.005, "d": 0.001},
        cards={
            author: card(author, name, latest=(PaperRef("doi:10.1/x", "A Paper", 2024, "10.1/x"),))
            for author, name in zip(authors, ["Ana", "Bo", "Cy", "Di"], strict=True)
        },
        ties=(("a", "b", 3.0), ("b", "c", 1.0)),
    )


def test_community_members_caption_legend_and_sizes():
    html = render_community_members(members())
    data = embedded(html)
    assert [node["id"] for node in data["nodes"]] == ["a", "b", "c", "d"]
    assert len(data["edges"]) == 2
    sizes = [node["size"] for node in data["nodes"]]
    assert sizes == sorted(sizes, reverse=True)
    assert "Top 4 of 4,102 authors by PageRank, in 3 communities; 2 ties" in html
    assert "1: graph neural networks, knowledge graphs (40 authors)" in html
    assert 'style="background-color: #94a3b8"></span>1 more community</li>' in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and IMG not in html
    colours = {node["id"]: node["color"]["background"] for node in data["nodes"]}
    assert colours["a"] == colours["b"] != colours["c"] and colours["d"] == "#94a3b8"
    assert data["nodes"][0]["links"] == [["A Paper (2024), doi:10.1/x", "https://doi.org/10.1/x"]]


def test_one_community_is_titled_by_its_topics():
    html = render_community_members(members(community=1))
    assert "<h1>Community 1: graph neural networks, knowledge graphs</h1>" in html
    assert "Top 4 of 4,102 members of community 1 by PageRank" in html


def overview() -> CommunityOverview:
    return CommunityOverview(
        "run 'net' (leiden)", 1_589, 396, (summary(1, 40, "x"), summary(2, 9, "y")), (CommunityLink(1, 2, 7, 2),)
    )


def test_overview_links_communities_to_their_pages_and_says_what_was_cut():
    html = render_community_overview(overview(), pages={1: "net-community-1.html"})
    data = embedded(html)
    assert [node["id"] for node in data["nodes"]] == ["c1", "c2"]
    assert data["nodes"][0]["links"] == [["Open community 1", "net-community-1.html"]]
    assert data["edges"][0]["tooltip"] == ["Communities 1 \u2013 2", "7 ties", "2 joint papers"]
    assert data["edges"][0]["width"] == edge_width(7)  # ties, as the note says, not joint papers
    assert "Line width: coauthor ties between communities (7)" in html
    assert "2 communities of 396, largest first (1,589 authors); 394 smaller left out; 1 link between them" in html


def path_result() -> PathResult:
    papers = tuple(JointPaper(f"arxiv:2401.0000{n}", f"Joint work number {n} on graphs", 2024 - n) for n in range(5))
    hops = (
        Hop("a", "Ana", "b", "Bo", papers, 7),
        Hop("b", "Bo", "c", "Cy", (), 0),
    )
    other = (Hop("a", "Ana", "d", "Di", papers[:1], 1), Hop("d", "Di", "c", "Cy", papers[:1], 1))
    return PathResult(
        AuthorMatch("a", "Ana", 3),
        AuthorMatch("c", "Cy", 3),
        2,
        (CollaborationPath(hops), CollaborationPath(other)),
        True,
    )


def path_cards() -> dict[str, AuthorCard]:
    return {author: card(author, name) for author, name in zip("abcd", ["Ana", "Bo", "Cy", "Di"], strict=True)}


def test_path_view_lays_chains_left_to_right_and_labels_hops():
    html = render_paths(path_result(), path_cards())
    data = embedded(html)
    x = {node["id"]: node["x"] for node in data["nodes"]}
    assert x["a"] < x["b"] == x["d"] < x["c"]
    labels = {(edge["from"], edge["to"]): edge.get("label") for edge in data["edges"]}
    assert labels[("a", "b")] == "Joint work number 0 on graphs (+6)"
    assert labels[("b", "c")] is None
    hop = next(edge for edge in data["edges"] if edge["from"] == "a" and edge["to"] == "b")
    assert hop["tooltip"][-1] == "and 2 more papers"
    assert hop["links"][0][1] == "https://arxiv.org/abs/2401.00000"
    assert "2 shortest chains of 2 hops from Ana to Cy; more chains of 2 hops exist (not drawn)" in html


def test_path_view_keeps_the_first_chains_within_max_nodes():
    html = render_paths(path_result(), path_cards(), max_nodes=3)
    assert len(embedded(html)["nodes"]) == 3
    assert "1 shortest chain of 2 hops from Ana to Cy; 1 more found, left out (--max-nodes)" in html


def paper_graph() -> PaperGraph:
    def paper(n: int, authors: tuple[str, ...], citations: int | None) -> PaperDetail:
        ref = PaperRef(f"doi:10.1/{n}", f"Paper {n} {IMG}", 2020 + n, f"10.1/{n}", f"2401.0000{n}")
        return PaperDetail(ref, "Venue", citations, authors, ("cs.LG", "cs.SI") if n else ("cs.LG",))

    papers = (paper(0, ("a", "b"), 12), paper(1, ("a", "c", "d"), None), paper(2, ("a", "e"), 1))
    authors = {author: card(author, author.upper()) for author in "abcde"}
    return PaperGraph("author", "a", "A", 9, papers, authors, {"cs.LG": "Machine Learning", "cs.SI": "Social"})


def test_papers_view_draws_each_label_in_its_shape():
    data = embedded(render_paper_graph(paper_graph()))
    shapes = [node["shape"] for node in data["nodes"]]
    assert (shapes.count("square"), shapes.count("dot"), shapes.count("diamond")) == (3, 5, 2)
    assert len(data["edges"]) == 7 + 5
    paper = next(node for node in data["nodes"] if node["id"] == "p:doi:10.1/0")
    assert paper["links"] == [
        ["doi:10.1/0", "https://doi.org/10.1/0"],
        ["arXiv:2401.00000", "https://arxiv.org/abs/2401.00000"],
    ]
    assert paper["tooltip"][:3] == [f"Paper 0 {IMG}", "Paper", "2020, Venue, 12 citations"]


def test_papers_view_stops_adding_papers_at_max_nodes():
    html = render_paper_graph(paper_graph(), max_nodes=8)
    data = embedded(html)
    assert len(data["nodes"]) <= 8
    assert "2 of 9 papers of A (latest first), 4 authors, 2 topics; 7 more papers left out" in html


def test_a_paper_with_more_authors_than_max_nodes_keeps_the_author_in_focus():
    crowd = (*(f"x{n}" for n in range(50)), "a")
    ref = PaperRef("doi:10.1/big", "Consortium paper", 2024, "10.1/big")
    found = PaperGraph(
        "author", "a", "A", 1, (PaperDetail(ref, None, None, crowd, ("cs.LG",)),),
        {author: card(author, author.upper()) for author in crowd}, {"cs.LG": "Machine Learning"},
    )  # fmt: skip
    html = render_paper_graph(found, max_nodes=10)
    ids = [node["id"] for node in embedded(html)["nodes"]]
    assert len(ids) == 10 and "a:a" in ids
    assert "All 1 paper of A (latest first), 8 authors, 1 topic; 43 more authors of these papers left out" in html


def topic_map() -> TopicMap:
    papers = {f"t{n}": 100 - n for n in range(12)}
    themes = Themes(
        (Theme(1, ("T0", "T2"), 300), Theme(2, ("T1",), 99)), {t: 1 + n % 2 for n, t in enumerate(papers)}, 0.4
    )
    return TopicMap({t: t.upper() for t in papers}, papers, (("t0", "t1", 5), ("t0", "t11", 2)), themes)


def test_topic_map_keeps_the_topics_with_most_papers():
    html = render_topic_map(topic_map(), max_nodes=10)
    data = embedded(html)
    assert [node["id"] for node in data["nodes"]] == [f"t{n}" for n in range(10)]
    assert len(data["edges"]) == 1
    assert "Top 10 of 12 topics by papers, in 2 themes; 1 co-occurrence tie" in html
    assert "1: T0, T2 (300 papers)" in html


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "http://example.org", "//evil.example", "data:text/html,x", "a b.html"]
)
def test_links_other_than_https_or_a_sibling_page_are_refused(url):
    with pytest.raises(ValueError, match="neither https"):
        render_network([ViewNode("a", "A", 10, "#2563eb", links=(Link("x", url),))], [], title="t", caption="c")


def test_doi_links_cannot_leave_doi_org():
    assert doi_link('10.1/x"><script>').url == "https://doi.org/10.1/x%22%3E%3Cscript%3E"
    assert doi_link("10.1/a b?c#d").url == "https://doi.org/10.1/a%20b%3Fc%23d"
    assert paper_links("arxiv:hep-th/9901001") == (
        Link("arXiv:hep-th/9901001", "https://arxiv.org/abs/hep-th/9901001"),
    )
    assert paper_links("title:abc") == ()


def test_shorten_cuts_at_a_word():
    assert shorten("Calibrated Uncertainty for Citation Forecasting", 25) == "Calibrated Uncertainty…"
    assert shorten("short", 25) == "short"


VIEWS = {
    "communities": (lambda: render_community_members(members()), "Circle size: PageRank (0.001\u20130.02)"),
    "overview": (
        lambda: render_community_overview(overview(), pages={1: "net-community-1.html"}),
        "Circle size: authors (9\u201340)",
    ),
    "path": (lambda: render_paths(path_result(), path_cards()), "Circle size: papers (3)"),
    "papers": (lambda: render_paper_graph(paper_graph()), "Square size: citations (unknown counts as 0)"),
    "topics": (lambda: render_topic_map(topic_map(), max_nodes=10), "Size: papers with the topic (91\u2013100)"),
}


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_repeats_byte_for_byte(view):
    draw, _size = VIEWS[view]
    first = draw()
    assert draw() == first
    assert embedded(first)["nodes"], "the view drew nothing"


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_states_what_node_size_measures(view):
    draw, size = VIEWS[view]
    assert re.findall(r'<ul class="notes">.*?</ul>', draw(), re.S)[0].count(f"<li>{size}</li>") == 1


@pytest.mark.parametrize("command", ["ego", "communities", "path", "papers", "topics"])
def test_every_view_command_explains_itself(command):
    result = CliRunner().invoke(cli, ["viz", command, "--help"])
    assert result.exit_code == 0
    assert "--max-nodes" in result.output and "--open" in result.output and "--output" in result.output


def test_papers_view_wants_an_author_or_a_topic_not_both():
    for args in ([], ["Wei Chen", "--topic", "cs.LG"]):
        result = CliRunner().invoke(cli, ["viz", "papers", *args, "-o", "x.html"])
        assert result.exit_code == 2
        assert "give an author NAME or --topic T" in result.output


def test_write_view_opens_the_page_when_asked(tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr("webbrowser.open", lambda url, *_args, **_options: opened.append(url) or True)
    write_view("<html></html>", tmp_path / "a.html")
    write_view("<html></html>", tmp_path / "b.html", open_=True)
    assert opened == [(tmp_path / "b.html").as_uri()]
    assert (tmp_path / "a.html").read_text() == "<html></html>"


def test_write_view_warns_when_no_browser_opens_the_page(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("webbrowser.open", lambda url, *_args, **_options: False)
    write_view("<html></html>", tmp_path / "a.html", open_=True)
    assert (tmp_path / "a.html").is_file()
    assert (
        capsys.readouterr().err
        == f"warning: no browser found to open {tmp_path / 'a.html'}; set BROWSER to choose one\n"
    )


def test_write_view_names_the_file_it_cannot_write_as_a_usage_error(tmp_path):
    target = tmp_path / "missing" / "a.html"
    message = f"{target}: cannot write the view: No such file or directory"
    with pytest.raises(InvalidRequest, match=f"^{re.escape(message)}$") as raised:
        write_view("<html></html>", target)
    assert raised.value.exit_code == 2  # an output is not input (6)


def test_ties_known_without_papers_show_their_weight_never_joint_papers():
    ties = (("a", "b", 0.5), ("b", "c", 2.0), ("c", "d", 1 / 3))
    without = {frozenset(("a", "b")), frozenset(("c", "d"))}
    data = embedded(html := render_community_members(replace(members(), ties=ties), paperless=without))
    assert [edge["tooltip"][1] for edge in data["edges"]] == [
        "A tie known without its papers (weight 0.5)",
        "2 joint papers",
        "A tie known without its papers (weight 0.333)",
    ]
    assert "Line width: joint papers, or the weight of ties known without their papers (0.333\u20132)" in html
    alone = render_community_members(replace(members(), ties=ties[:1]), paperless=without)
    assert "Line width: tie weight (ties known without their papers) (0.5)" in alone


@pytest.mark.parametrize(
    ("link", "lines"),
    [
        (CommunityLink(1, 2, 3, 0, 3, 1.5), ["3 ties", "Known without their papers, summed weight 1.5"]),
        (CommunityLink(1, 2, 1, 0, 1, 0.5), ["1 tie", "Known without its papers, weight 0.5"]),
        (
            CommunityLink(1, 2, 9, 4, 2, 2.25),
            ["9 ties", "4 joint papers", "2 ties known without their papers, summed weight 2.25"],
        ),
        (CommunityLink(1, 2, 6, 1, 1, 0.5), ["6 ties", "1 joint paper", "1 tie known without its papers, weight 0.5"]),
    ],
)
def test_overview_links_weigh_ties_known_without_papers_never_as_joint_papers(link, lines):
    data = embedded(render_community_overview(replace(overview(), links=(link,))))
    assert data["edges"][0]["tooltip"][1:] == lines


@pytest.mark.parametrize(
    ("value", "text"), [(3.0, "3"), (2.5, "2.5"), (1 / 3, "0.333"), (1204.5, "1,204.5"), (0.0004, "0.0004")]
)
def test_amount_keeps_fractions(value, text):
    assert amount(value) == text


def test_papers_view_counts_topics_in_max_nodes():
    ref = PaperRef("doi:10.1/t", "Many topics", 2024, "10.1/t")
    topics = {f"k{n}": f"Keyword {n}" for n in range(6)}
    detail = PaperDetail(ref, None, None, ("a", "b"), tuple(topics))
    found = PaperGraph("author", "a", "A", 7, (detail,), {x: card(x, x.upper()) for x in "ab"}, topics)
    html = render_paper_graph(found, max_nodes=3)
    assert [node["id"] for node in embedded(html)["nodes"]] == ["p:doi:10.1/t", "a:a", "t:k0"]
    assert "1 of 7 papers of A (latest first), 1 author, 1 topic; 1 more author of these papers left out; " in html
    assert "5 more topics of these papers left out" in html
    papers, authors, kept = papers_within(found, 3)
    assert (len(papers), authors, kept) == (1, ["a"], ["k0"])


def test_an_author_without_papers_in_the_view_is_not_drawn():
    detail = PaperDetail(PaperRef("p", "P", 2024), None, None, ("b",), ())
    found = PaperGraph("author", "a", "A", 1, (detail,), {"b": card("b", "B")}, {})
    assert [node["id"] for node in embedded(render_paper_graph(found))["nodes"]] == ["p:p", "a:b"]


def test_the_page_and_python_accept_the_same_sibling_pages():
    template = (Path(viz.page.__file__).parent / "templates" / "network.html").read_text(encoding="utf-8")
    script = re.search(r"var SAFE_URL = /\^\(\?:(.*)\)\$/;", template).group(1).replace("\\/", "/")
    assert script == viz.page._SAFE_URL.pattern
    assert sibling_page("réseau-community-1") == "r_seau-community-1.html"
    assert sibling_page("my map 网络-community-2") == "my_map___-community-2.html"


def test_chains_within_counts_the_chains_drawn():
    assert len(chains_within(path_result(), 3)) == 1
    assert len(chains_within(path_result(), 300)) == len(path_result().paths)
