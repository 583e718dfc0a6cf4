"""Author identity in a real Neo4j: strong ids across files and sources, evidence-backed name merges, node merges
when ids meet, and COAUTHOR ties that stay exact through all of it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from graph import candidates
from graph.candidates import fetch_identities
from graph.connection import Graph
from graph.evidence import mentions_of
from graph.model import AuthorRef, Paper
from graph.writer import delete_everything, write_records
from loaders import read_file

AUTHORS_PER_ID = """
MATCH (k:AuthorId)-[:IDENTIFIES]->(a:Author) WHERE k.id STARTS WITH $kind
RETURN k.id AS id, count(a) AS authors
"""
STORED_TIES = """
MATCH (a:Author)-[c:COAUTHOR]->(b:Author) WHERE NOT c.without_papers
RETURN a.id AS a, b.id AS b, c.weight AS weight, c.first_year AS first, c.last_year AS last ORDER BY a, b
"""
TIES_FROM_AUTHORED = """
MATCH (a:Author)-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(b:Author) WHERE a.id < b.id
RETURN a.id AS a, b.id AS b, count(DISTINCT p) AS weight, min(p.year) AS first, max(p.year) AS last ORDER BY a, b
"""


def assert_ties_exact(graph: Graph) -> None:
    """Every paper-backed COAUTHOR weight and year range equals what the AUTHORED relationships say."""
    assert graph.read(STORED_TIES) == graph.read(TIES_FROM_AUTHORED)


def load(graph: Graph, *paths: Path) -> None:
    for path in paths:
        result = read_file(path)
        write_records(graph, result.papers, result.profiles)


def source_ids(paths: list[Path], kind: str) -> dict[str, set[str]]:
    """Each author id of ``kind`` in the files, with every name it was written under (read without the writer)."""
    found: dict[str, set[str]] = {}
    for path in paths:
        result = read_file(path)
        for paper in result.papers:
            for author in paper.authors:
                if author.ids.get(kind):
                    found.setdefault(author.ids[kind], set()).add(author.name)
        for profile in result.profiles:
            if profile.ids.get(kind):
                found.setdefault(profile.ids[kind], set()).add(profile.name)
    return found


def test_same_openalex_id_is_one_author_across_two_files(graph: Graph, shared_dir: Path):
    folder = shared_dir / "data" / "openalex"
    paths = [folder / "works_list_200_biodiversity_finance.json.gz", folder / "works_list_11_results.json"]
    expected = source_ids(paths, "openalex")
    load(graph, *paths)
    rows = graph.read(AUTHORS_PER_ID, kind="openalex:")
    assert {row["id"].removeprefix("openalex:") for row in rows} == set(expected)
    assert {row["authors"] for row in rows} == {1}
    assert_ties_exact(graph)


def test_an_orcid_joins_a_crossref_author_and_the_orcid_owner(graph: Graph, shared_dir: Path):
    orcid = "0000-0003-1444-9135"
    paths = [
        shared_dir / "data" / "crossref" / "works_query_author_boettiger_20.json",
        shared_dir / "data" / "orcid" / f"orcid_v3.0_works_{orcid}.json",
    ]
    spellings = source_ids(paths, "orcid")[orcid]
    load(graph, *paths)
    [author] = graph.read(
        "MATCH (:AuthorId {id: $id})-[:IDENTIFIES]->(a:Author) "
        "RETURN a.names AS names, COLLECT { MATCH (a)-[:AUTHORED]->(p) UNWIND p.sources AS s RETURN DISTINCT s } AS s",
        id=f"orcid:{orcid}",
    )
    assert set(author["names"]) == spellings
    assert {"crossref", "orcid"} <= set(author["s"])
    assert graph.read("MATCH (a:Author {orcid: $orcid}) RETURN count(a) AS n", orcid=orcid) == [{"n": 1}]


def test_an_author_object_joins_the_author_of_its_works(graph: Graph, shared_dir: Path):
    folder = shared_dir / "data" / "openalex"
    load(graph, folder / "work_W2741809807.json", folder / "author_A5023888391.json")
    rows = graph.read(
        "MATCH (:AuthorId {id: 'openalex:A5023888391'})-[:IDENTIFIES]->(a:Author) "
        "RETURN a.reported_h_index IS NOT NULL AS reported, COUNT { (a)-[:AUTHORED]->() } AS papers"
    )
    assert rows == [{"reported": True, "papers": 1}]


def paper(title: str, *authors: AuthorRef, year: int = 2020, **fields) -> Paper:
    return Paper(title=title, authors=authors, source="test", source_ref=f"t:{title}", year=year, **fields)


def test_ids_that_meet_later_merge_two_author_nodes_with_a_record(graph: Graph):
    bob = AuthorRef("Bob Byron", 2)
    write_records(graph, [paper("One", AuthorRef("Ada Lovelace", 1, {"orcid": "1"}), bob, year=1842)])
    write_records(graph, [paper("Two", AuthorRef("A. Lovelace", 1, {"s2": "9"}), year=1843)])
    assert graph.read("MATCH (a:Author) RETURN count(a) AS n") == [{"n": 3}]
    write_records(graph, [paper("Three", AuthorRef("Ada Lovelace", 1, {"orcid": "1", "s2": "9"}), bob, year=1844)])
    [ada] = graph.read(
        "MATCH (a:Author)<-[:INTO]-(m:IdentityMerge) "
        "RETURN a.id AS id, a.names AS names, m.absorbed AS absorbed, m.rule AS rule, m.evidence AS evidence, "
        "[(a)<-[:IDENTIFIES]-(k) | k.id] AS ids, COUNT { (a)-[:AUTHORED]->() } AS papers"
    )
    assert (ada["id"], ada["absorbed"], ada["rule"], ada["papers"]) == ("orcid:1", "name:a lovelace", "orcid", 3)
    assert sorted(ada["ids"]) == ["orcid:1", "s2:9"] and sorted(ada["names"]) == ["A. Lovelace", "Ada Lovelace"]
    assert ada["evidence"] == "orcid 1.00: ids orcid:1, s2:9"
    assert_ties_exact(graph)
    assert graph.read(STORED_TIES)[0]["weight"] == 2


def test_a_name_only_mention_joins_only_with_evidence_which_is_recorded(graph: Graph):
    ren = AuthorRef("Tao Ren", 2)
    write_records(graph, [paper("A", AuthorRef("Wei Zhang", 1), ren), paper("B", AuthorRef("Wei Zhang", 1))])
    write_records(graph, [paper("C", AuthorRef("Zhang, Wei", 1), ren)])
    rows = graph.read(
        "MATCH (a:Author)-[r:AUTHORED]->(p:Paper) WHERE a.block_key = 'zhang w' "
        "RETURN p.title AS title, a.id AS id, r.identity_rule AS rule, r.identity_evidence AS evidence ORDER BY title"
    )
    assert [(row["title"], row["id"], row["rule"]) for row in rows] == [
        ("A", "name:wei zhang", "new"),
        ("B", "name:wei zhang~2", "new"),
        ("C", "name:wei zhang", "evidence"),
    ]
    assert rows[2]["evidence"] == "evidence 0.70 (exact name): coauthors ren t"
    assert_ties_exact(graph)


def test_a_second_source_of_a_paper_joins_its_authors_by_authorship(graph: Graph):
    write_records(graph, [paper("Engine", AuthorRef("J. Smith", 1), AuthorRef("Ann Lee", 2), doi="10.1/e")])
    write_records(graph, [paper("Engine", AuthorRef("John Smith", 1, {"orcid": "7"}), doi="10.1/e")])
    rows = graph.read("MATCH (a:Author) RETURN a.id AS id, a.names AS names, a.orcid AS orcid ORDER BY id")
    assert rows == [
        {"id": "name:ann lee", "names": ["Ann Lee"], "orcid": None},
        {"id": "name:j smith", "names": ["J. Smith", "John Smith"], "orcid": "7"},
    ]
    assert_ties_exact(graph)


def test_seed_near_namesakes_stay_two_authors(graph: Graph, seed_page: Path):
    load(graph, seed_page)
    rows = graph.read("MATCH (a:Author) WHERE a.block_key = 'jiang j' RETURN a.name AS name ORDER BY name")
    assert [row["name"] for row in rows] == ["Jingyang Jiang", "Jinyang Jiang"]
    assert_ties_exact(graph)


def test_same_semantic_scholar_id_is_one_author_across_files_and_profiles(graph: Graph, shared_dir: Path):
    folder = shared_dir / "data" / "s2"
    paths = [
        folder / "author_2262347_with_papers.json",
        folder / "author_search_turing.json",
        folder / "paper_authors_endpoint.json",
        folder / "paper_batch_fields_authors.json",
    ]
    expected = source_ids(paths, "s2")
    shared = source_ids(paths[:1], "s2").keys() & source_ids(paths[1:2], "s2").keys()
    assert shared  # the two files name one author in common
    load(graph, *paths)
    rows = graph.read(AUTHORS_PER_ID, kind="s2:")
    assert {row["id"].removeprefix("s2:") for row in rows} == set(expected)
    assert {row["authors"] for row in rows} == {1}
    for s2_id in shared:
        [author] = graph.read("MATCH (:AuthorId {id: $id})-[:IDENTIFIES]->(a) RETURN a.names AS n", id=f"s2:{s2_id}")
        assert set(author["n"]) == expected[s2_id]
    assert_ties_exact(graph)


COAUTHORS = """
MATCH (a:Author {id: $id})-[:COAUTHOR]-(b:Author) RETURN b.id AS id, b.block_key AS block
"""
REACH = """
MATCH (a:Author)-[:COAUTHOR]-(b:Author) WHERE a.id IN $among AND a.block_key IS NOT NULL
RETURN a.block_key AS block, collect(DISTINCT b.id) AS partners
"""
AUTHORSHIPS = """
MATCH (a:Author)-[r:AUTHORED]->(p:Paper) WHERE p.id IN $ids RETURN a.id AS author, p.id AS paper, r.position AS position
"""


def test_candidates_read_in_chunks_are_the_identities_the_graph_holds(
    graph: Graph, shared_dir: Path, monkeypatch: pytest.MonkeyPatch
):
    result = read_file(shared_dir / "data" / "openalex" / "works_list_200_biodiversity_finance.json.gz")
    write_records(graph, result.papers)
    mentions = [mention for paper in result.papers[:30] for mention in mentions_of(paper)]
    paper_ids = [row["id"] for row in graph.read("MATCH (p:Paper) RETURN p.id AS id ORDER BY id LIMIT 40")]
    whole, reach = graph.execute_read(fetch_identities, mentions, paper_ids)
    monkeypatch.setattr(candidates, "FETCH_CHUNK", 7)
    chunked, chunked_reach = graph.execute_read(fetch_identities, mentions, paper_ids)
    assert len(whole) > 3 * 7
    assert sorted(chunked, key=lambda identity: identity.id) == sorted(whole, key=lambda identity: identity.id)
    assert chunked_reach == reach
    papers: dict[str, dict[str, int]] = {}
    for row in graph.read(AUTHORSHIPS, ids=paper_ids):
        papers.setdefault(row["author"], {})[row["paper"]] = row["position"]
    for identity in whole:
        assert identity.papers == papers.get(identity.id, {})
        coauthors = graph.read(COAUTHORS, id=identity.id)
        assert identity.coauthors == Counter(row["block"] for row in coauthors)
        assert identity.partners == {row["id"] for row in coauthors}
    among = [identity.id for identity in whole]
    expected = {row["block"]: set(row["partners"]) for row in graph.read(REACH, among=among)}
    assert {block: partners for block, partners in reach.items() if partners} == expected
    assert any(len(partners) > 1 for partners in reach.values())


AUTHORSHIP_GROUPS = """
MATCH (a:Author)-[r:AUTHORED]->(p:Paper) RETURN a.id AS author, collect([p.title, r.position]) AS papers
"""


def authorship_groups(graph: Graph) -> set[frozenset[tuple[str, int]]]:
    """Who wrote what, as a partition of the authorships (Author ids set aside)."""
    return {frozenset(map(tuple, row["papers"])) for row in graph.read(AUTHORSHIP_GROUPS)}


def test_the_graph_does_not_depend_on_the_batch_size(graph: Graph):
    # Two J. Bells (John Bell with Marcus Day, J. B. Bell with Ann Almgren): M. Day writing with Almgren is not two
    # hops from Marcus Day. A batch holding all three papers once said it was (through the name block "bell j"),
    # a batch per paper did not (through Author ids).
    papers = [
        Paper(
            title=title,
            authors=tuple(AuthorRef(name, i) for i, name in enumerate(names, 1)),
            source="t",
            source_ref=f"t:{n}",
        )
        for n, (title, names) in enumerate(
            [
                ("P0", ["Marcus Day", "John Bell"]),
                ("P1", ["Ann Almgren", "J. B. Bell"]),
                ("P2", ["M. Day", "Ann Almgren"]),
            ]
        )
    ]
    groups = {}
    for batch_size in (1, len(papers)):
        delete_everything(graph)
        write_records(graph, papers, batch_size=batch_size)
        groups[batch_size] = authorship_groups(graph)
    assert groups[1] == groups[len(papers)]
    assert frozenset({("P0", 1), ("P2", 1)}) not in groups[1]
    assert frozenset({("P1", 1), ("P2", 2)}) in groups[1]  # Almgren is one author


ZHAO_BIB = """
@inproceedings{a1, author={Junfeng Zhao and Alice Smith}, title={Service composition with QoS}, booktitle={ICWS},
  year={2010}}
@inproceedings{a2, author={J. Leon Zhao and Bob Jones}, title={Protein folding kinetics in membranes},
  booktitle={ICWS}, year={2015}}
@inproceedings{a3, author={Junfeng Zhao and Alice Smith}, title={QoS-aware service selection}, booktitle={ICWS},
  year={2016}}
"""
ZHAO_AUTHORSHIPS = """
MATCH (a:Author)-[r:AUTHORED]->(p:Paper) WHERE a.block_key = 'zhao j'
RETURN p.year AS year, a.id AS id, r.identity_evidence AS evidence ORDER BY year
"""


def test_initials_sharing_only_a_venue_with_a_full_name_stay_two_authors(graph: Graph, tmp_path: Path):
    # J. Leon Zhao and Junfeng Zhao at ICWS with different coauthors and topics: in a services-computing corpus the
    # venue is shared by every namesake (a shared venue alone once joined 20 such variants in dblp_soc_papers).
    path = tmp_path / "zhao.bib"
    path.write_text(ZHAO_BIB, encoding="utf-8")
    load(graph, path)
    assert [(row["year"], row["id"], row["evidence"]) for row in graph.read(ZHAO_AUTHORSHIPS)] == [
        (2010, "name:junfeng zhao", "new 0.00"),
        (2015, "name:j leon zhao", "new 0.00"),
        (2016, "name:junfeng zhao", "evidence 0.81 (exact name): coauthors smith a; venues venue:icws"),
    ]
    assert_ties_exact(graph)


HOMONYMS_XML = """<?xml version="1.0" encoding="ISO-8859-1"?>
<dblp>
<article key="journals/x/A1" mdate="2020-01-01"><author>Bing Li 0010</author><author>Ann Oak</author>
<title>Paper one.</title><year>2019</year><journal>J. X</journal></article>
<article key="journals/x/A2" mdate="2020-01-01"><author>Bing Li 0001</author><author>Ann Oak</author>
<title>Paper two.</title><year>2019</year><journal>J. X</journal></article>
<article key="journals/x/A3" mdate="2020-01-01"><author>Bing Li</author><author>Ann Oak</author>
<title>Paper three.</title><year>2020</year><journal>J. X</journal></article>
</dblp>
"""
LI_AUTHORSHIPS = """
MATCH (a:Author)-[r:AUTHORED]->(p:Paper) WHERE a.block_key = 'li b'
RETURN p.title AS title, a.id AS id, r.identity_rule AS rule, r.identity_evidence AS evidence ORDER BY title
"""


def test_a_mention_two_homonyms_fit_equally_well_joins_neither(graph: Graph, tmp_path: Path):
    path = tmp_path / "homonyms.xml"
    path.write_text(HOMONYMS_XML, encoding="iso-8859-1")
    load(graph, path)
    rows = graph.read(LI_AUTHORSHIPS)
    assert [(row["title"], row["id"], row["rule"]) for row in rows] == [
        ("Paper one", "dblp:Bing Li 0010", "new"),
        ("Paper three", "name:bing li", "ambiguous"),
        ("Paper two", "dblp:Bing Li 0001", "new"),
    ]
    assert rows[1]["evidence"] == "ambiguous 0.81 (exact name): tied between dblp:Bing Li 0001, dblp:Bing Li 0010"
    assert_ties_exact(graph)
