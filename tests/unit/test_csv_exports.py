"""The bibliographic-database exports: every real Scopus, IEEE, Springer and Web of Science file, tables for the
tricky bits, bad rows of our own, and one load of BibTeX + Scopus into a real Neo4j."""

from __future__ import annotations

import csv
import gzip
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from graph.connection import Graph
from graph.errors import InputError
from graph.evidence import mentions_of
from graph.identity import Resolver
from graph.model import Paper
from graph.writer import write_records
from loaders import FORMATS, LoadResult, detect_format, read_file
from loaders.scopus import flip_short_name
from loaders.springer import split_names
from loaders.tabular import clean_arxiv_id, clean_doi, first_name_first, kind_from, year_from
from queries.stats import graph_stats

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
AS_OF = date(2026, 11, 27)
MINE = ("scopus", "ieee", "springer", "wos", "wos_plaintext", "bibtex")
NO_AUTHOR = re.compile(r"\[No author name available\]|Anon")
csv.field_size_limit(1 << 30)  # Scopus' References cells exceed csv's default limit


@pytest.fixture(scope="module")
def exports(shared_dir: Path) -> Path:
    return shared_dir / "data" / "csv_exports"


def open_text(path: Path):
    return (gzip.open if path.suffix == ".gz" else open)(path, "rt", encoding="utf-8-sig", newline="")


def csv_rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    with open_text(path) as handle:
        return list(csv.DictReader(handle, delimiter=delimiter, quoting=quoting))


def slots(result: LoadResult) -> int:
    return sum(len(paper.authors) for paper in result.papers)


def names(paper: Paper) -> list[str]:
    return [author.name for author in paper.authors]


# --- independent counts, one per export family (the csv module or plain regexes, never our loaders) ----------


def scopus_counts(path: Path) -> tuple[int, int, int]:
    """Rows, rows with a real author, and author slots (ids in the new layout, commas in the old)."""
    rows = csv_rows(path)
    if "Author(s) ID" in rows[0]:
        return len(rows), len(rows), sum(len(re.findall(r"\d+", row["Author(s) ID"])) for row in rows)
    names = [name for row in rows for name in row["Authors"].split(", ")]
    placeholders = [name for name in names if NO_AUTHOR.fullmatch(name)]
    return len(rows), len(rows) - len(placeholders), len(names) - len(placeholders)


def semicolon_counts(column: str, delimiter: str = ","):
    def count(path: Path) -> tuple[int, int, int]:
        rows = csv_rows(path, delimiter)
        return len(rows), len(rows), sum(row[column].count(";") + 1 for row in rows)

    return count


def springer_counts(path: Path) -> tuple[int, int, int]:
    rows = csv_rows(path)
    return len(rows), len(rows), sum(len(SPRINGER_BY_HAND[row["Item DOI"]]) for row in rows)


def wos_plaintext_counts(path: Path) -> tuple[int, int, int]:
    """``ER`` lines, and AU lines with their three-space continuation lines."""
    with open_text(path) as handle:
        text = handle.read()
    records = len(re.findall(r"^ER$", text, re.MULTILINE))
    authors = sum(block.count("\n") + 1 for block in re.findall(r"^AU .*(?:\n   .*)*", text, re.MULTILINE))
    return records, records, authors


# (file, format, records per PROVENANCE.md, author slots per PROVENANCE.md or None, independent count)
REAL_FILES = [
    ("scopus_litstudy_88.csv", "scopus", 88, 412, scopus_counts),
    ("scopus_bibx_581.csv.gz", "scopus", 581, 2163, scopus_counts),
    ("scopus_metaknowledge_220_oldformat.csv.gz", "scopus", 220, None, scopus_counts),
    ("ieee_xplore_litstudy_10.csv", "ieee", 10, 86, semicolon_counts("Authors")),
    ("springer_litstudy_18.csv", "springer", 18, None, springer_counts),
    ("wos_tabdelimited_scienceScape_50.txt", "wos", 50, None, semicolon_counts("AU", "\t")),
    ("wos_tabdelimited_scienceScape_50_crlf.txt", "wos", 50, None, semicolon_counts("AU", "\t")),
    ("wos_plaintext_metaknowledge_32.txt", "wos_plaintext", 32, None, wos_plaintext_counts),
    ("wos_plaintext_bibx_500.txt.gz", "wos_plaintext", 500, None, wos_plaintext_counts),
]

# Read off the SpringerLink export by a person, honorifics dropped (the loader's split is a heuristic).
SPRINGER_BY_HAND = {
    "10.1007/978-3-030-92127-9_33": ["Araz R. Aliev", "Nigar T. Ismayilova"],
    "10.1007/978-3-030-92127-9": [
        *("Rafik A. Aliev", "Janusz Kacprzyk", "Witold Pedrycz"),
        *("Mo Jamshidi", "Mustafa Babanli", "Fahreddin M. Sadikoglu"),
    ],
    "10.1007/978-3-030-81561-5": ["Barnabás Bede", "Martine Ceberio", "Martine De Cock", "Vladik Kreinovich"],
    "10.1007/978-3-030-81561-5_17": ["Amira Abo Hozaifa", "Ahmed Shawky Moussa"],
    "10.1007/978-981-16-1342-5": ["N. R. Shetty", "L. M. Patnaik", "H. C. Nagaraj", "Prasad N. Hamsavath", "N. Nalini"],
    "10.1007/978-981-16-3346-1": [
        *("Deepak Gupta", "Ashish Khanna", "Vineet Kansal", "Giancarlo Fortino", "Aboul Ella Hassanien"),
    ],
    "10.1007/978-3-030-42424-4": ["Jennifer Rupp", "Daniele Ielmini", "Ilia Valov"],
    "10.1186/s40537-021-00555-2": [
        *("Loris Belcastro", "Riccardo Cantini", "Fabrizio Marozzo"),
        *("Alessio Orsino", "Domenico Talia", "Paolo Trunfio"),
    ],
    "10.1007/s11227-021-03892-4": ["Guozhen Zhang", "Yi Liu", "Hailong Yang", "Depei Qian"],
    "10.1007/s10489-021-02808-2": ["Mario Rüttgers", "Moritz Waldmann", "Wolfgang Schröder", "Andreas Lintermann"],
    "10.1007/978-981-16-4177-0": ["Tomonobu Senjyu", "Parikshit N. Mahalle", "Thinagaran Perumal", "Amit Joshi"],
    "10.1007/978-3-030-89144-2": ["Richard Dvorsky", "Ladislav Svoboda", "Jiří Bednář"],
    "10.1007/978-3-030-87524-4": ["Everisto Benyera"],
    "10.1007/978-981-16-3398-0": ["Anupam Biswas", "Ripon Patgiri", "Bhaskar Biswas"],
    "10.1007/978-981-16-1342-5_61": ["C. Navya", "H. A. Sanjay", "Sanket Salvi"],
    "10.1007/978-981-16-3346-1_18": ["Maaz Ahmed", "Waseem Ahmed"],
    "10.1007/s11082-021-03473-y": [
        "Anup Sharma",
        "Kamanashis Goswami",
        "Haraprasad Mondal",
        "Tanmoy Datta",
        "Mrinal Sen",
    ],
    "10.1007/978-3-030-87524-4_4": ["Umali Saidi"],
}


@pytest.mark.parametrize(("name", "format_name", "records", "authors", "count"), REAL_FILES)
def test_every_real_export_matches_independent_counts(exports, name, format_name, records, authors, count):
    path = exports / name
    result = read_file(path, as_of=AS_OF)
    rows, rows_with_authors, author_slots = count(path)
    assert (result.format, result.records_read) == (format_name, records)
    assert rows == records
    assert len(result.papers) == rows_with_authors
    assert slots(result) == author_slots
    if authors is not None:
        assert author_slots == authors
    assert all(paper.source == format_name and paper.title for paper in result.papers)


@pytest.mark.parametrize(("name", "format_name"), [(name, format_name) for name, format_name, *_ in REAL_FILES])
def test_exactly_one_of_our_sniffs_accepts_each_export(exports, name, format_name):
    with open_text(exports / name) as handle:
        text = handle.read()
    assert [mine for mine in MINE if FORMATS[mine].sniff(text)] == [format_name]
    assert detect_format(exports / name, text) == format_name


@pytest.mark.parametrize("name", [name for name, format_name, *_ in REAL_FILES if format_name != "wos_plaintext"])
def test_source_ref_is_the_line_a_row_starts_on(exports, name):
    with open_text(exports / name) as handle:
        lines = handle.read().rstrip("\r\n").splitlines()
    rows = len(csv_rows(exports / name, "\t" if name.startswith("wos") else ","))
    assert len(lines) == rows + 1  # no cell of these exports spans lines: row n is on line n + 1
    result = read_file(exports / name, as_of=AS_OF)
    loaded = [int(paper.source_ref.removeprefix(f"{name}:")) for paper in result.papers]
    left_out = [report.line for report in [*result.problems, *result.notes]]  # each row at most once: no nameless
    assert sorted(loaded + left_out) == list(range(2, rows + 2))


# --- Scopus -------------------------------------------------------------------------------------------------


def test_scopus_new_layout_reads_full_names_ids_and_affiliations(exports):
    result = read_file(exports / "scopus_litstudy_88.csv", as_of=AS_OF)
    row = csv_rows(exports / "scopus_litstudy_88.csv")[0]
    paper = result.papers[0]
    assert names(paper) == ["Jie Hao", "Robin High", "Ka-Chun Siu"]  # "Hao, Jie (57221302630); ..."
    assert [author.ids["scopus"] for author in paper.authors] == row["Author(s) ID"].split("; ")
    assert paper.authors[0].affiliation.startswith("Department of Health & Rehabilitation Sciences")
    assert (paper.doi, paper.year, paper.venue, paper.kind) == (row["DOI"], 2023, "Ergonomics", "article")
    assert paper.external_ids == {"scopus_eid": row["EID"]}
    assert paper.citations == int(row["Cited by"])


def test_scopus_old_layout_flips_short_names_and_skips_placeholders(exports):
    path = exports / "scopus_metaknowledge_220_oldformat.csv.gz"
    result = read_file(path, as_of=AS_OF)
    assert names(result.papers[0])[:3] == ["T. Yagai", "Y. Kimura", "H. Kamada"]
    assert result.papers[0].authors[0].affiliation == "Sophia University, Tokyo, Japan"  # "Yagai, T., Sophia ..."
    # a note names the row by its DOI, else its EID
    placeholder_rows = [row["DOI"] or row["EID"] for row in csv_rows(path) if NO_AUTHOR.fullmatch(row["Authors"])]
    assert len(placeholder_rows) == 4
    assert result.problems == []
    assert [note.message for note in result.notes] == [
        f"{eid!r} has no authors: not a paper to load" for eid in placeholder_rows
    ]
    assert not any(NO_AUTHOR.fullmatch(name) for paper in result.papers for name in names(paper))


@pytest.mark.parametrize(
    ("short", "expected"),
    [
        ("Yagai T.", "T. Yagai"),
        ("Wang W.T.", "W.T. Wang"),
        ("Siu K.-C.", "K.-C. Siu"),
        ("Fluge Ø.", "Ø. Fluge"),
        ("Barrios Sazo M.G.", "M.G. Barrios Sazo"),
        ("Scandinavian Simvastatin Survival Study Group", "Scandinavian Simvastatin Survival Study Group"),
        ("Janko Wolfgang", "Janko Wolfgang"),
    ],
)
def test_scopus_short_names(short: str, expected: str):
    assert flip_short_name(short) == expected


def test_bad_scopus_rows_are_problems_with_their_lines():
    result = read_file(FIXTURES / "csv_scopus_bad.csv", as_of=AS_OF)
    assert result.records_read == 6
    assert [(problem.line, problem.message) for problem in result.problems] == [
        (4, "row has 2 fields, the header has 12"),
        (8, "2 names in Authors but 1 in Author full names"),
    ]
    assert [(note.line, note.message) for note in result.notes] == [
        (6, "'2-s2.0-4' has no authors: not a paper to load"),  # [No author name available]
    ]
    first, untitled, turing = result.papers
    assert first.source_ref == "csv_scopus_bad.csv:2" and turing.source_ref == "csv_scopus_bad.csv:7"
    assert (untitled.source_ref, untitled.title, untitled.key) == ("csv_scopus_bad.csv:5", "", "scopus_eid:2-s2.0-3")
    assert first.abstract == "An abstract\nover two lines."
    assert [author.affiliation for author in first.authors] == [
        "Analytical Society, London, United Kingdom",
        "Cambridge, United Kingdom",
    ]
    assert (turing.abstract, turing.kind, turing.citations) == (None, "inproceedings", None)


SCOPUS_HEADER = '"Authors","Author full names","Author(s) ID","Title","Year","Source title","EID"\n'


def test_a_scopus_row_without_title_or_eid_is_a_problem_and_titles_lose_their_markup(tmp_path: Path):
    rows = [
        '"Hopper G.","Hopper, Grace (333)","333","","1952","Compilers",""',
        '"Curie M.","Curie, Marie (777)","777","YBa<inf>2</inf>Cu<inf>3</inf>O films","1990","Phys","2-s2.0-7"',
    ]
    path = tmp_path / "scopus.csv"
    path.write_text(SCOPUS_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    result = read_file(path, as_of=AS_OF)
    assert [(p.line, p.message, p.excerpt) for p in result.problems] == [
        (
            2,
            "no title and no id (DOI, arXiv id or the source's own): nothing tells this record apart",
            "scopus.csv:2 Grace Hopper 1952 Compilers",
        )
    ]
    assert [paper.title for paper in result.papers] == ["YBa2Cu3O films"]


# --- IEEE and Springer ---------------------------------------------------------------------------------------


def test_ieee_affiliations_only_where_they_line_up(exports):
    rows = csv_rows(exports / "ieee_xplore_litstudy_10.csv")
    result = read_file(exports / "ieee_xplore_litstudy_10.csv", as_of=AS_OF)
    for row, paper in zip(rows, result.papers, strict=True):
        affiliations = row["Author Affiliations"].split("; ")
        if len(affiliations) != len(paper.authors) or set(affiliations) == {"NA"}:
            assert {author.affiliation for author in paper.authors} == {None}, paper.title
        else:
            assert [author.affiliation for author in paper.authors] == affiliations
    first = result.papers[0]
    assert (names(first), first.citations, first.kind) == (["P. Kogge", "J. Shalf"], 51, "article")
    assert first.external_ids == {"ieee_arnumber": "6634083"}
    assert {paper.kind for paper in result.papers} == {"article", "inproceedings"}


def test_springer_names_match_a_reading_by_hand(exports):
    result = read_file(exports / "springer_litstudy_18.csv", as_of=AS_OF)
    assert {paper.doi: names(paper) for paper in result.papers} == SPRINGER_BY_HAND
    assert {paper.kind for paper in result.papers} == {"incollection", "book", "article"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Araz R. AlievNigar T. Ismayilova", ["Araz R. Aliev", "Nigar T. Ismayilova"]),
        ("Prof. Dr. Janusz KacprzykDr. Ilia Valov", ["Janusz Kacprzyk", "Ilia Valov"]),
        ("Barnabás BedeJiří Bednář", ["Barnabás Bede", "Jiří Bednář"]),
        ("Martine De CockUmali Saidi", ["Martine De Cock", "Umali Saidi"]),
        ("Mary McDonaldJohn MacArthur", ["Mary McDonald", "John MacArthur"]),  # Mc/Mac are not cuts
        ("C. NavyaH. A. Sanjay", ["C. Navya", "H. A. Sanjay"]),
        ("Umali Saidi", ["Umali Saidi"]),
        # The documented losses: a capital or a period before the next name hides the cut; camel case adds one.
        ("Jean DUPONTMarie Curie", ["Jean DUPONTMarie Curie"]),
        ("Yann LeCun", ["Yann Le", "Cun"]),
    ],
)
def test_springer_split_names(text: str, expected: list[str]):
    assert split_names(text) == expected


# --- Web of Science ------------------------------------------------------------------------------------------


def test_wos_tab_matches_orcid_and_address_by_name(exports):
    result = read_file(exports / "wos_tabdelimited_scienceScape_50.txt", as_of=AS_OF)
    (paper,) = [paper for paper in result.papers if "Congcong Ma" in names(paper)]
    by_name = {author.name: author for author in paper.authors}
    assert by_name["Congcong Ma"].ids == {"orcid": "0000-0002-1579-2229"}  # OI "MA, CONGCONG/0000-..."
    assert by_name["Jingjing Cao"].ids == {}
    assert {author.affiliation for author in paper.authors} == {
        "Wuhan Univ Technol, Sch Logist Engn, Wuhan 430063, Hubei, Peoples R China"
    }
    assert paper.external_ids["wos_ut"].startswith("WOS:")


def test_wos_tab_lf_and_crlf_read_the_same_shared_records(exports):
    lf = read_file(exports / "wos_tabdelimited_scienceScape_50.txt", as_of=AS_OF)
    crlf = read_file(exports / "wos_tabdelimited_scienceScape_50_crlf.txt", as_of=AS_OF)
    by_ut = {paper.external_ids["wos_ut"]: paper for paper in lf.papers}
    shared = [paper for paper in crlf.papers if paper.external_ids["wos_ut"] in by_ut]
    assert len(shared) == 18  # PROVENANCE: 18 UT ids appear in both files
    for paper in shared:
        twin = by_ut[paper.external_ids["wos_ut"]]
        assert (paper.title, paper.doi, paper.abstract) == (twin.title, twin.doi, twin.abstract)
        # The later export (CRLF) adds one ORCID: OI "O'Doherty, Joseph/0000-0001-8175-5699" for AF "..., Joseph E.".
        assert [replace(a, ids={}) for a in paper.authors] == [replace(a, ids={}) for a in twin.authors]
        added = [(a.name, a.ids) for a, b in zip(paper.authors, twin.authors, strict=True) if a.ids != b.ids]
        assert added in ([], [("Joseph E. O'Doherty", {"orcid": "0000-0001-8175-5699"})])
        assert not paper.title.endswith("\r") and not (paper.abstract or "").endswith("\r")


def test_wos_plaintext_fixture_fields_and_problems():
    result = read_file(FIXTURES / "csv_wos_plaintext_bad.txt", as_of=AS_OF)
    assert result.records_read == 4
    assert [(problem.line, problem.message) for problem in result.problems] == [
        (21, "line 24 is neither a field tag nor a continuation: 'this line has no tag'"),
        (29, "record does not end with ER"),
    ]
    notes, noether = result.papers
    assert notes.title == "Notes on the Analytical Engine"  # continuation joined with a space
    assert names(notes) == ["Ada Lovelace", "Charles Babbage"]  # AF, one per line
    assert [author.ids for author in notes.authors] == [
        {"orcid": "0000-0002-1825-0097"},
        {"orcid": "0000-0001-5109-3700"},
    ]
    assert [author.affiliation for author in notes.authors] == ["Analytical Soc, London, England.", None]
    assert (notes.citations, notes.year, notes.source_ref) == (12, 1843, "csv_wos_plaintext_bad.txt:3")
    assert (noether.year, noether.kind) == (1918, "article")  # EA when PY is missing; first DT


def test_wos_plaintext_real_record(exports):
    result = read_file(exports / "wos_plaintext_bibx_500.txt.gz", as_of=AS_OF)
    first = result.papers[0]
    assert names(first) == ["Zhiwei Sun", "Thomas P. Russell"]
    assert first.title.startswith("In situ grazing incidence small-angle X-ray scattering study of solvent vapor")
    assert first.authors[1].affiliation.startswith("Univ Massachusetts Amherst")
    assert first.source_ref == "wos_plaintext_bibx_500.txt.gz:3"


# --- value helpers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("function", "value", "expected"),
    [
        (first_name_first, "Sun, Zhiwei", "Zhiwei Sun"),
        (first_name_first, "Smith, Jr, John", "John Smith Jr"),
        (first_name_first, "P. Kogge", "P. Kogge"),
        (clean_doi, "https://doi.org/10.1000/ABC.1", "10.1000/ABC.1"),
        (clean_doi, "doi:10.1109/5.771073.", "10.1109/5.771073"),
        (clean_doi, "not a doi", None),
        (clean_arxiv_id, "arXiv:1402.6711v2", "1402.6711v2"),
        (clean_arxiv_id, "quant-ph/0412083", "quant-ph/0412083"),
        (clean_arxiv_id, "0412083", None),
        (year_from, "JAN 2020", 2020),
        (year_from, "to appear", None),
        (kind_from, "Conference paper", "inproceedings"),
        (kind_from, "Article; Proceedings Paper", "article"),
        (kind_from, "Book Chapter", "incollection"),
        (kind_from, "Meeting Abstract", "meeting_abstract"),
        (kind_from, "", None),
    ],
)
def test_value_helpers(function, value: str, expected: object):
    assert function(value) == expected


# --- into Neo4j ---------------------------------------------------------------------------------------------


@pytest.mark.neo4j
def test_bibtex_and_scopus_load_into_neo4j_and_a_reload_changes_nothing(graph: Graph, shared_dir: Path):
    bib = read_file(shared_dir / "data" / "bibtex" / "amrex_joss_paper.bib", as_of=AS_OF)
    scopus = read_file(shared_dir / "data" / "csv_exports" / "scopus_litstudy_88.csv", as_of=AS_OF)
    papers = bib.papers + scopus.papers
    # Two listed authors of one paper with one name are two people (PETSc's web page lists two Hong Zhangs).
    namesakes = sum(len(paper.authors) - len({author.key for author in paper.authors}) for paper in papers)
    # Who is who is the resolver's decision (its rules are tested in test_identity_resolver.py): one batch, one pass.
    resolver = Resolver()
    for paper in papers:
        for mention in mentions_of(paper):
            resolver.resolve(mention)
    expected = (
        len({paper.key for paper in papers}),
        len(resolver.identities),
        len({(author.key, paper.key) for paper in papers for author in paper.authors}) + namesakes,
    )
    write_records(graph, papers)
    first = graph_stats(graph)
    assert (first.papers, first.authors, first.authored) == expected
    assert expected[0] == len(papers) == 14 + 88  # no paper of one file is in the other
    write_records(graph, bib.papers)
    write_records(graph, scopus.papers)
    assert graph_stats(graph) == first


def test_wos_tab_delimited_requires_its_columns_so_a_wrong_format_is_one_error(exports):
    """Read as ``wos``, a Scopus CSV has no WoS tag row: one error, not a note or problem per row."""
    with pytest.raises(InputError, match=r"the header lacks the column\(s\) AU, PT, SO, TI, UT") as refused:
        read_file(exports / "scopus_litstudy_88.csv", "wos", as_of=AS_OF)
    assert refused.value.line == 1
