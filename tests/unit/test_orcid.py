"""The ORCID loader: every real response counted with json by hand or from PROVENANCE.md, and inline works for
each rule (the owner from the path, duplicate summaries, contributors, external ids, dates)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from graph.errors import InputError
from graph.model import Paper
from loaders import LoadResult, orcid, read_file

AS_OF = date(2026, 11, 27)
OWNER = "0000-0002-1694-233X"
WORKS_FILES = {  # file -> (groups, summaries, groups with a DOI), from PROVENANCE.md
    "orcid_v3.0_works_0000-0003-1444-9135.json": (111, 114, 97),
    "orcid_v3.0_works_0000-0001-8607-8025.json": (74, 78, 54),
    "orcid_v3.0_works_empty_0000-0003-1620-1408.json": (0, 0, 0),
}
RECORD_FILE = "orcid_v3.0_record_0000-0003-4423-4370.json"
WORK_FILE = "orcid_v3.0_work_0000-0002-0734-2199_putcode_77226586.json"


@pytest.fixture(scope="module")
def data_dir(shared_dir: Path) -> Path:
    return shared_dir / "data" / "orcid"


def raw(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def doi_groups(groups: list[dict[str, Any]]) -> int:
    """Groups whose own external ids include a DOI, counted from the group level (not the summaries)."""
    return sum(any(i["external-id-type"] == "doi" for i in g["external-ids"]["external-id"]) for g in groups)


def ext_id(kind: str, value: str, relationship: str = "self") -> dict[str, Any]:
    return {"external-id-type": kind, "external-id-value": value, "external-id-relationship": relationship}


def summary(title: str = "A Work", ids: tuple[dict[str, Any], ...] = (), **fields: Any) -> dict[str, Any]:
    """A small work summary; ``fields`` override its keys."""
    base = {
        "put-code": 1,
        "source": {"source-orcid": None, "source-name": {"value": "Crossref"}},
        "title": {"title": {"value": title}},
        "external-ids": {"external-id": list(ids)},
        "type": "journal-article",
        "publication-date": {"year": {"value": "2019"}, "month": {"value": "03"}, "day": None},
        "journal-title": {"value": "Journal of Tests"},
        "path": f"/{OWNER}/work/1",
    }
    return {**base, **fields}


def works(*groups: list[dict[str, Any]]) -> LoadResult:
    document = {"group": [{"work-summary": group} for group in groups], "path": f"/{OWNER}/works"}
    return orcid.parse(json.dumps(document), "works.json", as_of=AS_OF)


def contributor(name: str, orcid_id: str | None = None, sequence: str | None = None, role: str | None = "author"):
    return {
        "contributor-orcid": {"path": orcid_id} if orcid_id else None,
        "credit-name": {"value": name},
        "contributor-attributes": {"contributor-sequence": sequence, "contributor-role": role},
    }


def full_work(*contributors: dict[str, Any]) -> Paper:
    document = {**summary(ids=(ext_id("doi", "10.1/X"),)), "contributors": {"contributor": list(contributors)}}
    (paper,) = orcid.parse(json.dumps(document), "work.json", as_of=AS_OF).papers
    return paper


# --- every real file -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", WORKS_FILES)
def test_works_list_gives_one_paper_per_group_owned_by_the_path(data_dir: Path, name: str):
    document = raw(data_dir / name)
    groups, summaries, with_doi = WORKS_FILES[name]
    result = read_file(data_dir / name, as_of=AS_OF)
    assert (len(document["group"]), sum(len(g["work-summary"]) for g in document["group"])) == (groups, summaries)
    assert result.format == "orcid"
    assert (len(result.papers), result.records_read, result.problems) == (groups, groups, [])
    assert sum(paper.doi is not None for paper in result.papers) == with_doi == doi_groups(document["group"])
    owner = name.removesuffix(".json").rsplit("_", 1)[1]
    assert {(len(p.authors), p.authors[0].ids["orcid"], p.authors_truncated) for p in result.papers} <= {
        (1, owner, True)
    }
    assert not any(paper.authors[0].inferred for paper in result.papers)


def test_works_list_owner_name_is_the_one_the_sources_give_for_the_owner(data_dir: Path):
    result = read_file(data_dir / "orcid_v3.0_works_0000-0003-1444-9135.json", as_of=AS_OF)
    assert {paper.authors[0].name for paper in result.papers} == {"Scott A Chamberlain"}


def test_record_gives_its_works_and_the_owner_profile(data_dir: Path):
    groups = raw(data_dir / RECORD_FILE)["activities-summary"]["works"]["group"]
    result = read_file(data_dir / RECORD_FILE, as_of=AS_OF)
    assert (len(groups), sum(len(g["work-summary"]) for g in groups)) == (26, 50)  # PROVENANCE
    assert len(result.papers) == len(groups)
    assert sum(paper.doi is not None for paper in result.papers) == doi_groups(groups)
    (profile,) = result.profiles
    assert (profile.name, profile.ids) == ("Charles Tapley Hoyt", {"orcid": "0000-0003-4423-4370"})
    assert {paper.authors[0].name for paper in result.papers} == {"Charles Tapley Hoyt"}
    assert {paper.kind for paper in result.papers} == {"journal-article", "other", "conference-paper"}


def test_full_work_authors_are_its_contributors(data_dir: Path):
    contributors = raw(data_dir / WORK_FILE)["contributors"]["contributor"]
    (paper,) = read_file(data_dir / WORK_FILE, as_of=AS_OF).papers
    assert [(a.name, a.position) for a in paper.authors] == [
        (c["credit-name"]["value"], n) for n, c in enumerate(contributors, start=1)
    ]
    assert paper.authors[0].ids == {"orcid": "0000-0002-0734-2199"}
    assert not paper.authors_truncated
    assert (paper.date, paper.venue, paper.external_ids) == (
        "2020-06-01",
        "Ancient TL",
        {"source_work_id": "241a9e61-3cea-4173-bafa-23dbd14e5924"},
    )
    assert "Al2O3:C" in paper.abstract_text and "<sub>" in paper.abstract


def test_person_gives_a_profile_and_no_papers(data_dir: Path):
    result = read_file(data_dir / "orcid_v3.0_person_0000-0003-1444-9135.json", as_of=AS_OF)
    assert result.papers == [] and result.problems == []
    assert [(p.name, p.ids) for p in result.profiles] == [("Scott A Chamberlain", {"orcid": "0000-0003-1444-9135"})]


def test_search_results_load_nothing_and_say_why(data_dir: Path):
    path = data_dir / "orcid_v3.0_search_given-names_carl.json"
    result = read_file(path, as_of=AS_OF)
    assert (result.papers, result.profiles, result.records_read) == ([], [], len(raw(path)["result"]))
    assert [p.message for p in result.problems] == ["ORCID search results hold only iDs, nothing to load: 10 of 1840"]
    with pytest.raises(InputError, match="search results hold only iDs"):
        read_file(path, as_of=AS_OF, strict=True)


# --- the rules, on inline works ------------------------------------------------------------------------------


def test_summary_fields():
    (paper,) = works(
        [summary(ids=(ext_id("doi", "https://doi.org/10.1/AB"), ext_id("issn", "1234-5678", "part-of")))]
    ).papers
    assert (paper.title, paper.doi, paper.external_ids, paper.venue, paper.kind) == (
        "A Work",
        "10.1/ab",
        {},
        "Journal of Tests",
        "journal-article",
    )
    assert (paper.year, paper.date, paper.date_precision) == (2019, "2019-03", "month")
    assert (paper.source, paper.source_ref) == ("orcid", "works.json:1")


def test_duplicate_summaries_in_a_group_are_one_work_preferring_the_one_with_a_doi():
    result = works(
        [
            summary("Without DOI", (ext_id("pmid", "1"),)),
            summary("With DOI", (ext_id("doi", "10.1/x"), ext_id("pmid", "1"))),
        ],
        [summary("Alone", (ext_id("pmid", "2"),))],
    )
    assert [(p.title, p.doi, p.external_ids) for p in result.papers] == [
        ("With DOI", "10.1/x", {"pmid": "1"}),
        ("Alone", None, {"pmid": "2"}),
    ]


@pytest.mark.parametrize(
    ("external_id", "field", "value"),
    [
        (ext_id("arxiv", "arXiv:2007.14175v2", "SELF"), "arxiv_id", "2007.14175v2"),
        (ext_id("pmc", "PMC4812132"), "external_ids", {"pmcid": "PMC4812132"}),
        (ext_id("other-id", "PPR67467"), "external_ids", {"other_id": "PPR67467"}),
        (ext_id("doi", "10.1/x", "version-of"), "doi", None),
    ],
)
def test_external_ids(external_id: dict[str, Any], field: str, value: Any):
    (paper,) = works([summary(ids=(external_id,))]).papers
    assert getattr(paper, field) == value


def test_owner_name_falls_back_to_assertion_origin_then_to_the_id():
    claimed = summary(source={"source-name": {"value": "Scopus"}, "assertion-origin-orcid": {"path": OWNER}})
    claimed["source"]["assertion-origin-name"] = {"value": "Ada Lovelace"}
    assert works([claimed]).papers[0].authors[0].name == "Ada Lovelace"
    assert works([summary()]).papers[0].authors[0].name == OWNER


def test_group_without_title_or_ids_is_a_problem_and_one_with_a_self_id_loads():
    pmid = ext_id("pmid", "12345", "self")
    result = works([summary()], [summary(title="")], [], [summary(title="", ids=(pmid,))])
    assert [p.source_ref for p in result.papers] == ["works.json:1", "works.json:4"]
    assert (result.papers[1].title, result.papers[1].key) == ("", "pmid:12345")
    assert [(p.line, p.message) for p in result.problems] == [
        (2, "no title and no id (DOI, arXiv id or the source's own): nothing tells this record apart"),
        (3, "works group without a work-summary"),
    ]


def test_uppercase_type_and_full_date():
    day = {"year": {"value": "2020"}, "month": {"value": "06"}, "day": {"value": "01"}}
    (paper,) = works([summary(type="JOURNAL_ARTICLE", **{"publication-date": day})]).papers
    assert (paper.kind, paper.date, paper.date_precision) == ("journal-article", "2020-06-01", "day")


def test_fields_of_an_unexpected_type_read_as_absent():
    (paper,) = works([summary(**{"external-ids": "10.1/x", "publication-date": "2020", "journal-title": ["J"]})]).papers
    assert (paper.doi, paper.year, paper.venue) == (None, None, None)


def test_full_work_orders_by_sequence_drops_editors_and_appends_a_missing_owner():
    paper = full_work(
        contributor("Bob Byron", sequence="additional"),
        contributor("Mary Somerville", role="editor"),
        contributor("Charles Babbage", "0000-0001-0000-0002", sequence="first"),
    )
    assert [(a.name, a.position, a.inferred) for a in paper.authors] == [
        ("Charles Babbage", 1, False),
        ("Bob Byron", 2, False),
        (OWNER, 3, True),
    ]
    assert paper.authors[0].ids == {"orcid": "0000-0001-0000-0002"}
    assert not paper.authors_truncated


def test_full_work_without_contributors_has_the_owner_alone():
    paper = full_work()
    assert [(a.name, a.ids, a.inferred) for a in paper.authors] == [(OWNER, {"orcid": OWNER}, False)]
    assert paper.authors_truncated


def test_owner_listed_among_contributors_is_not_added_twice():
    paper = full_work(contributor("Ada Lovelace", OWNER), contributor("Bob Byron"))
    assert [a.name for a in paper.authors] == ["Ada Lovelace", "Bob Byron"]


@pytest.mark.parametrize(
    "document",
    [{"group": [], "path": "/works"}, {"name": {"credit-name": {"value": "X"}}}, [1, 2]],
)
def test_responses_without_an_owner_are_refused(document: Any):
    with pytest.raises(InputError):
        orcid.parse(json.dumps(document), "x.json", as_of=AS_OF)
