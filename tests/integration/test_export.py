"""Exports read back with networkx and as VOSviewer files, checked against what Neo4j holds (counted in Cypher here)."""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path

import networkx as nx
import pytest

from graph.connection import Graph
from graph.errors import InputError, NotFound
from graph.model import AuthorRef, Paper, TopicRef
from graph.writer import write_records
from loaders import read_file
from queries.communities import detect_communities, write_run
from queries.networks import Network, read_network
from queries.projection import project_coauthors
from viz.export import MAX_VOSVIEWER_CLUSTER, output_paths, write_network

AS_OF = date(2026, 11, 27)
RUN = "export-test"
READERS = {"graphml": nx.read_graphml, "gexf": nx.read_gexf}
MAP_COLUMNS = ["id", "label", "description", "url"]  # VOSviewer's map file: these first, then cluster, weight<>...

HOSTILE = (
    'Zoë "Quote" O\'Brien',
    "Tab\tIn Name",
    "Line\nBreak",
    "张伟",
    "Ünal, Çağr\u0131; Ш",  # dotless i
    "<img src=x onerror=alert(1)>",
)
VENUE = "<script>alert(1)</script> Proc."
TOPIC = TopicRef("arxiv:cs.LG", 'Learning "deep"; <b>', "arxiv_category")


def load(graph: Graph, path: Path) -> None:
    result = read_file(path, as_of=AS_OF)
    write_records(graph, result.papers, result.profiles, result.ties)


@pytest.fixture
def seeded(graph: Graph, seed_page: Path) -> Graph:
    """The seed page, with a stored Leiden run over its coauthors."""
    load(graph, seed_page)
    projection = project_coauthors(graph)
    write_run(graph, RUN, projection, detect_communities(projection, seed=42))
    return graph


@pytest.fixture
def netscience(graph: Graph, shared_dir: Path) -> Graph:
    load(graph, shared_dir / "data" / "newman_gml" / "netscience.gml")
    return graph


@pytest.fixture
def hostile(graph: Graph) -> Graph:
    """Two papers whose authors and topic carry quotes, tabs, line breaks, separators, markup and non-Latin text."""
    authors = tuple(AuthorRef(name, position) for position, name in enumerate(HOSTILE, start=1))
    papers = [
        Paper(
            'A "paper"; with, separators',
            authors[:4],
            "test",
            "p1",
            year=2020,
            doi="10.1/x<y>",
            venue=VENUE,
            topics=(TOPIC,),
        ),
        Paper("Second\tpaper\nhere", authors[2:], "test", "p2", year=2021, arxiv_id="2101.00001"),
    ]
    write_records(graph, papers)
    return graph


def neo4j_ties(graph: Graph) -> dict[frozenset[str], float]:
    rows = graph.read("MATCH (a:Author)-[c:COAUTHOR]-(b:Author) WHERE a.id < b.id RETURN a.id, b.id, c.weight")
    return {frozenset((row["a.id"], row["b.id"])): row["c.weight"] for row in rows}


def neo4j_authors(graph: Graph) -> dict[str, dict]:
    rows = graph.read(
        """MATCH (a:Author)
           OPTIONAL MATCH (a)-[:MEMBER_OF]->(c:Community {run: $run})
           RETURN a.id AS id, a.name AS name, c.index AS community, COUNT { (a)-[:AUTHORED]->(:Paper) } AS papers""",
        run=RUN,
    )
    return {row["id"]: row for row in rows}


def export(graph: Graph, tmp_path: Path, fmt: str, what: str = "coauthors", run: str | None = None) -> list[Path]:
    return write_network(read_network(graph, what, run=run), fmt, tmp_path / f"{what}.{fmt}")


def read_tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as lines:
        return list(csv.reader(lines, delimiter="\t"))


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_gephi_formats_hold_every_author_tie_weight_and_community(seeded: Graph, tmp_path: Path, fmt: str):
    [path] = export(seeded, tmp_path, fmt, run=RUN)
    read = READERS[fmt](path)
    authors, ties = neo4j_authors(seeded), neo4j_ties(seeded)
    assert set(read.nodes) == set(authors)
    assert {frozenset(edge): float(w) for *edge, w in read.edges(data="weight")} == ties
    assert {node: data["label"] for node, data in read.nodes(data=True)} == {a: r["name"] for a, r in authors.items()}
    assert {node: data["papers"] for node, data in read.nodes(data=True)} == {
        a: r["papers"] for a, r in authors.items()
    }
    communities = {node: data.get("community") for node, data in read.nodes(data=True)}
    assert communities == {a: r["community"] for a, r in authors.items()}
    assert len(set(communities.values())) > 1
    degrees = {node: data["degree"] for node, data in read.nodes(data=True)}
    assert degrees == dict(read.degree())
    tied = read.subgraph(node for node, degree in read.degree() if degree)
    pagerank = {**dict.fromkeys(read, 0.0), **nx.pagerank(tied, weight="weight")}  # over the tied authors, as central
    assert all(data["pagerank"] == pytest.approx(pagerank[node], abs=1e-6) for node, data in read.nodes(data=True))


def test_coauthor_years_match_the_joint_papers(seeded: Graph, tmp_path: Path):
    [path] = export(seeded, tmp_path, "graphml")
    read = nx.read_graphml(path)
    rows = seeded.read(
        """MATCH (a:Author)-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(b:Author) WHERE a.id < b.id
           RETURN a.id AS a, b.id AS b, min(p.year) AS first, max(p.year) AS last"""
    )
    assert {(r["a"], r["b"]): (r["first"], r["last"]) for r in rows} == {
        tuple(sorted((a, b))): (data["first_year"], data["last_year"]) for a, b, data in read.edges(data=True)
    }


def test_netscience_ties_and_fractional_weights_survive_every_format(netscience: Graph, tmp_path: Path):
    ties = neo4j_ties(netscience)
    authors = netscience.read("MATCH (a:Author) RETURN count(a) AS n")[0]["n"]
    assert len(ties) == 2742 and any(not float(w).is_integer() for w in ties.values())  # PROVENANCE.md: 2,742 ties
    for fmt, reader in READERS.items():
        read = reader(export(netscience, tmp_path, fmt)[0])
        assert read.number_of_nodes() == authors
        assert {frozenset(edge): w for *edge, w in read.edges(data="weight")} == pytest.approx(ties)
    document = json.loads(export(netscience, tmp_path, "json")[0].read_text(encoding="utf-8"))
    read = nx.node_link_graph(document, edges="links")
    assert read.number_of_nodes() == authors
    assert {frozenset(edge): w for *edge, w in read.edges(data="weight")} == ties
    map_rows, network_rows = (read_tsv(path) for path in export(netscience, tmp_path, "vosviewer"))
    assert len(map_rows) == authors + 1 and len(network_rows) == len(ties)
    assert sum(float(row[2]) for row in network_rows) == pytest.approx(sum(ties.values()))


def test_vosviewer_files_follow_the_documented_layout(seeded: Graph, tmp_path: Path):
    map_path, network_path = export(seeded, tmp_path, "vosviewer", run=RUN)
    assert (map_path.name, network_path.name) == ("coauthors_map.vosviewer", "coauthors_network.vosviewer")
    header, *items = read_tsv(map_path)
    assert header[:5] == [*MAP_COLUMNS, "cluster"]
    assert {"weight<Documents>", "weight<Coauthors>", "weight<Tie strength>", "score<PageRank>"} <= set(header)
    assert all(column.startswith(("weight<", "score<")) and column.endswith(">") for column in header[5:])
    assert all(len(row) == len(header) for row in items)
    ids = [int(row[0]) for row in items]
    assert ids == list(range(1, len(items) + 1))
    authors = neo4j_authors(seeded)
    by_label = {row[1]: row for row in items}
    assert set(by_label) == {r["name"] for r in authors.values()}
    column = header.index("weight<Documents>")
    assert {label: int(row[column]) for label, row in by_label.items()} == {
        r["name"]: r["papers"] for r in authors.values()
    }
    assert {label: int(row[4]) for label, row in by_label.items()} == {
        r["name"]: r["community"] for r in authors.values()
    }
    links = read_tsv(network_path)
    assert all(len(link) == 3 for link in links)
    assert {int(link[0]) for link in links} | {int(link[1]) for link in links} <= set(ids)
    assert sorted(float(link[2]) for link in links) == sorted(neo4j_ties(seeded).values())


def test_vosviewer_json_has_items_links_and_clusters(seeded: Graph, tmp_path: Path):
    [path] = export(seeded, tmp_path, "vosviewer-json", run=RUN)
    network = json.loads(path.read_text(encoding="utf-8"))["network"]
    authors = neo4j_authors(seeded)
    assert len(network["items"]) == len(authors)
    ids = {item["id"] for item in network["items"]}
    assert all({link["source_id"], link["target_id"]} <= ids for link in network["links"])
    assert sorted(link["strength"] for link in network["links"]) == sorted(neo4j_ties(seeded).values())
    clusters = {item["label"]: item["cluster"] for item in network["items"]}
    assert clusters == {r["name"]: r["community"] for r in authors.values()}
    assert all(1 <= n <= MAX_VOSVIEWER_CLUSTER for n in clusters.values())
    assert all(set(item["weights"]) == {"Documents", "Coauthors", "Tie strength"} for item in network["items"])
    assert all(value >= 0 for item in network["items"] for value in item["weights"].values())


def test_papers_network_has_every_author_paper_and_topic(seeded: Graph, tmp_path: Path):
    document = json.loads(export(seeded, tmp_path, "json", what="papers", run=RUN)[0].read_text(encoding="utf-8"))
    read = nx.node_link_graph(document, edges="links")
    kinds = {kind: sum(1 for _n, k in read.nodes(data="kind") if k == kind) for kind in ("author", "paper", "topic")}
    counts = seeded.read(
        """RETURN COUNT { (:Author) } AS author, COUNT { (:Paper) } AS paper,
                  COUNT { MATCH (t:Topic) WHERE EXISTS { (:Paper)-[:HAS_TOPIC]->(t) } } AS topic,
                  COUNT { ()-[:AUTHORED]->() } AS authored, COUNT { ()-[:HAS_TOPIC]->() } AS has_topic"""
    )[0]
    assert kinds == {kind: counts[kind] for kind in kinds}
    relations = [relation for *_edge, relation in read.edges(data="relation")]
    assert (relations.count("AUTHORED"), relations.count("HAS_TOPIC")) == (counts["authored"], counts["has_topic"])
    assert all(read.nodes[a]["kind"] != read.nodes[b]["kind"] for a, b in read.edges)
    assert document["graph"]["cluster_labels"] == {"1": "Authors", "2": "Papers", "3": "Topics"}
    communities = {n: c for n, c in read.nodes(data="community") if c is not None}
    assert communities == {f"author:{a}": r["community"] for a, r in neo4j_authors(seeded).items()}


def test_openalex_papers_and_topics_in_vosviewer_json(graph: Graph, shared_dir: Path, tmp_path: Path):
    load(graph, shared_dir / "data" / "openalex" / "works_list_11_results.json")
    counts = graph.read(
        """MATCH (t:Topic) WHERE EXISTS { (:Paper)-[:HAS_TOPIC]->(t) }
           RETURN COUNT { (:Author) } + COUNT { (:Paper) } + count(t) AS nodes,
                  COUNT { ()-[:AUTHORED]->() } + COUNT { ()-[:HAS_TOPIC]->() } AS edges, count(t) AS topics"""
    )[0]
    assert counts["topics"] > 10
    [path] = export(graph, tmp_path, "vosviewer-json", what="papers")
    network = json.loads(path.read_text(encoding="utf-8"))["network"]
    assert (len(network["items"]), len(network["links"])) == (counts["nodes"], counts["edges"])
    assert [c["label"] for c in network["clusters"]] == ["Authors", "Papers", "Topics"]
    [path] = export(graph, tmp_path, "vosviewer-json", what="topics")
    network = json.loads(path.read_text(encoding="utf-8"))["network"]
    assert len(network["items"]) == counts["topics"]
    assert {c["cluster"] for c in network["clusters"]} == {item["cluster"] for item in network["items"]}


def test_topics_network_ties_topics_by_shared_papers(seeded: Graph, tmp_path: Path):
    [path] = export(seeded, tmp_path, "gexf", what="topics")
    read = nx.read_gexf(path)
    rows = seeded.read("MATCH (p:Paper)-[:HAS_TOPIC]->(t:Topic) RETURN p.id AS paper, collect(t.id) AS topics")
    papers: dict[str, int] = {}
    shared: dict[frozenset[str], int] = {}
    for row in rows:
        for topic in row["topics"]:
            papers[topic] = papers.get(topic, 0) + 1
            for other in row["topics"]:
                if topic < other:
                    shared[frozenset((topic, other))] = shared.get(frozenset((topic, other)), 0) + 1
    assert dict(read.nodes(data="papers")) == papers
    assert {frozenset(edge): w for *edge, w in read.edges(data="weight")} == shared
    assert all(isinstance(theme, int) and theme >= 1 for _n, theme in read.nodes(data="theme"))


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_hostile_texts_round_trip_exactly(hostile: Graph, tmp_path: Path, fmt: str):
    [path] = export(hostile, tmp_path, fmt, what="papers")
    if fmt == "json":
        read = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="links")
    else:
        read = READERS[fmt](path)
    labels = {label for _node, label in read.nodes(data="label")}
    assert set(HOSTILE) | {TOPIC.name, "Second\tpaper\nhere", 'A "paper"; with, separators'} <= labels


def test_hostile_texts_in_vosviewer_files(hostile: Graph, tmp_path: Path):
    map_path, network_path = export(hostile, tmp_path, "vosviewer", what="papers")
    header, *items = read_tsv(map_path)
    assert all(len(row) == len(header) for row in items)
    labels = {row[1] for row in items}
    assert {name.replace("\t", " ").replace("\n", " ") for name in HOSTILE} <= labels
    assert "Second paper here" in labels
    descriptions = " ".join(row[2] for row in items)  # HTML in VOSviewer: every text in them is escaped
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Proc." in descriptions and "<script>" not in descriptions
    urls = {row[3] for row in items if row[3]}
    assert urls == {"https://doi.org/10.1/x%3Cy%3E", "https://arxiv.org/abs/2101.00001"}
    raw_lines = map_path.read_text(encoding="utf-8").splitlines()
    assert len(raw_lines) == len(items) + 1  # one line per item: no raw line break survived
    links = read_tsv(network_path)
    assert len(links) == 4 + 4 + 1 and {int(i) for link in links for i in link[:2]} == {int(row[0]) for row in items}
    [path] = export(hostile, tmp_path, "vosviewer-json", what="papers")
    network = json.loads(path.read_text(encoding="utf-8"))["network"]
    assert set(HOSTILE) <= {item["label"] for item in network["items"]}
    assert {item["cluster"] for item in network["items"]} == {1, 2, 3}


def test_control_characters_become_replacement_characters_in_xml(graph: Graph, tmp_path: Path):
    write_records(graph, [Paper("Bell\x07 title", (AuthorRef("Nul\x00l Name", 1),), "test", "p")])
    for fmt, reader in READERS.items():
        labels = {label for _n, label in reader(export(graph, tmp_path, fmt, what="papers")[0]).nodes(data="label")}
        assert labels == {"Bell\ufffd title", "Nul\ufffdl Name"}


def test_unwritable_path_is_an_input_error_naming_it(seeded: Graph, tmp_path: Path):
    network = read_network(seeded, "coauthors")
    missing = tmp_path / "no-such-folder" / "out.graphml"
    with pytest.raises(InputError, match=re.escape(f"{missing}: cannot write the export: its folder does not exist")):
        write_network(network, "graphml", missing)
    with pytest.raises(InputError, match="this is a folder"):
        write_network(network, "json", tmp_path)
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    with pytest.raises(InputError, match=re.escape(f"{a_file / 'out_map.txt'}: cannot write")):
        write_network(network, "vosviewer", a_file / "out.txt")
    with pytest.raises(InputError, match=re.escape("/proc/out.gexf: cannot write the export: No such file")):
        write_network(network, "gexf", Path("/proc/out.gexf"))  # the check passes (even as root); open() fails


def test_unknown_run_is_not_found(seeded: Graph):
    with pytest.raises(NotFound, match="no community run named 'nope'"):
        read_network(seeded, "coauthors", run="nope")


def test_vosviewer_clusters_stop_at_1000(tmp_path: Path):
    network = nx.Graph()
    network.add_node("a", label="A", community=MAX_VOSVIEWER_CLUSTER)
    network.add_node("b", label="B", community=MAX_VOSVIEWER_CLUSTER + 1)
    [path] = write_network(Network("coauthors", network, "community"), "vosviewer-json", tmp_path / "c.json")
    items = json.loads(path.read_text(encoding="utf-8"))["network"]["items"]
    assert [item.get("cluster") for item in items] == [MAX_VOSVIEWER_CLUSTER, None]
    header, *rows = read_tsv(write_network(Network("coauthors", network, "community"), "vosviewer", tmp_path / "c")[0])
    assert [row[header.index("cluster")] for row in rows] == ["1000", ""]


def test_vosviewer_writes_two_files_named_after_the_output():
    assert output_paths("vosviewer", Path("out/net.txt")) == [Path("out/net_map.txt"), Path("out/net_network.txt")]
    assert output_paths("vosviewer", Path("net")) == [Path("net_map.txt"), Path("net_network.txt")]
    assert output_paths("gexf", Path("net.gexf")) == [Path("net.gexf")]


def test_empty_graph_exports_empty_files(graph: Graph, tmp_path: Path):
    read = nx.read_graphml(export(graph, tmp_path, "graphml")[0])
    assert read.number_of_nodes() == 0
    map_path, network_path = export(graph, tmp_path, "vosviewer")
    assert read_tsv(map_path) == [MAP_COLUMNS] and network_path.read_text() == ""
