"""Every `coauthor viz` view end to end: data loaded into the real graph, drawn by the CLI, opened in Chromium.

Counts on the page (read from vis-network's DataSets) are checked against counts the test computes itself in
Cypher; hostile names, titles and topics must show as text and never run; nothing may be fetched.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from coauthor import cli
from graph.connection import Graph
from tests.browser.conftest import screenshot, wait_until_drawn

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "profiles"
HOSTILE = ROOT / "tests" / "fixtures" / "profile_hostile.txt"
IMG = "<img src=x onerror=alert(1)>"
SCRIPT_END = "</script><script>alert(2)</script>"

NODES = "network.body.data.nodes.length"
EDGES = "network.body.data.edges.length"


def load(*paths: Path) -> None:
    result = CliRunner().invoke(cli, ["load", *map(str, paths), "--as-of", "2026-11-27"])
    assert result.exit_code == 0, result.output


def draw(tmp_path: Path, *args: str, name: str = "view.html") -> str:
    output = tmp_path / name
    result = CliRunner().invoke(cli, ["viz", *args, "-o", str(output)])
    assert result.exit_code == 0, result.output
    return output.read_text(encoding="utf-8")


def node_ids(view) -> list[str]:
    return view.page.evaluate("network.body.data.nodes.getIds()")


def search(view, query: str) -> list[str]:
    view.page.fill("#search", query)
    view.page.press("#search", "Enter")
    return view.page.evaluate("network.getSelectedNodes()")


def assert_quiet(view) -> None:
    assert (view.requests, view.dialogs, view.console_errors) == ([], [], [])


def names_of(graph: Graph, ids: list[str]) -> list[str]:
    rows = graph.read("UNWIND $ids AS id MATCH (a:Author {id: id}) RETURN a.name AS name", ids=ids)
    return [row["name"] for row in rows]


def ties_among(graph: Graph, ids: list[str]) -> int:
    rows = graph.read(
        "MATCH (a:Author)-[c:COAUTHOR]->(b:Author) WHERE a.id IN $ids AND b.id IN $ids RETURN count(c) AS n", ids=ids
    )
    return rows[0]["n"]


def test_communities_view_of_the_demo_colours_every_author(graph, neo4j_env, open_view, tmp_path):
    load(DEMO)
    view = open_view(draw(tmp_path, "communities"))
    authors = graph.read("MATCH (a:Author) WHERE EXISTS { (a)-[:COAUTHOR]-() } RETURN count(a) AS n")[0]["n"]
    assert view.page.evaluate(NODES) == authors
    assert view.page.evaluate(EDGES) == ties_among(graph, node_ids(view))
    legend = view.page.locator(".legend li").all_inner_texts()
    drawn = view.page.evaluate(
        "JSON.parse(document.getElementById('graph-data').textContent).nodes.map(node => node.tooltip[1])"
    )
    communities = {line.removeprefix("Community ") for line in drawn}
    assert 1 < len(communities) <= 10, "the demo has a few communities, each with its own colour"
    assert sorted(entry.rsplit(" (", 1)[0] for entry in legend) == sorted(communities)
    colours = view.page.evaluate("new Set(network.body.data.nodes.get().map(node => node.color.background)).size")
    assert colours == len(legend)
    assert search(view, "lukas novak") == [
        graph.read("MATCH (a:Author {name: 'Lukáš Novák'}) RETURN a.id AS id")[0]["id"]
    ]
    assert view.page.locator("#details-body strong").inner_text() == "Lukáš Novák"
    assert screenshot(view, tmp_path / "communities.png") > 2_000
    assert_quiet(view)


def test_community_overview_of_netscience_matches_the_stored_run(graph, neo4j_env, shared_dir, open_view, tmp_path):
    load(shared_dir / "data" / "newman_gml" / "netscience.gml")
    stored = CliRunner().invoke(cli, ["communities", "--write", "net", "--format", "json"])
    assert stored.exit_code == 0, stored.output
    html = draw(tmp_path, "communities", "net", "--max-nodes", "60", "--pages", "2", name="net.html")
    view = open_view(html)
    total = graph.read("MATCH (c:Community {run: 'net'}) RETURN count(c) AS n")[0]["n"]
    assert total > 60
    assert view.page.evaluate(NODES) == 60
    links = graph.read(
        """
        MATCH (c:Community {run: 'net'})<-[:MEMBER_OF]-(:Author)-[:COAUTHOR]-(:Author)-[:MEMBER_OF]->(d:Community)
        WHERE d.run = 'net' AND c.index < d.index AND d.index <= 60
        RETURN count(DISTINCT [c.index, d.index]) AS n
        """
    )[0]["n"]
    assert view.page.evaluate(EDGES) == links
    assert f"60 communities of {total:,}" in view.page.locator(".caption").inner_text()
    assert len(view.page.locator(".legend li").all_inner_texts()) == 11  # ten colours and "50 more communities"
    label = view.page.evaluate("network.body.data.nodes.get('c1').label")
    assert search(view, label) == ["c1"]
    link = view.page.locator("#details-body a")
    assert link.get_attribute("href") == "net-community-1.html"
    assert (tmp_path / "net-community-1.html").is_file() and (tmp_path / "net-community-3.html").exists() is False
    assert screenshot(view, tmp_path / "overview.png") > 2_000
    assert_quiet(view)

    link.click()  # the community opens as its own view, in place of the overview
    view.page.wait_for_url("**/net-community-1.html")
    wait_until_drawn(view)
    members = graph.read("MATCH (a:Author)-[:MEMBER_OF]->(:Community {id: 'net/1'}) RETURN collect(a.id) AS ids")
    assert set(node_ids(view)) <= set(members[0]["ids"])
    assert view.page.evaluate(NODES) == min(len(members[0]["ids"]), 60)
    assert view.page.evaluate(EDGES) == ties_among(graph, node_ids(view))
    assert view.page.locator("h1").inner_text() == f"Community {label}"
    assert_quiet(view)


def test_path_view_labels_each_hop_with_a_joint_paper(graph, neo4j_env, open_view, tmp_path):
    load(DEMO)
    view = open_view(draw(tmp_path, "path", "Ana Sousa", "Mei Lin", "--all"))
    chains = graph.read(
        """
        MATCH (a:Author {name: 'Ana Sousa'}), (b:Author {name: 'Mei Lin'})
        MATCH p = ALL SHORTEST (a)-[:COAUTHOR]-+(b)
        RETURN [n IN nodes(p) | n.id] AS ids
        """
    )
    authors = {author for row in chains for author in row["ids"]}
    hops = {frozenset(pair) for row in chains for pair in zip(row["ids"], row["ids"][1:], strict=False)}
    assert view.page.evaluate(NODES) == len(authors)
    assert view.page.evaluate(EDGES) == len(hops)
    labels = view.page.evaluate("network.body.data.edges.get().map(edge => edge.label)")
    titles = {row["title"] for row in graph.read("MATCH (p:Paper) RETURN p.title AS title")}
    assert all(any(title.startswith(label.split(" (+")[0].rstrip("…")) for title in titles) for label in labels)
    assert search(view, "mei") and view.page.locator("#details-body strong").inner_text() == "Mei Lin"
    assert screenshot(view, tmp_path / "path.png") > 1_000
    assert_quiet(view)


def test_papers_view_draws_authors_papers_and_topics_in_their_own_shapes(graph, neo4j_env, open_view, tmp_path):
    load(DEMO)
    view = open_view(draw(tmp_path, "papers", "Wei Chen"))
    counts = graph.read(
        """
        MATCH (:Author {name: 'Wei Chen'})-[:AUTHORED]->(p:Paper)
        OPTIONAL MATCH (a:Author)-[w:AUTHORED]->(p)
        WITH collect(DISTINCT p) AS papers, collect(DISTINCT a) AS authors, count(DISTINCT w) AS authored
        UNWIND papers AS p
        OPTIONAL MATCH (p)-[h:HAS_TOPIC]->(t:Topic)
        RETURN size(papers) AS papers, size(authors) AS authors, authored,
               count(DISTINCT t) AS topics, count(DISTINCT h) AS has_topic
        """
    )[0]
    shapes = view.page.evaluate("network.body.data.nodes.get().map(node => node.shape)")
    assert shapes.count("square") == counts["papers"]
    assert shapes.count("dot") == counts["authors"]
    assert shapes.count("diamond") == counts["topics"]
    assert view.page.evaluate(EDGES) == counts["authored"] + counts["has_topic"]
    assert view.page.locator(".legend .swatch-square").count() == 1
    assert search(view, "citation forecasting")[0].startswith("p:")
    assert view.page.locator("#details-body strong").inner_text().startswith("Calibrated Uncertainty")
    assert screenshot(view, tmp_path / "papers.png") > 2_000
    assert_quiet(view)


def test_topic_map_counts_topics_and_co_occurrences(graph, neo4j_env, shared_dir, open_view, tmp_path):
    load(shared_dir / "data" / "arxiv_atom" / "arxiv_api_query_testing_100.xml")
    view = open_view(draw(tmp_path, "topics"))
    topics = graph.read("MATCH (t:Topic) WHERE EXISTS { (:Paper)-[:HAS_TOPIC]->(t) } RETURN count(t) AS n")[0]["n"]
    pairs = graph.read(
        """
        MATCH (s:Topic)<-[:HAS_TOPIC]-(:Paper)-[:HAS_TOPIC]->(t:Topic) WHERE s.id < t.id
        RETURN count(DISTINCT [s.id, t.id]) AS n
        """
    )[0]["n"]
    assert view.page.evaluate(NODES) == min(topics, 300)
    assert view.page.evaluate(EDGES) == pairs
    assert view.page.locator(".legend li").count() >= 1
    assert screenshot(view, tmp_path / "topics.png") > 2_000
    assert_quiet(view)


@pytest.mark.parametrize("command", ["communities", "papers", "path", "topics", "ego"])
def test_hostile_names_titles_and_topics_never_run(graph, neo4j_env, open_view, tmp_path, command):
    load(HOSTILE)
    graph.write("MATCH (t:Topic) SET t.name = $name", name=SCRIPT_END)
    args = {
        "communities": ["communities"],
        "papers": ["papers", "Mallory Example"],
        "path": ["path", "Zoë O'Brien-Łukasz", SCRIPT_END],
        "topics": ["topics"],
        "ego": ["ego", "Mallory Example", "--depth", "2"],
    }[command]
    view = open_view(draw(tmp_path, *args))
    assert view.page.evaluate(NODES) > 1
    labels = view.page.evaluate(
        "network.body.data.nodes.get().concat(network.body.data.edges.get()).map(item => item.label || '').join(' ')"
    )
    assert IMG in labels or SCRIPT_END in labels or "<svg" in labels
    for node in node_ids(view):
        view.page.evaluate(
            "id => { network.selectNodes([id]); network.emit('select', {nodes: [id], edges: []}); }", node
        )
    for edge in view.page.evaluate("network.body.data.edges.getIds()"):  # a hop's panel lists its paper titles
        view.page.evaluate(
            "id => { network.selectEdges([id]); network.emit('select', {nodes: [], edges: [id]}); }", edge
        )
    assert view.page.locator("img, svg").count() == 0
    assert_quiet(view)


def test_papers_of_an_openalex_topic_link_to_their_dois(graph, neo4j_env, shared_dir, open_view, tmp_path):
    load(shared_dir / "data" / "openalex" / "works_list_200_biodiversity_finance.json.gz")
    topic = graph.read(
        "MATCH (:Paper)-[:HAS_TOPIC]->(t:Topic) RETURN t.id AS id, count(*) AS n ORDER BY n DESC, id LIMIT 1"
    )[0]["id"]
    on_topic = graph.read(
        """
        MATCH (:Topic {id: $id})<-[:SUBTOPIC_OF*0..]-(:Topic)<-[:HAS_TOPIC]-(p:Paper)
        RETURN collect(DISTINCT p.id) AS ids
        """,
        id=topic,
    )[0]["ids"]
    view = open_view(draw(tmp_path, "papers", "--topic", topic, "--max-nodes", "120"))
    papers = [node[2:] for node in node_ids(view) if node.startswith("p:")]
    assert 0 < len(papers) <= len(on_topic) and set(papers) <= set(on_topic)
    assert view.page.evaluate(NODES) <= 120
    caption = view.page.locator(".caption").inner_text()
    assert caption.startswith(f"{len(papers)} of {len(on_topic)} papers" if len(papers) < len(on_topic) else "All ")
    doi = graph.read("MATCH (p:Paper) WHERE p.id IN $ids AND p.doi IS NOT NULL RETURN p.doi AS doi LIMIT 1", ids=papers)
    paper = f"p:doi:{doi[0]['doi']}"
    view.page.evaluate("id => { network.selectNodes([id]); network.emit('select', {nodes: [id], edges: []}); }", paper)
    link = view.page.locator("#details-body a").first
    assert link.get_attribute("href") == f"https://doi.org/{doi[0]['doi']}"
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert_quiet(view)


def test_every_view_of_the_seed_page(graph, neo4j_env, seed_page, open_view, tmp_path):
    load(seed_page)
    ends = graph.read(
        """
        MATCH (a:Author)-[:COAUTHOR]-(:Author {name: 'Zishi Zhang'})-[:COAUTHOR]-(b:Author)
        WHERE a.id < b.id AND NOT EXISTS { (a)-[:COAUTHOR]-(b) }
        RETURN a.name AS first, b.name AS second ORDER BY first, second LIMIT 1
        """
    )[0]
    papers = graph.read("MATCH (:Author {name: 'Zishi Zhang'})-[:AUTHORED]->(p:Paper) RETURN count(p) AS n")[0]["n"]
    topics = graph.read("MATCH (t:Topic) WHERE EXISTS { (:Paper)-[:HAS_TOPIC]->(t) } RETURN count(t) AS n")[0]["n"]
    authors = graph.read("MATCH (a:Author) WHERE EXISTS { (a)-[:COAUTHOR]-() } RETURN count(a) AS n")[0]["n"]
    expected = {
        "ego": (["ego", "Zishi Zhang"], 13),
        "communities": (["communities"], authors),
        "path": (["path", ends["first"], ends["second"]], 3),
        "papers": (["papers", "Zishi Zhang"], None),
        "topics": (["topics"], topics),
    }
    for name, (args, nodes) in expected.items():
        view = open_view(draw(tmp_path, *args, name=f"{name}.html"), f"{name}-opened.html")
        if nodes is not None:
            assert view.page.evaluate(NODES) == nodes, name
        assert screenshot(view, tmp_path / f"seed-{name}.png") > 1_000, name
        assert_quiet(view)
        again = draw(tmp_path, *args, name=f"{name}-again.html")
        assert again == (tmp_path / f"{name}.html").read_text(encoding="utf-8"), f"{name} is not deterministic"
    drawn = open_view((tmp_path / "papers.html").read_text(encoding="utf-8"), "papers-again.html")
    assert drawn.page.evaluate("network.body.data.nodes.get().filter(n => n.shape === 'square').length") == papers
    zishi = graph.read("MATCH (a:Author {name: 'Zishi Zhang'}) RETURN a.id AS id")[0]["id"]
    assert search(drawn, "Zishi") == [f"a:{zishi}"]


def test_ego_path_and_top_authors_of_netscience_say_what_they_cut(graph, neo4j_env, shared_dir, open_view, tmp_path):
    load(shared_dir / "data" / "newman_gml" / "netscience.gml")
    centre = graph.read(
        "MATCH (a:Author) RETURN a.id AS id, a.name AS name, COUNT { (a)-[:COAUTHOR]-() } AS ties "
        "ORDER BY ties DESC, id LIMIT 1"
    )[0]
    around = graph.read(
        "MATCH (:Author {id: $id})-[:COAUTHOR]-{1,2}(b:Author) WHERE b.id <> $id RETURN count(DISTINCT b) AS n",
        id=centre["id"],
    )[0]["n"]
    assert around > 40
    ego = open_view(draw(tmp_path, "ego", centre["id"], "--depth", "2", "--max-nodes", "40", name="ego.html"))
    assert ego.page.evaluate(NODES) == 40
    assert ego.page.evaluate(EDGES) == ties_among(graph, node_ids(ego))
    assert f"; {around + 1 - 40:,} more authors within 2 hops left out" in ego.page.locator(".caption").inner_text()
    assert search(ego, centre["name"]) == [centre["id"]]
    assert screenshot(ego, tmp_path / "netscience-ego.png") > 2_000
    assert_quiet(ego)

    rows = graph.read("MATCH (a:Author)-[c:COAUTHOR]->(b:Author) RETURN a.id AS a, b.id AS b, c.weight AS weight")
    ties = nx.Graph()
    ties.add_weighted_edges_from((row["a"], row["b"], row["weight"]) for row in rows)
    hops = nx.single_source_shortest_path_length(ties, centre["id"])
    length, far = max((length, author) for author, length in hops.items() if length <= 6)
    assert length >= 3
    path = open_view(draw(tmp_path, "path", centre["id"], far, name="path.html"), "path-opened.html")
    assert path.page.evaluate(NODES) == length + 1
    assert path.page.evaluate(EDGES) == length
    caption = path.page.locator(".caption").inner_text()
    assert caption.startswith(f"1 shortest chain of {length} hops from {centre['name']} to {names_of(graph, [far])[0]}")
    assert screenshot(path, tmp_path / "netscience-path.png") > 1_000
    assert_quiet(path)

    assert CliRunner().invoke(cli, ["communities", "--write", "net"]).exit_code == 0
    args = ["communities", "net", "--show", "authors", "--max-nodes", "100"]
    top = open_view(draw(tmp_path, *args, name="top.html"), "top-opened.html")
    members = graph.read("MATCH (a:Author)-[:MEMBER_OF]->(:Community {run: 'net'}) RETURN collect(a.id) AS ids")[0][
        "ids"
    ]
    pagerank = nx.pagerank(ties.subgraph(members), weight="weight")
    assert len(pagerank) == len(members)
    ranked = sorted(pagerank, key=lambda author: -pagerank[author])
    assert top.page.evaluate(NODES) == 100
    assert set(ranked[:90]) <= set(node_ids(top)), "the drawn authors are the top 100 by PageRank"
    caption = top.page.locator(".caption").inner_text()
    assert caption.startswith(f"Top 100 of {len(members):,} authors by PageRank, in ")
    assert_quiet(top)
