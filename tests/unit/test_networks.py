"""Networks without papers: SNAP edge lists and GML files as ties, and (real Neo4j) dblp + netscience loaded twice."""

from __future__ import annotations

import gzip
import html
import re
from itertools import combinations
from pathlib import Path

import pytest

from graph.connection import Graph
from graph.errors import InputError
from graph.writer import write_records
from loaders import LoadResult, detect_format, edge_list, gml, read_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ORIGINAL_LAYOUT = FIXTURES / "gml_original_layout.gml"

# PROVENANCE.md: data lines, nodes, undirected edges including self-loops, self-loops
SNAP = {
    "ca-GrQc.txt.gz": (28980, 5242, 14496, 12),
    "CA-HepTh.noheader.txt.gz": (51971, 9877, 25998, 25),
    "CA-HepPh.noheader.txt.gz": (237010, 12008, 118521, 32),
    "ca-CondMat.noheader.txt.gz": (186936, 23133, 93497, 58),
    "ca-AstroPh.undirected-shuffled.txt.gz": (198110, 18772, 198110, 60),
}
NETSCIENCE_NODES, NETSCIENCE_EDGES = 1589, 2742  # PROVENANCE.md


def pairs_in(text: str) -> set[tuple[str, str]]:
    """The distinct unordered pairs of a SNAP text without self-loops, by a regex over its lines."""
    return {tuple(sorted(pair, key=int)) for pair in re.findall(r"^(\d+)[ \t]+(\d+)\r?$", text, re.M)} - {
        (a, a) for a in re.findall(r"^(\d+)[ \t]+\1\r?$", text, re.M)
    }


# --- SNAP edge lists ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=sorted(SNAP))
def snap(request: pytest.FixtureRequest, shared_dir: Path) -> tuple[str, str, LoadResult]:
    path = shared_dir / "data" / "snap" / request.param
    return request.param, gzip.decompress(path.read_bytes()).decode(), read_file(path)


def test_snap_files_are_detected_and_read_without_problems(snap):
    name, text, result = snap
    assert detect_format(name, text) == "snap"
    assert (result.format, result.problems, result.papers) == ("snap", [], [])


def test_snap_one_tie_per_unordered_pair_without_self_loops(snap):
    name, text, result = snap
    lines, _, undirected, self_loops = SNAP[name]
    assert result.records_read == lines == len(re.findall(r"^\d", text, re.M))
    assert len(result.ties) == undirected - self_loops == len(pairs_in(text))


def test_snap_self_loops_are_each_noted_at_their_line(snap):
    name, text, result = snap
    loops = [
        (number, line.split()[0])
        for number, line in enumerate(text.splitlines(), 1)
        if re.fullmatch(r"(\d+)\s+\1", line)
    ]
    assert len(loops) == SNAP[name][3]  # PROVENANCE.md: 12 in ca-GrQc
    assert [(note.line, note.message) for note in result.notes] == [
        (number, f"self-loop {node}-{node} not loaded: a tie needs two authors") for number, node in loops
    ]


def test_snap_ties_are_weight_one_between_dataset_scoped_nodes(snap):
    name, text, result = snap
    dataset = name.split(".")[0]
    expected = {(f"{dataset}/{a}", f"{dataset}/{b}") for a, b in pairs_in(text)}
    assert {(tie.a.ids["node"], tie.b.ids["node"]) for tie in result.ties} == expected
    assert {(tie.weight, tie.source) for tie in result.ties} == {(1.0, "snap")}
    assert all(tie.a.name == tie.a.ids["node"].split("/")[1] and tie.a.position == 0 for tie in result.ties)


def test_snap_source_ref_is_the_first_line_of_the_pair(shared_dir: Path):
    result = read_file(shared_dir / "data" / "snap" / "ca-GrQc.txt.gz")
    first = result.ties[0]
    assert (first.a.ids, first.b.ids) == ({"node": "ca-GrQc/937"}, {"node": "ca-GrQc/3466"})
    assert first.source_ref == "ca-GrQc.txt.gz:5"  # after the 4 header lines


def test_snap_inline_crlf_reversed_duplicates_self_loops_and_a_bad_line():
    text = "# header\r\n1\t2\r\n2\t1\r\n\r\n3 3\r\n2  5\r\nx y\r\n1\t2 9\r\n5 2"
    result = edge_list.parse(text, "/data/tiny.edges.txt", as_of=None)
    assert [(tie.a.ids["node"], tie.b.ids["node"], tie.source_ref) for tie in result.ties] == [
        ("tiny/1", "tiny/2", "tiny.edges.txt:2"),
        ("tiny/2", "tiny/5", "tiny.edges.txt:6"),
    ]
    assert [(problem.line, problem.excerpt) for problem in result.problems] == [(7, "x y"), (8, "1\t2 9")]
    assert result.records_read == 7
    assert [(note.line, note.message) for note in result.notes] == [
        (5, "self-loop 3-3 not loaded: a tie needs two authors")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# Nodes: 3\n1\t2\n2\t1\n", True),
        ("17010 1943\r\n17010 2489", True),
        ("# only a comment\n", False),
        ("1,2\n2,3\n", False),
        ("1 2 3\n", False),
        ("id\tname\n1\tAda\n", False),
        ("", False),
    ],
)
def test_snap_sniff(text: str, expected: bool):
    assert edge_list.sniff(text) is expected


# --- GML ----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def netscience(shared_dir: Path) -> tuple[Path, str, LoadResult]:
    path = shared_dir / "data" / "newman_gml" / "netscience.gml"
    return path, path.read_text(), read_file(path)


def test_netscience_edges_become_ties_between_its_labelled_nodes(netscience):
    path, text, result = netscience
    assert detect_format(path, text) == "gml"
    assert (result.format, result.problems) == ("gml", [])
    assert len(re.findall(r"^\s*node \[", text, re.M)) == NETSCIENCE_NODES
    assert result.records_read == len(result.ties) == NETSCIENCE_EDGES == len(re.findall(r"\bedge \[", text))
    with_edges = set(re.findall(r"^\s*(?:source|target) (\d+)$", text, re.M))
    assert {tie.a.ids["node"] for tie in result.ties} | {tie.b.ids["node"] for tie in result.ties} == {
        f"netscience/{node}" for node in with_edges
    }


def test_netscience_nodes_without_ties_are_each_noted(netscience):
    _, text, result = netscience
    labels = dict(re.findall(r"^\s*id (\d+)\s+label \"([^\"]*)\"", text, re.M))
    with_edges = set(re.findall(r"^\s*(?:source|target) (\d+)$", text, re.M))
    alone = sorted(set(labels) - with_edges, key=int)
    assert len(alone) == 128 == NETSCIENCE_NODES - len(with_edges)  # PROVENANCE.md: 128 of the 1,589 nodes
    assert [(note.line, note.message) for note in result.notes] == [
        (0, f"node {node} {labels[node]!r} not loaded: it has no ties") for node in alone
    ]


def test_netscience_weights_labels_and_lines(netscience):
    _, text, result = netscience
    values = [float(value) for value in re.findall(r"^\s*value (\S+)$", text, re.M)]
    assert sum(tie.weight for tie in result.ties) == pytest.approx(sum(values))
    first = result.ties[0]
    assert (first.a.name, first.b.name, first.weight, first.source) == ("ABRAMSON, G", "KUPERMAN, M", 2.5, "gml")
    lines = text.splitlines()
    for tie in result.ties[:50]:
        number = int(tie.source_ref.split(":")[1])
        block = " ".join(lines[number - 1 : number + 3])
        source, target = (tie.a.ids["node"].split("/")[1], tie.b.ids["node"].split("/")[1])
        assert re.fullmatch(rf"\s*edge \[\s+source ({source}|{target})\s+target ({target}|{source})\s.*", block)


def test_gml_original_layout_homonym_labels_and_self_loop():
    result = read_file(ORIGINAL_LAYOUT)
    ties = [(tie.a.name, tie.a.ids["node"], tie.b.name, tie.b.ids["node"], tie.weight) for tie in result.ties]
    assert ties == [
        ("ABRAMSON, G", "gml_original_layout/0", "KUPERMAN, M", "gml_original_layout/1", 2.5),
        ("KUPERMAN, M", "gml_original_layout/1", "ABRAMSON, G", "gml_original_layout/2", 0.333333),
    ]
    assert [tie.source_ref for tie in result.ties] == ["gml_original_layout.gml:25", "gml_original_layout.gml:31"]
    assert result.records_read == 3
    assert [(note.line, note.message) for note in result.notes] == [
        (37, "self-loop 1-1 not loaded: a tie needs two authors"),
        (0, "node 3 'LONELY, L' not loaded: it has no ties"),
    ]


def test_gml_bad_weight_is_a_problem_and_broken_gml_an_input_error():
    text = 'graph [\n node [ id 0 ]\n node [ id 1 ]\n edge [ source 0 target 1 value "heavy" ]\n]\n'
    result = gml.parse(text, "bad.gml", as_of=None)
    assert (result.ties, [(p.line, p.message) for p in result.problems]) == (
        [],
        [(4, "edge 0-1: value 'heavy' is not a positive number")],
    )
    with pytest.raises(InputError, match=r"broken\.gml:3: malformed GML"):
        gml.parse("graph [\n node [ id 0 ]\n", "broken.gml", as_of=None)
    with pytest.raises(InputError, match="undefined target 5"):
        gml.parse("graph [ node [ id 0 ] edge [ source 0 target 5 ] ]", "dangling.gml", as_of=None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("graph [\n  node [\n", True),
        ('Creator "Mark Newman"\ngraph\n[\n', True),
        ("1 2\n", False),
        ("<graphml>", False),
        ("title = graph [1]", False),
    ],
)
def test_gml_sniff(text: str, expected: bool):
    assert gml.sniff(text) is expected


# --- into Neo4j ---------------------------------------------------------------------------------------------


def dblp_authorships(raw: str) -> list[list[str]]:
    """Per record with authors, its distinct author strings (entities unescaped), by regex over the raw XML."""
    records = [match[0] for match in re.finditer(r"<(\w+) mdate=.*?</\1>", raw, re.S) if "<author" in match[0]]
    return [sorted({html.unescape(name) for name in re.findall(r"<author[^>]*>(.*?)</author>", r)}) for r in records]


def counts(graph: Graph) -> tuple[int, int, int]:
    query = """
    CALL () { MATCH (p:Paper) RETURN count(p) AS papers }
    CALL () { MATCH (a:Author) RETURN count(a) AS authors }
    CALL () { MATCH ()-[c:COAUTHOR]->() RETURN count(c) AS ties }
    RETURN papers, authors, ties
    """
    row = graph.read(query)[0]
    return row["papers"], row["authors"], row["ties"]


def weight_between(graph: Graph, a: str, b: str) -> list[float]:
    query = "MATCH (:Author {name: $a})-[c:COAUTHOR]-(:Author {name: $b}) RETURN c.weight AS w"
    return [row["w"] for row in graph.read(query, a=a, b=b)]


def weights(graph: Graph) -> list[tuple[str, str, float]]:
    rows = graph.read("MATCH (a)-[c:COAUTHOR]->(b) RETURN a.id AS a, b.id AS b, c.weight AS w ORDER BY a, b")
    return [(row["a"], row["b"], row["w"]) for row in rows]


@pytest.mark.neo4j
def test_dblp_and_netscience_load_into_neo4j_and_a_reload_changes_nothing(graph: Graph, shared_dir: Path):
    dblp_path = shared_dir / "data" / "dblp" / "dblp_alltags_sample.xml"
    gml_path = shared_dir / "data" / "newman_gml" / "netscience.gml"
    results = [read_file(dblp_path), read_file(gml_path)]
    for result in results:
        write_records(graph, result.papers, result.profiles, result.ties)

    # Independent counts. Every dblp name here appears with one suffix or none, so the count holds whether
    # authors are keyed by display name or by dblp id.
    authorships = dblp_authorships(dblp_path.read_text())
    dblp_pairs = {pair for names in authorships for pair in combinations(names, 2)}
    gml_text = gml_path.read_text()
    gml_nodes = set(re.findall(r"^\s*(?:source|target) (\d+)$", gml_text, re.M))
    expected = (
        len(authorships),
        len({name for names in authorships for name in names}) + len(gml_nodes),
        len(dblp_pairs) + NETSCIENCE_EDGES,
    )
    assert counts(graph) == expected
    joint = sum({"Jacob Sanchez", "Alex Jalomo"} <= set(names) for names in authorships)
    assert weight_between(graph, "Jacob Sanchez", "Alex Jalomo") == [joint]
    assert weight_between(graph, "ABRAMSON, G", "KUPERMAN, M") == [2.5]

    before = weights(graph)
    for result in results:
        summary = write_records(graph, result.papers, result.profiles, result.ties)
        assert (summary.nodes_created, summary.relationships_created) == (0, 0)
    assert counts(graph) == expected
    assert weights(graph) == before
