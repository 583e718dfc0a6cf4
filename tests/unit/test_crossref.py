"""The Crossref loader: every real file counted with json/gzip by hand, inline works for each rule, the sniffers
of the three API loaders against every shared file, and one load of an S2, a Crossref and an ORCID file into a
real Neo4j (marked ``neo4j``)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from graph.connection import Graph
from graph.errors import InputError
from graph.writer import write_records
from loaders import LoadResult, crossref, decode, orcid, read_file, semantic_scholar
from loaders.crossref import normalize_doi, partial_date
from queries.stats import graph_stats

AS_OF = date(2026, 11, 27)
WORK_FILES = {  # file -> works, from PROVENANCE.md
    "work_10.1371_journal.pone.0033693.json": 1,
    "works_query_author_boettiger_20.json": 20,
    "works_sample_10.json": 10,
    "funder_100000001_works_100.json": 100,
    "works_union_1501.jsonl.gz": 1501,
}
UNION = "works_union_1501.jsonl.gz"
NAMELESS_DOI = "10.31390/gradschool_theses.6125"  # the union's one author entry with no name at all


@pytest.fixture(scope="module")
def data_dir(shared_dir: Path) -> Path:
    return shared_dir / "data" / "crossref"


@pytest.fixture(scope="module")
def loaded(data_dir: Path) -> Callable[[str], tuple[list[dict[str, Any]], LoadResult]]:
    """``loaded(name)``: the file's raw works and what the loader read, each file read once per module."""

    @cache
    def load(name: str) -> tuple[list[dict[str, Any]], LoadResult]:
        return raw_works(data_dir / name), read_file(data_dir / name, as_of=AS_OF)

    return load


def raw_works(path: Path) -> list[dict[str, Any]]:
    """The work objects of a file, read with gzip and json directly (not through the loader)."""
    data = path.read_bytes()
    text = (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8")
    if ".jsonl" in path.name:
        return [json.loads(line) for line in text.splitlines()]
    message = json.loads(text)["message"]
    return message.get("items", [message])


def named(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [entry for entry in entries if entry.get("family") or entry.get("given") or entry.get("name")]


def no_author_notes(result: LoadResult, messages: bool = False) -> list[Any]:
    """The notes of works left out for having no author (their messages, with ``messages``)."""
    found = [note for note in result.notes if note.message.endswith("has no authors: not a paper to load")]
    return [note.message for note in found] if messages else found


def work(**fields: Any) -> dict[str, Any]:
    """A small Crossref work; ``fields`` override its keys."""
    base = {
        "DOI": "10.1000/ABC",
        "title": ["A <i>Work</i>"],
        "type": "journal-article",
        "reference-count": 0,
        "is-referenced-by-count": 7,
        "container-title": ["Journal of Tests"],
        "issued": {"date-parts": [[2019, 2, 14]]},
        "author": [{"given": "Ada", "family": "Lovelace", "sequence": "first", "affiliation": []}],
    }
    return {**base, **fields}


def parse_works(*works: dict[str, Any]) -> LoadResult:
    envelope = {"status": "ok", "message-type": "work-list", "message": {"items": list(works)}}
    return crossref.parse(json.dumps(envelope), "inline.json", as_of=AS_OF)


def one_paper(**fields: Any):
    (paper,) = parse_works(work(**fields)).papers
    return paper


# --- every real file, counted by hand ----------------------------------------------------------------------


@pytest.mark.parametrize("name", WORK_FILES)
def test_paper_and_authorship_counts_match_a_hand_count(loaded, name: str):
    works, result = loaded(name)
    assert result.format == "crossref"
    authored = [w for w in works if named(w.get("author", []))]  # the others are noted, not loaded
    assert result.records_read == len(works) == WORK_FILES[name]
    assert len(result.papers) == len(authored)
    assert len(no_author_notes(result)) == len(works) - len(authored)
    assert sum(len(paper.authors) for paper in result.papers) == sum(len(named(w.get("author", []))) for w in works)
    assert [paper.doi for paper in result.papers] == [w["DOI"].lower() for w in authored]


def test_union_file_matches_provenance_figures(loaded):
    works, result = loaded(UNION)
    authors = [author for paper in result.papers for author in paper.authors]
    assert len(authors) == 4766 - 1  # PROVENANCE: 4,766 author entries; one of them names nobody
    assert sum("orcid" in author.ids for author in authors) == 820
    assert sum(author.affiliation is not None for author in authors) == 2109
    with_subjects, with_abstracts = ([w for w in works if w.get(key)] for key in ("subject", "abstract"))
    assert (len(with_subjects), len(with_abstracts)) == (857, 537)  # PROVENANCE, works with or without authors
    authored = [w for w in works if named(w.get("author", []))]
    assert sum(bool(paper.topics) for paper in result.papers) == sum(bool(w.get("subject")) for w in authored)
    assert sum(paper.abstract is not None for paper in result.papers) == sum(bool(w.get("abstract")) for w in authored)
    assert result.problems == []
    # the nameless entry is author[0], after the one marked "first": position 2
    [note] = [note for note in result.notes if note.line == 1047]
    assert (note.line, note.message) == (1047, "author 2 '' left out: its name has no letter or digit")


def test_union_works_without_authors_are_noted_and_untitled_ones_load_by_doi(loaded):
    """PLOS figure and table components (``....g006``) and other works listing no author are noted, not loaded;
    a work without a title but with authors loads, keyed by its DOI."""
    works, result = loaded(UNION)
    authorless = [n for n, w in enumerate(works, start=1) if not named(w.get("author", []))]
    assert [note.line for note in no_author_notes(result)] == authorless
    assert "'10.1371/journal.pone.0045184.g006' has no authors: not a paper to load" in no_author_notes(result, True)
    untitled = [w["DOI"].lower() for w in works if named(w.get("author", [])) and not "".join(w.get("title") or [])]
    assert untitled
    assert sorted(p.key for p in result.papers if not p.title) == sorted(f"doi:{doi}" for doi in untitled)


def test_nameless_author_is_skipped_and_marks_the_list_incomplete(loaded):
    _, result = loaded(UNION)
    (paper,) = [paper for paper in result.papers if paper.doi == NAMELESS_DOI]
    assert (len(paper.authors), paper.authors[0].position, paper.authors_truncated) == (1, 1, True)
    assert paper.source_ref == "works_union_1501.jsonl.gz:1047"


def test_organisation_authors_are_one_author_each(loaded):
    works, result = loaded(UNION)
    organisations = [e["name"] for w in works for e in w.get("author", []) if "name" in e and "family" not in e]
    assert len(organisations) == 11  # PROVENANCE
    names = [author.name for paper in result.papers for author in paper.authors]
    assert "The PLOS ONE Staff" in organisations
    assert sorted(name for name in names if name in set(organisations)) == sorted(organisations)


def test_not_found_body_is_a_clear_input_error(data_dir: Path):
    with pytest.raises(InputError, match=r"Resource not found\.' \(HTTP 404\)") as raised:
        read_file(data_dir / "error_404_work_not_found.txt", as_of=AS_OF)
    assert raised.value.exit_code == 6
    assert "error_404_work_not_found.txt" in str(raised.value)


# --- the rules, on inline works ------------------------------------------------------------------------------


def test_authors_names_orcids_affiliations_and_first_sequence():
    authors = [
        {"given": "Bob", "family": "Byron", "suffix": "Jr.", "sequence": "additional", "affiliation": []},
        {"name": "The Analytical Society", "sequence": "additional", "affiliation": []},
        {
            "given": "Ada",
            "family": "Lovelace",
            "sequence": "first",
            "ORCID": "http://orcid.org/0000-0002-1694-233X",
            "affiliation": [{"name": "Royal Society"}, {"name": "University of London"}],
        },
        {"family": "Somerville", "sequence": "additional", "affiliation": []},
    ]
    paper = one_paper(author=authors)
    assert [(a.name, a.position) for a in paper.authors] == [
        ("Ada Lovelace", 1),
        ("Bob Byron Jr.", 2),
        ("The Analytical Society", 3),
        ("Somerville", 4),
    ]
    assert paper.authors[0].ids == {"orcid": "0000-0002-1694-233X"}
    assert paper.authors[0].affiliation == "Royal Society; University of London"
    assert paper.authors[1].ids == {} and paper.authors[1].affiliation is None


def test_fields_of_an_unexpected_type_read_as_absent():
    author = {"given": "Ada", "family": "Lovelace", "affiliation": "Royal Society", "ORCID": 7}
    paper = one_paper(subject="Ecology", author=[author], issued={"date-parts": "2019"}, title=None)
    assert (paper.topics, paper.authors[0].affiliation, paper.authors[0].ids, paper.year, paper.title) == (
        (),
        None,
        {},
        None,
        "",
    )


def test_fields_of_a_work():
    paper = one_paper(subject=["Ecology", "General Medicine", " "])
    assert (paper.title, paper.doi, paper.venue, paper.kind, paper.citations) == (
        "A Work",
        "10.1000/abc",
        "Journal of Tests",
        "journal-article",
        7,
    )
    assert [(t.id, t.name, t.kind) for t in paper.topics] == [
        ("crossref_subject:ecology", "Ecology", "crossref_subject"),
        ("crossref_subject:general-medicine", "General Medicine", "crossref_subject"),
    ]
    assert (paper.source, paper.source_ref) == ("crossref", "inline.json:1")


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        ({"issued": {"date-parts": [[2012, 3, 21]]}}, (2012, "2012-03-21", "day")),
        ({"issued": {"date-parts": [[2014, 7]]}}, (2014, "2014-07", "month")),
        ({"issued": {"date-parts": [[2001]]}}, (2001, "2001", "year")),
        ({"issued": {"date-parts": [[2019, 2, 30]]}}, (2019, "2019-02", "month")),
        (
            {"issued": {"date-parts": [[None]]}, "published-online": {"date-parts": [[2020, 5, 17]]}},
            (2020, "2020-05-17", "day"),
        ),
        ({"issued": {"date-parts": [[None]]}}, (None, None, None)),
    ],
)
def test_date_and_its_precision(dates: dict[str, Any], expected: tuple):
    paper = one_paper(**{"issued": None, **dates})
    assert (paper.year, paper.date, paper.date_precision) == expected


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (["2020", "06", "01"], (2020, "2020-06-01", "day")),
        (["2014", "07", None], (2014, "2014-07", "month")),
        ([2003, None, 5], (2003, "2003", "year")),
        ([2003, 13], (2003, "2003", "year")),
        (["n.d."], (None, None, None)),
        ([True], (None, None, None)),
        ([], (None, None, None)),
    ],
)
def test_partial_date(parts: list[Any], expected: tuple):
    assert partial_date(parts) == expected


def test_abstract_keeps_jats_and_abstract_text_is_plain():
    jats = "<jats:title>Abstract</jats:title><jats:p>We <jats:italic>study</jats:italic> it.</jats:p>"
    paper = one_paper(abstract=jats)
    assert (paper.abstract, paper.abstract_text) == (jats, "Abstract\nWe study it.")


@pytest.mark.parametrize(
    ("raw", "doi"),
    [
        ("10.1093/MIND/LIX.236.433", "10.1093/mind/lix.236.433"),
        ("https://doi.org/10.1000/X", "10.1000/x"),
        ("http://dx.doi.org/10.1000/x", "10.1000/x"),
        ("doi:10.1000/x", "10.1000/x"),
        ("not a doi", None),
        (None, None),
    ],
)
def test_normalize_doi(raw: Any, doi: str | None):
    assert normalize_doi(raw) == doi


def test_json_lines_number_by_line_and_report_bad_lines():
    text = "\n".join([json.dumps(work(DOI="10.1/a")), "{not json", json.dumps(work(DOI=None)), json.dumps(work())])
    result = crossref.parse(text, "works.jsonl", as_of=AS_OF)
    assert [paper.source_ref for paper in result.papers] == ["works.jsonl:1", "works.jsonl:4"]
    assert [(p.line, p.message.partition(":")[0]) for p in result.problems] == [
        (2, "not valid JSON"),
        (3, "work without a DOI"),
    ]
    assert result.records_read == 4


def test_single_work_envelope_and_bare_items_chunk():
    single = {"status": "ok", "message-type": "work", "message": work()}
    chunk = {"items": [work(DOI="10.1/a"), work(DOI="10.1/b")]}
    assert [p.doi for p in crossref.parse(json.dumps(single), "w.json", as_of=AS_OF).papers] == ["10.1000/abc"]
    assert [p.doi for p in crossref.parse(json.dumps(chunk), "c.json", as_of=AS_OF).papers] == ["10.1/a", "10.1/b"]


def test_envelope_of_another_message_type_is_an_input_error():
    members = {"status": "ok", "message-type": "member-list", "message": {"items": []}}
    assert crossref.sniff(json.dumps(members))
    with pytest.raises(InputError, match="'member-list' response holds no works"):
        crossref.parse(json.dumps(members), "m.json", as_of=AS_OF)


# --- the three API sniffers against every shared file ---------------------------------------------------------

OWN_FOLDER = {crossref: "crossref", semantic_scholar: "s2", orcid: "orcid"}


@pytest.fixture(scope="module")
def shared_texts(shared_dir: Path) -> dict[Path, str]:
    """Every data file of the shared folder (not its notes), decoded: ``folder/file`` -> text."""
    data = shared_dir / "data"
    files = [p for p in data.rglob("*") if p.is_file() and p.suffix not in (".md", ".tsv", ".dtd")]
    return {p.relative_to(data): decode(p.read_bytes(), str(p)) for p in files}


@pytest.mark.parametrize("module", OWN_FOLDER, ids=lambda module: module.__name__)
def test_sniff_claims_its_own_folder_and_nothing_else(shared_texts: dict[Path, str], module: Any):
    claimed = {path for path, text in shared_texts.items() if module.sniff(text)}
    own = {path for path in shared_texts if path.parts[0] == OWN_FOLDER[module]}
    assert claimed == own and own


# --- into Neo4j ----------------------------------------------------------------------------------------------

CHAMBERLAIN = "0000-0003-1444-9135"
AUTHORED_BY = "MATCH (a:Author {orcid: $orcid})-[r:AUTHORED]->(p:Paper) RETURN r.identity_rule AS rule"


@pytest.mark.neo4j
def test_one_file_of_each_api_loads_and_reload_changes_nothing(graph: Graph, shared_dir: Path):
    data = shared_dir / "data"
    s2_file = data / "s2" / "paper_batch_allfields_with_null.json"
    crossref_file = data / "crossref" / "works_query_author_boettiger_20.json"
    orcid_file = data / "orcid" / f"orcid_v3.0_works_{CHAMBERLAIN}.json"
    s2_papers = [paper for paper in json.loads(s2_file.read_text()) if paper]
    works = raw_works(crossref_file)
    groups = json.loads(orcid_file.read_text())["group"]
    results = [read_file(path, as_of=AS_OF) for path in (s2_file, crossref_file, orcid_file)]
    for result in results:
        write_records(graph, result.papers, result.profiles)
    stats = graph_stats(graph)
    assert stats.papers == len(s2_papers) + len(works) + len(groups)
    assert stats.authored == sum(len(p["authors"]) for p in s2_papers) + sum(len(w["author"]) for w in works) + len(
        groups
    )
    orcid_in_crossref = sum(CHAMBERLAIN in str(a.get("ORCID")) for w in works for a in w["author"])
    rules = [row["rule"] for row in graph.read(AUTHORED_BY, orcid=CHAMBERLAIN)]
    # Every mention with the ORCID is his; a name-only one joins only with recorded evidence (graph.identity).
    assert len([rule for rule in rules if rule != "evidence"]) == len(groups) + orcid_in_crossref
    again = [write_records(graph, result.papers, result.profiles) for result in results]
    assert [(summary.nodes_created, summary.relationships_created) for summary in again] == [(0, 0)] * 3
    assert graph_stats(graph) == stats
