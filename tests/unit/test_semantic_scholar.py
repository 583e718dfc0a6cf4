"""The Semantic Scholar loader: every real response counted with json/gzip by hand or from PROVENANCE.md, and
inline responses for each rule (batches with nulls, null authorIds, citation pages, ids, kinds, topics)."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from graph.errors import InputError
from graph.model import Paper
from loaders import LoadResult, read_file, semantic_scholar

AS_OF = date(2026, 11, 27)
CITATIONS_FILE = "paper_2d5673ca_with_1000_citations.json.gz"
AUTHOR_FILE = "author_2262347_with_papers.json"
FILES = {  # file -> (paper records, profiles, problems), from PROVENANCE.md
    CITATIONS_FILE: (1 + 1000, 0, 0),
    AUTHOR_FILE: (60, 1, 0),
    "paper_batch_fields_authors.json": (3, 0, 0),  # no title, DOI or arXiv id: keyed by paperId
    "paper_batch_allfields_with_null.json": (3, 0, 1),
    "paper_authors_endpoint.json": (0, 4, 0),
    "author_batch_with_null.json": (0, 3, 1),
    "author_search_turing.json": (0, 59, 0),
}


@pytest.fixture(scope="module")
def data_dir(shared_dir: Path) -> Path:
    return shared_dir / "data" / "s2"


def raw(path: Path) -> Any:
    data = path.read_bytes()
    return json.loads(gzip.decompress(data) if path.suffix == ".gz" else data)


def raw_papers(document: Any) -> list[dict[str, Any]]:
    """The paper objects of a response, found by hand: batch elements, an author's papers, a paper and citations."""
    if isinstance(document, list):
        return [item for item in document if item and "paperId" in item]
    if "papers" in document:
        return document["papers"]
    if "citations" in document:
        return [document, *document["citations"]]
    return []


def paper(**fields: Any) -> dict[str, Any]:
    """A small S2 paper; ``fields`` override its keys."""
    base = {
        "paperId": "a" * 40,
        "externalIds": {"DOI": "10.1000/ABC", "CorpusId": 42},
        "title": "A Paper",
        "abstract": "Plain text.",
        "venue": "Journal of Tests",
        "year": 2020,
        "publicationDate": "2020-05-17",
        "citationCount": 3,
        "publicationTypes": ["JournalArticle"],
        "fieldsOfStudy": None,
        "s2FieldsOfStudy": [],
        "authors": [{"authorId": "1", "name": "Ada Lovelace"}, {"authorId": None, "name": "Charles Babbage"}],
    }
    return {**base, **fields}


def parse(value: Any, name: str = "inline.json") -> LoadResult:
    return semantic_scholar.parse(json.dumps(value), name, as_of=AS_OF)


def one(**fields: Any) -> Paper:
    (found,) = parse(paper(**fields)).papers
    return found


# --- every real file -----------------------------------------------------------------------------------------


def listed(authors: list[dict]) -> int:
    """A raw paper's authors, each authorId counted once (as the loader keeps them), by hand."""
    ids = [author["authorId"] for author in authors if author.get("authorId")]
    return len(authors) - (len(ids) - len(set(ids)))


@pytest.mark.parametrize("name", FILES)
def test_record_and_authorship_counts_match(data_dir: Path, name: str):
    papers, profiles, problems = FILES[name]
    result = read_file(data_dir / name, as_of=AS_OF)
    found = raw_papers(raw(data_dir / name))
    authored = [p for p in found if any(a.get("name", "").strip() for a in p["authors"])]  # the rest is noted
    assert result.format == "semantic_scholar"
    assert (len(found), len(result.profiles), len(result.problems)) == (papers, profiles, problems)
    assert len(result.papers) == len(authored)
    assert [note.message.split(": ")[-1] for note in result.notes] == ["not a paper to load"] * (papers - len(authored))
    assert sum(len(p.authors) for p in result.papers) == sum(listed(p["authors"]) for p in found)
    assert result.records_read == papers + profiles + problems


def test_citations_file_matches_provenance_figures(data_dir: Path):
    result = read_file(data_dir / CITATIONS_FILE, as_of=AS_OF)
    cited, citing = result.papers[0], result.papers[1:]
    assert (cited.title, cited.doi, cited.year) == (
        "Computing Machinery and Intelligence",
        "10.1093/mind/lix.236.433",
        1950,
    )
    authors = [author for paper in citing for author in paper.authors]
    assert len(authors) == 3389 - 1  # one citing paper lists an author (one authorId) twice: kept once
    assert len({author.ids["s2"] for author in authors if "s2" in author.ids}) == 3226
    assert max(len(paper.authors) for paper in citing) == 29
    raw_nameless = [
        a["name"] for p in raw(data_dir / CITATIONS_FILE)["citations"] for a in p["authors"] if not a["authorId"]
    ]
    assert [a.name for a in authors if "s2" not in a.ids] == raw_nameless
    assert len(raw_nameless) == 3


def test_references_are_not_loaded(data_dir: Path):
    references = raw(data_dir / CITATIONS_FILE)["references"]
    loaded = {paper.external_ids["s2"] for paper in read_file(data_dir / CITATIONS_FILE, as_of=AS_OF).papers}
    assert len(references) == 14  # PROVENANCE
    assert loaded.isdisjoint(ref["paperId"] for ref in references)


def test_author_with_papers_gives_the_owner_profile_with_metrics(data_dir: Path):
    document = raw(data_dir / AUTHOR_FILE)
    result = read_file(data_dir / AUTHOR_FILE, as_of=AS_OF)
    (owner,) = result.profiles
    assert (owner.name, owner.ids) == ("A. Turing", {"s2": "2262347", "dblp": "Alan M. Turing"})
    assert owner.metrics == {
        "papers": document["paperCount"],
        "citations": document["citationCount"],
        "h_index": document["hIndex"],
    }
    assert owner.source_ref == f"{AUTHOR_FILE}:1"
    assert [p.source_ref for p in result.papers] == [f"{AUTHOR_FILE}:{n}" for n in range(2, 62)]


@pytest.mark.parametrize("name", ["paper_batch_allfields_with_null.json", "author_batch_with_null.json"])
def test_null_batch_element_is_a_problem_naming_its_index(data_dir: Path, name: str):
    (problem,) = read_file(data_dir / name, as_of=AS_OF).problems
    assert (problem.line, problem.excerpt) == (1, "null")
    assert problem.message == "null batch element: the requested id was not found (index 0)"
    with pytest.raises(InputError, match=r"\(index 0\)"):
        read_file(data_dir / name, as_of=AS_OF, strict=True)


def test_batch_without_titles_keys_papers_by_paper_id(data_dir: Path):
    result = read_file(data_dir / "paper_batch_fields_authors.json", as_of=AS_OF)
    expected = [f"s2:{item['paperId']}" for item in raw(data_dir / "paper_batch_fields_authors.json")]
    assert [paper.key for paper in result.papers] == expected
    assert len({paper.key for paper in result.papers}) == 3
    assert all(paper.match_key is None for paper in result.papers)


# --- the rules, on inline responses --------------------------------------------------------------------------


def test_fields_of_a_paper():
    found = one(externalIds={"DOI": "10.1000/ABC", "ArXiv": "2203.06249", "PubMed": "35271777", "CorpusId": 7})
    assert (found.title, found.doi, found.arxiv_id) == ("A Paper", "10.1000/abc", "2203.06249")
    assert found.external_ids == {"s2": "a" * 40, "pmid": "35271777", "s2_corpus": "7"}
    assert (found.year, found.date, found.date_precision) == (2020, "2020-05-17", "day")
    assert (found.venue, found.kind, found.citations) == ("Journal of Tests", "journal-article", 3)
    assert (found.abstract, found.abstract_text) == ("Plain text.", "Plain text.")
    assert (found.source, found.source_ref) == ("semantic_scholar", "inline.json:1")


def test_null_author_id_keeps_the_author_by_name():
    ada, charles = one().authors
    assert (ada.name, ada.position, ada.ids) == ("Ada Lovelace", 1, {"s2": "1"})
    assert (charles.name, charles.position, charles.ids) == ("Charles Babbage", 2, {})
    assert charles.key == "name:charles babbage"


def test_author_orcid_and_first_dblp_name():
    author = {"authorId": "5", "name": "Ada", "externalIds": {"ORCID": "0000-0002-1694-233X", "DBLP": ["A. L.", "B"]}}
    (found,) = one(authors=[author]).authors
    assert found.ids == {"s2": "5", "orcid": "0000-0002-1694-233X", "dblp": "A. L."}


def test_an_author_without_a_name_is_left_out_with_a_note():
    authors = [{"authorId": "9", "name": " "}, {"authorId": "7", "name": "Ada"}, {"authorId": "8", "name": "_"}]
    result = parse([paper(), paper(authors=authors)])
    assert (len(result.papers), result.problems) == (2, [])
    assert [(a.name, a.position) for a in result.papers[1].authors] == [("Ada", 2)]
    assert [(note.line, note.message) for note in result.notes] == [
        (2, "author 1 '' left out: its name has no letter or digit"),
        (2, "author 3 '_' left out: its name has no letter or digit"),
    ]


def test_an_author_that_is_not_an_object_makes_its_paper_a_problem():
    result = parse([paper(), paper(authors=["Ada"])])
    assert len(result.papers) == 1
    assert [(p.line, p.message) for p in result.problems] == [(2, "author[0] is not an object")]


@pytest.mark.parametrize(
    ("types", "kind"),
    [
        (["Review", "JournalArticle"], "journal-article"),
        (["Conference"], "proceedings-article"),
        (["BookSection"], "book-chapter"),
        (["LettersAndComments"], "letters-and-comments"),
        (["Review"], "review"),
        (None, None),
        ([], None),
    ],
)
def test_kind_from_publication_types(types: list[str] | None, kind: str | None):
    assert one(publicationTypes=types).kind == kind


def test_fields_of_study_are_deduplicated_topics():
    fields = {
        "fieldsOfStudy": ["Computer Science", "Medicine"],
        "s2FieldsOfStudy": [
            {"category": "Computer Science", "source": "external"},
            {"category": "Computer Science", "source": "s2-fos-model"},
            {"category": "Psychology", "source": "s2-fos-model"},
        ],
    }
    assert [(t.id, t.name, t.kind) for t in one(**fields).topics] == [
        ("s2_field:computer-science", "Computer Science", "s2_field"),
        ("s2_field:medicine", "Medicine", "s2_field"),
        ("s2_field:psychology", "Psychology", "s2_field"),
    ]


@pytest.mark.parametrize(("year", "expected"), [(1950, (1950, "1950", "year")), (None, (None, None, None))])
def test_without_a_publication_date_the_year_alone(year: int | None, expected: tuple):
    found = one(publicationDate=None, year=year)
    assert (found.year, found.date, found.date_precision) == expected


def test_empty_venue_falls_back_to_the_journal_name():
    assert one(venue="", journal={"name": "Mind"}).venue == "Mind"


def test_fields_of_an_unexpected_type_read_as_absent():
    found = one(externalIds=["10.1/x"], fieldsOfStudy="Physics", publicationTypes=[["Review"]], journal="Mind")
    assert (found.doi, found.external_ids, found.topics, found.kind) == (None, {"s2": "a" * 40}, (), None)
    result = parse(paper(authors="Ada Lovelace"))
    assert (result.papers, [note.message for note in result.notes]) == (
        [],
        ["'10.1000/abc' has no authors: not a paper to load"],
    )


def test_citation_page_unwraps_citing_papers():
    page = {"offset": 0, "next": 2, "data": [{"citingPaper": paper()}, {"citingPaper": paper(paperId="b" * 40)}]}
    assert semantic_scholar.sniff(json.dumps(page))
    assert [p.external_ids["s2"] for p in parse(page).papers] == ["a" * 40, "b" * 40]


def test_json_lines_of_papers_number_by_line():
    text = "\n".join([json.dumps(paper()), "", json.dumps(paper(externalIds={"DOI": "10.1/b"}))])
    result = semantic_scholar.parse(text, "papers.jsonl", as_of=AS_OF)
    assert [(p.doi, p.source_ref) for p in result.papers] == [
        ("10.1000/abc", "papers.jsonl:1"),
        ("10.1/b", "papers.jsonl:3"),
    ]


def test_paper_without_title_but_with_doi_is_kept():
    assert one(title=None).title == ""
    assert one(title=None).key == "doi:10.1000/abc"


def test_paper_without_title_or_any_id_is_a_problem_naming_its_place():
    result = parse([paper(), paper(paperId=None, externalIds=None, title=None, venue=None)], "batch.json")
    assert [p.source_ref for p in result.papers] == ["batch.json:1"]
    assert [(p.line, p.message, p.excerpt) for p in result.problems] == [
        (
            2,
            "no title and no id (DOI, arXiv id or the source's own): nothing tells this record apart",
            "batch.json:2 Ada Lovelace 2020",
        )
    ]


def test_title_and_venue_lose_their_markup():
    found = one(title="Growth of <i>E. coli</i> in H<sub>2</sub>O", venue="Policy &amp; Internet")
    assert (found.title, found.venue) == ("Growth of E. coli in H2O", "Policy & Internet")


@pytest.mark.parametrize("value", [{"error": "Paper not found"}, {"message": "Too Many Requests"}, "text"])
def test_other_json_is_not_claimed_and_refused(value: Any):
    assert not semantic_scholar.sniff(json.dumps(value))
    with pytest.raises(InputError, match="not a Semantic Scholar paper, author, batch or list response"):
        parse(value)
