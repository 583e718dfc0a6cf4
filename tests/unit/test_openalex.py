"""The OpenAlex loader: every real file counted with json/gzip by hand, inline works for each rule, and one load
into a real Neo4j together with an arXiv feed (marked ``neo4j``)."""

from __future__ import annotations

import copy
import gzip
import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from graph.connection import Graph
from graph.model import Paper
from graph.writer import write_records
from loaders import LoadResult, detect_format, openalex, read_file
from loaders.openalex import invert_abstract
from queries.stats import graph_stats

AS_OF = date(2026, 11, 27)
WORK_FILES = {  # file -> works, from PROVENANCE.md
    "work_W2741809807.json": 1,
    "works_list_11_results.json": 11,
    "works_list_200_biodiversity_finance.json.gz": 200,
    "works_union_602.jsonl.gz": 602,
}
AUTHOR_FILE = "author_A5023888391.json"


@pytest.fixture(scope="module")
def data_dir(shared_dir: Path) -> Path:
    return shared_dir / "data" / "openalex"


def raw_works(path: Path) -> list[dict[str, Any]]:
    """The work objects of a file, read with gzip and json directly (not through the loader)."""
    data = path.read_bytes()
    text = (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8")
    if ".jsonl" in path.name:
        return [json.loads(line) for line in text.split("\n") if line.strip()]  # not splitlines(): U+2028 is text
    document = json.loads(text)
    return document.get("results", [document])


def authored(works: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The works with an author left to load (see :func:`listed`): the others are noted, not loaded."""
    return [work for work in works if listed(work)]


def no_author_notes(result: LoadResult) -> list[str]:
    return [note.message for note in result.notes if note.message.endswith("has no authors: not a paper to load")]


def listed(work: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """(position, authorship) of a raw work's authorships, without those repeating an author already listed on it
    (the loader keeps each author once) and those whose name has no letter or digit (``"_ _"``: left out), counted
    here by hand."""
    seen: set[str] = set()
    kept = []
    for position, authorship in enumerate(work["authorships"], start=1):
        ids = {authorship["author"]["id"], authorship["author"]["orcid"]} - {None}
        name = authorship["author"]["display_name"] or authorship["raw_author_name"] or ""
        if ids.isdisjoint(seen) and any(char.isalnum() for char in name):
            kept.append((position, authorship))
        seen |= ids
    return kept


def work(**fields: Any) -> dict[str, Any]:
    """A small OpenAlex work; ``fields`` override its keys."""
    base = {
        "id": "https://openalex.org/W100",
        "doi": "https://doi.org/10.1000/ABC",
        "title": "A Work",
        "publication_year": 2020,
        "publication_date": "2020-05-17",
        "type": "article",
        "cited_by_count": 4,
        "primary_location": {"source": {"display_name": "Journal of Tests"}},
        "authorships": [
            {
                "author_position": "first",
                "author": {"id": "https://openalex.org/A1", "display_name": "Ada Lovelace", "orcid": None},
                "institutions": [{"display_name": "Analytical Society"}, {"display_name": "Royal Society"}],
                "is_corresponding": True,
                "raw_author_name": "A. Lovelace",
            },
            {
                "author_position": "last",
                "author": {"id": None, "display_name": None, "orcid": None},
                "institutions": [],
                "raw_author_name": "C. Babbage",
            },
        ],
        "abstract_inverted_index": {"engine": [1], "An": [0]},
    }
    return {**base, **fields}


def parse(value: Any, name: str = "inline.json") -> LoadResult:
    return openalex.parse(json.dumps(value), name, as_of=AS_OF)


# --- every real works file, counted by hand -----------------------------------------------------------------


@pytest.mark.parametrize("name", WORK_FILES)
def test_paper_and_authorship_counts_match_a_hand_count(data_dir: Path, name: str):
    works = raw_works(data_dir / name)
    result = read_file(data_dir / name, as_of=AS_OF)
    assert result.format == "openalex"
    assert result.records_read == len(works) == WORK_FILES[name]
    assert len(result.papers) == len(authored(works))
    assert result.problems == []
    assert len(no_author_notes(result)) == len(works) - len(authored(works))
    assert sum(len(paper.authors) for paper in result.papers) == sum(len(listed(w)) for w in works)
    assert [paper.external_ids["openalex"] for paper in result.papers] == [
        w["id"].rsplit("/", 1)[1] for w in authored(works)
    ]


@pytest.mark.parametrize("name", WORK_FILES)
def test_author_ids_corresponding_flags_and_positions_match_the_raw_authorships(data_dir: Path, name: str):
    positioned = [pair for w in raw_works(data_dir / name) for pair in listed(w)]
    authorships = [authorship for _position, authorship in positioned]
    papers = read_file(data_dir / name, as_of=AS_OF).papers
    authors = [author for paper in papers for author in paper.authors]
    assert [a.ids.get("openalex") for a in authors] == [
        a["author"]["id"].rsplit("/", 1)[1] if a["author"]["id"] else None for a in authorships
    ]
    assert [a.ids.get("orcid") for a in authors] == [
        a["author"]["orcid"].rsplit("/", 1)[1] if a["author"]["orcid"] else None for a in authorships
    ]
    assert [a.corresponding for a in authors] == [a.get("is_corresponding") for a in authorships]
    assert [a.position for a in authors] == [position for position, _authorship in positioned]


def test_union_file_matches_provenance_figures(data_dir: Path):
    result = read_file(data_dir / "works_union_602.jsonl.gz", as_of=AS_OF)
    authors = [author for paper in result.papers for author in paper.authors]
    repeated = 8  # authorships naming an author already listed on their work (a book lists its editor 4 times)
    nameless = 1  # W4323311997 (line 62) lists "_ _" (A5000886350) last, 10th of 10: left out, with a note
    assert len(authors) == 2111 - repeated - nameless
    assert sum("openalex" not in author.ids for author in authors) == 25
    assert result.problems == []
    (untitled,) = [paper for paper in result.papers if not paper.title]  # line 12: title null, a DOI, 4 authors
    assert (untitled.source_ref, untitled.key, len(untitled.authors)) == (
        "works_union_602.jsonl.gz:12",
        "doi:10.18653/v1/n19-1423",
        4,
    )
    assert [note.message for note in result.notes if note.line == 62] == [
        "author 10 '_ _' left out: its name has no letter or digit"
    ]
    first_authorless = (9, "'10.1002/fsat.3503_12.x' has no authors: not a paper to load")  # W4200561248
    assert (result.notes[0].line, result.notes[0].message) == first_authorless
    (paper,) = [paper for paper in result.papers if paper.external_ids["openalex"] == "W4323311997"]
    assert [author.position for author in paper.authors] == list(range(1, 10))


def test_union_topics_are_the_raw_topics(data_dir: Path):
    works = authored(raw_works(data_dir / "works_union_602.jsonl.gz"))
    papers = read_file(data_dir / "works_union_602.jsonl.gz", as_of=AS_OF).papers
    for raw, paper in zip(works, papers, strict=True):
        expected = {t["id"].rsplit("/", 1)[1] for t in raw.get("topics") or []}
        if raw.get("primary_topic"):
            expected.add(raw["primary_topic"]["id"].rsplit("/", 1)[1])
        assert {t.id.removeprefix("openalex:") for t in paper.topics if t.kind == "openalex_topic"} == expected


def test_list_page_results_are_referenced_by_position(data_dir: Path):
    papers = read_file(data_dir / "works_list_11_results.json", as_of=AS_OF).papers
    authorless = 10  # W4200561248, the 10th result, has no authorships: noted, not loaded
    expected = [f"works_list_11_results.json:1:{n}" for n in range(1, 12) if n != authorless]
    assert [paper.source_ref for paper in papers] == expected


# --- one real work in detail -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def state_of_oa(data_dir: Path) -> Paper:
    (paper,) = read_file(data_dir / "work_W2741809807.json", as_of=AS_OF).papers
    return paper


def test_work_fields(state_of_oa: Paper):
    paper = state_of_oa
    assert paper.title.startswith("The state of OA: a large-scale analysis")
    assert (paper.doi, paper.venue, paper.kind, paper.citations) == ("10.7717/peerj.4375", "PeerJ", "article", 962)
    assert (paper.year, paper.date, paper.date_precision) == (2018, "2018-02-13", "day")
    assert (paper.external_ids, paper.source, paper.source_ref) == (
        {"openalex": "W2741809807"},
        "openalex",
        "work_W2741809807.json:1",
    )
    assert paper.key == "doi:10.7717/peerj.4375"


def test_work_authorships(state_of_oa: Paper):
    first, second, third = state_of_oa.authors[:3]
    assert (first.name, first.ids) == ("Heather Piwowar", {"openalex": "A5048491430", "orcid": "0000-0003-1613-5981"})
    assert second.key == "orcid:0000-0001-6187-6610"
    assert third.affiliation == "Université de Montréal; Université du Québec à Montréal"


def test_work_abstract_has_every_indexed_word(data_dir: Path, state_of_oa: Paper):
    index = raw_works(data_dir / "work_W2741809807.json")[0]["abstract_inverted_index"]
    assert len(state_of_oa.abstract.split(" ")) == sum(len(positions) for positions in index.values())
    assert state_of_oa.abstract.startswith("Despite growing interest in Open Access (OA) to scholarly literature")
    assert state_of_oa.abstract_text == state_of_oa.abstract


def test_topic_hierarchy_domain_field_subfield_topic(state_of_oa: Paper):
    topic = state_of_oa.topics[0]
    chain = []
    while topic is not None:
        chain.append((topic.id, topic.kind, topic.name))
        topic = topic.parent
    assert chain == [
        ("openalex:T10102", "openalex_topic", "scientometrics and bibliometrics research"),
        ("openalex:subfields/1804", "openalex_subfield", "Statistics, Probability and Uncertainty"),
        ("openalex:fields/18", "openalex_field", "Decision Sciences"),
        ("openalex:domains/2", "openalex_domain", "Social Sciences"),
    ]


def test_primary_topic_listed_once_and_only_assigned_broad_concepts(state_of_oa: Paper):
    ids = [topic.id for topic in state_of_oa.topics]
    assert len(ids) == len(set(ids))
    assert [t.id for t in state_of_oa.topics if t.kind == "openalex_topic"] == [
        "openalex:T10102",
        "openalex:T13607",
        "openalex:T11937",
    ]
    concepts = [(t.name, t.parent) for t in state_of_oa.topics if t.kind == "openalex_concept"]
    assert concepts == [
        ("Computer science", None),
        ("World Wide Web", None),
        ("Medicine", None),
        ("Library science", None),
    ]


# --- the author object ---------------------------------------------------------------------------------


def test_author_object_becomes_a_profile(data_dir: Path):
    raw = json.loads((data_dir / AUTHOR_FILE).read_text(encoding="utf-8"))
    result = read_file(data_dir / AUTHOR_FILE, as_of=AS_OF)
    assert (result.format, result.papers, result.problems, result.records_read) == ("openalex", [], [], 1)
    (profile,) = result.profiles
    assert (profile.name, profile.ids) == ("Jason Priem", {"openalex": "A5023888391", "orcid": "0000-0001-6187-6610"})
    stats = raw["summary_stats"]
    assert profile.metrics == {
        "works_count": raw["works_count"],
        "cited_by_count": raw["cited_by_count"],
        "h_index": stats["h_index"],
        "i10_index": stats["i10_index"],
        "mean_citedness_2yr": stats["2yr_mean_citedness"],
    }
    assert profile.primary_topic.id == "openalex:" + raw["topics"][0]["id"].rsplit("/", 1)[1]
    assert profile.primary_topic.parent.parent.parent.kind == "openalex_domain"
    assert profile.key == "orcid:0000-0001-6187-6610"


# --- inverted index -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("index", "text"),
    [
        ({"world": [1], "Hello": [0]}, "Hello world"),
        ({"the": [0, 2], "cat": [1], "mat": [3]}, "the cat the mat"),
        ({"gap": [5], "before": [0]}, "before gap"),
        (None, None),
        ({}, None),
    ],
)
def test_invert_abstract(index, text):
    assert invert_abstract(index) == text


@pytest.mark.parametrize("index", [["a", "b"], {"word": 3}, {"word": ["1"]}, {"word": [-1]}, {"word": [True]}])
def test_invert_abstract_refuses_malformed_indexes(index):
    with pytest.raises(ValueError, match="abstract_inverted_index"):
        invert_abstract(index)


# --- inline works: one rule each ------------------------------------------------------------------------------


def test_inline_work_authors_fallbacks_and_affiliations():
    (paper,) = parse(work()).papers
    ada, charles = paper.authors
    assert (ada.name, ada.ids, ada.corresponding) == ("Ada Lovelace", {"openalex": "A1"}, True)
    assert ada.affiliation == "Analytical Society; Royal Society"
    assert (charles.name, charles.ids, charles.affiliation, charles.corresponding) == ("C. Babbage", {}, None, None)
    assert (paper.doi, paper.abstract, paper.venue) == ("10.1000/ABC", "An engine", "Journal of Tests")


def test_arxiv_doi_gives_the_arxiv_id():
    (paper,) = parse(work(doi="https://doi.org/10.48550/arXiv.1810.04805")).papers
    assert (paper.doi, paper.arxiv_id) == ("10.48550/arXiv.1810.04805", "1810.04805")


def test_year_only_and_truncated_author_list():
    (paper,) = parse(work(publication_date=None, is_authors_truncated=True)).papers
    assert (paper.year, paper.date, paper.date_precision, paper.authors_truncated) == (2020, None, "year", True)


def test_page_with_bad_results_reports_each_with_its_position():
    nameless = copy.deepcopy(work(id="https://openalex.org/W3"))
    nameless["authorships"][1]["raw_author_name"] = None
    results = [
        work(id="https://openalex.org/W1"),
        work(id="https://openalex.org/W2", title=None, display_name=None),
        nameless,
        work(id="https://openalex.org/W4", publication_date="2020-13-01"),
        work(id="https://openalex.org/W5", abstract_inverted_index={"a": "b"}),
        {"id": "https://openalex.org/I5", "display_name": "An institution"},
    ]
    page = {"meta": {"count": 6, "db_response_time_ms": 3}, "results": results}
    result = parse(page, "page.json")
    # W2 has no title but a DOI: it loads, keyed by the DOI
    assert [paper.source_ref for paper in result.papers] == ["page.json:1:1", "page.json:1:2", "page.json:1:3"]
    assert [len(paper.authors) for paper in result.papers] == [2, 2, 1]  # W3's nameless second author is left out
    assert [(note.line, note.message) for note in result.notes] == [
        (1, "author 2 '' left out: its name has no letter or digit")
    ]
    assert [(p.line, p.message.split(":")[0], p.excerpt) for p in result.problems] == [
        (1, "publication_date is not a YYYY-MM-DD date", "page.json:1:4 https://openalex.org/W4"),
        (1, "abstract_inverted_index['a'] is not a list of positions", "page.json:1:5 https://openalex.org/W5"),
        (1, "not an OpenAlex work or author object", "page.json:1:6 https://openalex.org/I5"),
    ]
    assert result.records_read == 6


def test_json_lines_with_a_broken_line():
    text = "\n".join([json.dumps(work()), '{"id": "https://openalex.org/W2", "title": ', json.dumps(work(id="W3"))])
    result = openalex.parse(text + "\n", "part_000.jsonl", as_of=AS_OF)
    assert [paper.source_ref for paper in result.papers] == ["part_000.jsonl:1", "part_000.jsonl:3"]
    assert [paper.external_ids["openalex"] for paper in result.papers] == ["W100", "W3"]
    assert [(p.line, p.message.split(":")[0]) for p in result.problems] == [(2, "not valid JSON")]
    assert result.records_read == 3


def test_real_titles_lose_their_inline_html(data_dir: Path):
    """The union file's titles with tags (``<i>Anopheles stephensi</i>``, ``<sup>2</sup>``, and one escaped twice:
    ``&lt;i&gt;``), found in the raw JSON, load as their plain text."""
    tagged = {
        w["id"].rsplit("/", 1)[1]: w["title"]
        for w in authored(raw_works(data_dir / "works_union_602.jsonl.gz"))
        if re.search(r"<(i|sub|sup)>|&lt;i&gt;", w["title"] or "")
    }
    papers = read_file(data_dir / "works_union_602.jsonl.gz", as_of=AS_OF).papers
    titles = {paper.external_ids["openalex"]: paper.title for paper in papers}
    assert len(tagged) == 19
    for work_id, raw in tagged.items():
        plain = re.sub(r"</?(i|sub|sup)>", "", raw.replace("&lt;", "<").replace("&gt;", ">"))
        assert titles[work_id] == " ".join(plain.split())
    assert titles["W4399932279"].startswith("Molecular Confirmation of Anopheles stephensi Mosquitoes in the Al")


def test_a_work_without_authors_is_noted_and_one_without_a_title_loads_by_its_ids():
    result = parse_result(
        [work(id="W1", authorships=[]), work(id="W2", title=None, doi=None), work(id="W3", title="<i>E. coli</i>")]
    )
    assert [(note.line, note.message) for note in result.notes] == [
        (1, "'10.1000/ABC' has no authors: not a paper to load")
    ]
    assert [(paper.key, paper.title) for paper in result.papers] == [
        ("openalex:W2", ""),
        ("doi:10.1000/abc", "E. coli"),
    ]
    assert result.problems == []


def parse_result(works: list[dict[str, Any]]) -> LoadResult:
    return openalex.parse("\n".join(map(json.dumps, works)), "works.jsonl", as_of=AS_OF)


@pytest.mark.parametrize(
    "raw",
    ["Ada Lovelace", " Ada  Lovelace ", "Ada\nLovelace", "Ada\tLovelace", "Ada\u00a0Lovelace", "Ada\u2003 Lovelace"],
)
def test_names_have_their_whitespace_collapsed_like_collapse_spaces(raw: str):
    ada = {"author": {"id": "https://openalex.org/A1", "display_name": raw}, "institutions": [{"display_name": raw}]}
    (paper,) = parse(work(title=f"On {raw}", authorships=[ada])).papers
    assert (paper.title, paper.authors[0].name, paper.authors[0].affiliation) == (
        "On Ada Lovelace",
        "Ada Lovelace",
        "Ada Lovelace",
    )


def test_a_topic_in_many_works_is_the_same_chain_and_a_renamed_level_is_not_reused():
    def topic(field_name: str) -> dict[str, Any]:
        field = {"id": "https://openalex.org/fields/17", "display_name": field_name}
        return {"id": "https://openalex.org/T1", "display_name": "Graphs", "field": field}

    first, second, renamed = parse_works(
        [work(id=f"W{n}", topics=[topic(name)]) for n, name in enumerate(["CS", "CS", "Computer Science"])]
    )
    assert first.topics == second.topics
    assert [t.parent.name for t in (first.topics[0], renamed.topics[0])] == ["CS", "Computer Science"]
    assert renamed.topics[0].parent.parent is None


def parse_works(works: list[dict[str, Any]]) -> list[Paper]:
    return openalex.parse("\n".join(map(json.dumps, works)), "works.jsonl", as_of=AS_OF).papers


# --- sniffing ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [*WORK_FILES, AUTHOR_FILE])
def test_every_real_file_is_detected_as_openalex(data_dir: Path, name: str):
    data = (data_dir / name).read_bytes()
    text = (gzip.decompress(data) if name.endswith(".gz") else data).decode("utf-8")
    assert detect_format(name, text) == "openalex"


@pytest.mark.parametrize(
    "value",
    [
        {"status": "ok", "message-type": "work", "message": {"DOI": "10.1/x", "title": ["T"]}},  # Crossref
        {"DOI": "10.1/x", "is-referenced-by-count": 3, "author": []},  # Crossref work
        {"paperId": "abc", "title": "T", "authors": [{"authorId": "1", "name": "A"}]},  # Semantic Scholar
        {"total": 1, "offset": 0, "data": [{"paperId": "abc"}]},  # Semantic Scholar search page
        {"orcid-identifier": {"path": "0000-0001-6187-6610"}, "person": {}},  # ORCID record
        {"id": "0704.0001", "authors_parsed": [], "categories": "hep-ph", "versions": []},  # arXiv snapshot
        {"id": "https://openalex.org/I136199984", "display_name": "Harvard", "works_count": 5},  # institution
        {"id": "https://openalex.org/W1", "title": "select= without authorships"},
        {"meta": {"count": 0}, "results": []},  # some other API's empty page
    ],
)
def test_sniff_refuses_other_json(value: dict[str, Any]):
    assert not openalex.sniff(json.dumps(value))


def test_sniff_accepts_an_empty_openalex_page():
    assert openalex.sniff(json.dumps({"meta": {"count": 0, "db_response_time_ms": 4}, "results": []}))


# --- into Neo4j ----------------------------------------------------------------------------------------------

TOPIC_CHAIN = """
MATCH path = (:Topic {id: $topic})-[:SUBTOPIC_OF*]->(root:Topic)
WHERE NOT (root)-[:SUBTOPIC_OF]->()
RETURN [node IN nodes(path) | node.kind] AS kinds
"""
WEIGHTS = "MATCH (a)-[c:COAUTHOR]->(b) RETURN a.id AS a, b.id AS b, c.weight AS w ORDER BY a, b"


@pytest.mark.neo4j
def test_arxiv_feed_and_openalex_page_load_and_reload_changes_nothing(graph: Graph, shared_dir: Path):
    feed = shared_dir / "data" / "arxiv_atom" / "arxiv_api_query_testing_100.xml"
    page = shared_dir / "data" / "openalex" / "works_list_11_results.json"
    entries = ET.parse(feed).getroot().findall("{http://www.w3.org/2005/Atom}entry")
    # Two works of the page (2023 and 2024 records) share a DOI: they are one Paper.
    works = list({(w["doi"] or w["id"]).lower(): w for w in authored(raw_works(page))}.values())
    results = [read_file(feed, as_of=AS_OF), read_file(page, as_of=AS_OF)]
    for result in results:
        write_records(graph, result.papers, result.profiles)
    stats, weights = graph_stats(graph), graph.read(WEIGHTS)
    assert stats.papers == len(entries) + len(works)
    assert stats.authored == sum(len(e.findall("{http://www.w3.org/2005/Atom}author")) for e in entries) + sum(
        len(listed(w)) for w in works
    )
    assert graph.read(TOPIC_CHAIN, topic="openalex:T10140")[0]["kinds"] == [
        "openalex_topic",
        "openalex_subfield",
        "openalex_field",
        "openalex_domain",
    ]
    assert graph.read(TOPIC_CHAIN, topic="arxiv:cs.SE")[0]["kinds"] == ["arxiv_category", "arxiv_archive"]
    again = [write_records(graph, result.papers, result.profiles) for result in results]
    assert [(summary.nodes_created, summary.relationships_created) for summary in again] == [(0, 0), (0, 0)]
    assert (graph_stats(graph), graph.read(WEIGHTS)) == (stats, weights)
