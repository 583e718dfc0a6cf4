"""The BibTeX loader: every real .bib file, the iridia files as one stream, and small tables for the tricky bits."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from graph.model import Paper
from loaders import LoadResult, bibtex, detect_format, read_file, read_inputs
from loaders.bibtex_middlewares import expand_value

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TRICKY = FIXTURES / "bib_tricky.bib"
SECOND = FIXTURES / "bib_second.bib"
AS_OF = date(2026, 11, 27)
# The order PROVENANCE.md gives: macros before the entries that use them.
IRIDIA_ORDER = ("abbrev.bib", "journals.bib", "authors.bib", "articles.bib", "biblio.bib", "crossref.bib")
# An entry start, counted without the parser: "@type{" or "@type(" at a line start, minus the non-entries.
ENTRY_START = re.compile(r"^[ \t]*@[ \t]*(?!string\b|comment\b|preamble\b)[A-Za-z]+[ \t]*[{(]", re.MULTILINE | re.I)


# Any block start, with its type and key.
BLOCK_START = re.compile(r"^[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(][ \t]*([^,\s]*)", re.MULTILINE)
NOT_A_PAPER = "has no authors: not a paper to load"


def entry_count(text: str) -> int:
    return len(ENTRY_START.findall(text))


def raw_entries(*texts: str) -> list[tuple[str, str]]:
    """``(key, raw text)`` of every entry, split at block starts without the parser."""
    entries = []
    for text in texts:
        starts = list(BLOCK_START.finditer(text))
        for start, after in zip(starts, [*starts[1:], None], strict=True):
            if start[1].lower() not in ("string", "comment", "preamble"):
                entries.append((start[2], text[start.start() : after.start() if after else len(text)]))
    return entries


def expected_author_less_notes(*texts: str) -> dict[str, str]:
    """Entry key -> the end of its note, for the entries without an ``author`` field, counted in the raw text:
    "(crossref container, referenced by N)" for the N entries whose ``crossref`` names it, "(editors only)"."""
    entries = raw_entries(*texts)
    referenced: dict[str, int] = {}
    for _key, raw in entries:
        for target in re.findall(r"^\s*crossref\s*=\s*[{\"]\s*([^}\"\s]+)", raw, re.MULTILINE | re.IGNORECASE):
            referenced[target.lower()] = referenced.get(target.lower(), 0) + 1
    expected = {}
    for key, raw in entries:
        if not re.search(r"^\s*author\s*=", raw, re.MULTILINE | re.IGNORECASE):
            editors = re.search(r"^\s*editor\s*=", raw, re.MULTILINE | re.IGNORECASE)
            count = referenced.get(key.lower())
            expected[key] = (
                f" (crossref container, referenced by {count})" if count else " (editors only)" * bool(editors)
            )
    return expected


def author_less_notes(result: LoadResult) -> dict[str, str]:
    """Entry key -> the end of its note, for the notes on entries without authors."""
    return {
        note.message.split("'")[1]: note.message.split(NOT_A_PAPER)[1]
        for note in result.notes
        if NOT_A_PAPER in note.message
    }


def line_of(text: str, opening: str) -> int:
    """The 1-based line where ``opening`` (e.g. ``@Article{macros,``) starts, found by plain text search."""
    return text[: text.index(opening)].count("\n") + 1


def lines_matching(text: str, pattern: str) -> list[int]:
    return [number for number, line in enumerate(text.splitlines(), start=1) if re.fullmatch(pattern, line)]


def author_slots_in_raw_entry(text: str, line: int) -> int:
    """Names in the one-line ``author = {...}`` field of the entry starting at ``line`` (Mendeley's layout)."""
    entry = "\n".join(text.splitlines()[line - 1 :]).split("\n@", 1)[0]
    (field,) = re.findall(r"^author = \{(.*)\},?$", entry, re.MULTILINE)
    return field.count(" and ") + 1


def by_key(result: LoadResult) -> dict[str, Paper]:
    return {paper.external_ids["bibtex_key"]: paper for paper in result.papers}


def names(paper: Paper) -> list[str]:
    return [author.name for author in paper.authors]


def slots(result: LoadResult) -> int:
    return sum(len(paper.authors) for paper in result.papers)


def parse_inline(text: str) -> LoadResult:
    return bibtex.parse(text, "inline.bib", as_of=AS_OF)


@pytest.fixture(scope="module")
def tricky() -> LoadResult:
    return bibtex.parse_many([(str(TRICKY), TRICKY.read_text()), (str(SECOND), SECOND.read_text())], as_of=AS_OF)


@pytest.fixture(scope="module")
def bib_dir(shared_dir: Path) -> Path:
    return shared_dir / "data" / "bibtex"


@pytest.fixture(scope="module")
def iridia(bib_dir: Path) -> LoadResult:
    folder = bib_dir / "iridia"
    return bibtex.parse_many([(str(folder / name), (folder / name).read_text()) for name in IRIDIA_ORDER], as_of=AS_OF)


# --- every real file ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["amrex_joss_paper.bib", "mendeley_export_942.bib", *(f"iridia/{n}" for n in (*IRIDIA_ORDER, "abbrevshort.bib"))],
)
def test_every_real_file_reads_one_record_per_entry_start(bib_dir: Path, name: str):
    path = bib_dir / name
    result = read_file(path, as_of=AS_OF)
    assert result.format == "bibtex"
    assert result.records_read == entry_count(path.read_text())
    # Read alone, an iridia entry file lacks its macros: its entries are then Problems, each at an entry's line.
    block_lines = set(lines_matching(path.read_text(), r"[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(].*"))
    assert {problem.line for problem in result.problems} <= block_lines
    assert len(result.papers) + len(result.problems) <= result.records_read
    assert all(paper.authors for paper in result.papers)


def test_amrex_matches_provenance(bib_dir: Path):
    path = bib_dir / "amrex_joss_paper.bib"
    result = read_file(path, as_of=AS_OF)
    # PROVENANCE: 19 entries, 14 with an author, 103 author slots; the 5 author-less @Misc are noted.
    assert (result.records_read, len(result.papers), slots(result)) == (19, 14, 103)
    assert result.problems == []
    assert author_less_notes(result) == expected_author_less_notes(path.read_text())
    assert len(result.notes) == 5
    zingale = by_key(result)["Zingale_2018"]
    assert (zingale.date, zingale.date_precision, zingale.year) == ("2018-05", "month", 2018)  # month = {may}
    assert by_key(result)["BergerOliger"].date == "1984-03"  # bare month macro: month = mar
    assert names(by_key(result)["sundials"])[0] == "Alan C Hindmarsh"  # "Hindmarsh, Alan C"
    assert names(by_key(result)["yt"])[0] == "M. J. Turk"  # "{Turk}, M.~J.": tie and braces gone
    assert any("Rübel" in name for paper in result.papers for name in names(paper))  # Oliver R\"{u}bel


def test_amrex_keeps_two_people_with_the_same_name_as_two_slots(bib_dir: Path):
    text = (bib_dir / "amrex_joss_paper.bib").read_text()
    result = read_file(bib_dir / "amrex_joss_paper.bib", as_of=AS_OF)
    twice = [paper for paper in result.papers if names(paper).count("Hong Zhang") == 2]
    assert len(twice) == text.count("Hong Zhang and Hong Zhang") == 1
    positions = [author.position for author in twice[0].authors]
    assert positions == list(range(1, len(positions) + 1))


def test_mendeley_reports_both_duplicate_keys_and_keeps_the_first(bib_dir: Path):
    path = bib_dir / "mendeley_export_942.bib"
    text = path.read_text()
    result = read_file(path, as_of=AS_OF)
    starts = {key: lines_matching(text, rf"@\w+\{{{key},") for key in ("hayashi02", "polyanskiy10")}
    duplicates = [problem for problem in result.problems if "duplicate key" in problem.message]
    assert sorted((problem.line, problem.path) for problem in duplicates) == sorted(
        (lines[1], str(path)) for lines in starts.values()
    )
    for problem in duplicates:
        key = problem.message.split("'")[1]
        assert f"(the first, at mendeley_export_942.bib:{starts[key][0]}, is used)" in problem.message
    # PROVENANCE: 942 entries, 941 with an author (SEDUMI has none), 2,184 author slots. The later copies of the
    # two duplicate keys are skipped, so their slots (counted here from the raw text) are missing from the papers.
    skipped = sum(author_slots_in_raw_entry(text, problem.line) for problem in duplicates)
    assert result.records_read == entry_count(text) == 942
    assert len(result.papers) == 941 - len(duplicates)
    assert author_less_notes(result) == expected_author_less_notes(text) == {"SEDUMI": ""}
    assert slots(result) == 2184 - skipped


def test_mendeley_decodes_latex_and_reads_arxiv_ids(bib_dir: Path):
    text = (bib_dir / "mendeley_export_942.bib").read_text()
    result = read_file(bib_dir / "mendeley_export_942.bib", as_of=AS_OF)
    papers = by_key(result)
    assert names(papers["dammeier15"]) == ["Lars Dammeier", "René Schwonnek", "Reinhard F Werner"]
    assert papers["dammeier15"].title == "Uncertainty Relations for Angular Momentum"  # {{...}} unbraced
    assert papers["renes14b"].arxiv_id == "1402.6711"
    # Mendeley's old-style ids: eprint = {0412083} with arxivId = {quant-ph/0412083}.
    assert {paper.arxiv_id for paper in result.papers} >= {"quant-ph/0412083"}
    assert not any("{" in name or "\\" in name for paper in result.papers for name in names(paper))
    assert len(re.findall(r"^arxivId = ", text, re.MULTILINE)) >= sum(1 for p in result.papers if p.arxiv_id) > 300


# --- iridia: seven files, one stream --------------------------------------------------------------------------


def test_iridia_stream_matches_provenance(iridia: LoadResult, bib_dir: Path):
    folder = bib_dir / "iridia"
    assert iridia.records_read == sum(entry_count((folder / name).read_text()) for name in IRIDIA_ORDER) == 3305
    # PROVENANCE (pybtex): 8,199 author slots. pybtex counts "and others" as a person; we set authors_truncated.
    assert slots(iridia) + sum(paper.authors_truncated for paper in iridia.papers) == 8199
    # Proceedings and books that entries crossref, and other author-less entries, are noted (the containers with
    # how many entries name them); nothing goes wrong once the files are read in order.
    texts = [(folder / name).read_text() for name in IRIDIA_ORDER]
    assert iridia.problems == []
    assert author_less_notes(iridia) == expected_author_less_notes(*texts)
    containers = [end for end in author_less_notes(iridia).values() if "crossref container" in end]
    assert len(containers) == 421  # crossref.bib's 420 volumes and biblio.bib's WIS:MOA_vol2
    assert len(iridia.papers) + len(iridia.problems) + len(iridia.notes) == iridia.records_read


def test_iridia_walked_as_a_directory_reads_like_the_provenance_order(iridia: LoadResult, bib_dir: Path):
    # Alphabetically, articles.bib comes before the authors.bib and journals.bib that define its macros (and
    # abbrevshort.bib, an alternative to abbrev.bib, is read too): its macros are then forward references.
    (walked,) = read_inputs([bib_dir / "iridia"], as_of=AS_OF)
    assert (walked.records_read, len(walked.papers)) == (iridia.records_read, len(iridia.papers))
    assert (walked.problems, author_less_notes(walked)) == ([], author_less_notes(iridia))
    in_order = {paper.external_ids["bibtex_key"]: names(paper) for paper in iridia.papers}
    assert {paper.external_ids["bibtex_key"]: names(paper) for paper in walked.papers} == in_order


def test_a_macro_used_before_its_definition_reads_the_first_one_after():
    result = bibtex.parse_many(
        [
            ("a.bib", '@article{k, author = lee, title = {T}, journal = j # " Letters"}\n@string{j = "Early"}'),
            (
                "b.bib",
                '@string{lee = {Ann Lee}}\n@string{j = "Late"}\n@article{m, author = lee, title = {U}, journal = j}',
            ),
        ],
        as_of=AS_OF,
    )
    assert result.problems == []
    assert [(names(p), p.venue) for p in result.papers] == [(["Ann Lee"], "Early Letters"), (["Ann Lee"], "Late")]


def test_iridia_author_macros_and_concatenation(iridia: LoadResult, bib_dir: Path):
    text = (bib_dir / "iridia" / "articles.bib").read_text()
    paper = by_key(iridia)["AbrAmoDan1999"]  # author = Abramson_D #and# {Amoorthy, Mohan Krishna and Dang, Henry}
    assert names(paper) == ["David Abramson", "Mohan Krishna Amoorthy", "Henry Dang"]
    assert paper.source_ref == f"articles.bib:{line_of(text, '@Article{AbrAmoDan1999,')}"
    assert paper.venue == "Asia-Pacific Journal of Operational Research"  # journal = apjor, from journals.bib


def test_iridia_crossref_inherits_the_volume_title_and_year_but_not_its_doi(iridia: LoadResult):
    chapter = by_key(iridia)["AarKorMic2005"]  # crossref = {SearchMethod2005}, a @Book with its own DOI
    assert (chapter.venue, chapter.year, chapter.kind) == ("Search Methodologies", 2005, "incollection")
    assert chapter.doi == "10.1007/0-387-28356-0_7"
    assert names(chapter) == ["Emile H. L. Aarts", "Jan H. M. Korst", "Wil Michiels"]
    assert "SearchMethod2005" not in by_key(iridia)


def test_iridia_preamble_command_becomes_the_title(iridia: LoadResult):
    assert by_key(iridia)["StuHoo2000:fgcs"].title == "MAX\u2013MIN Ant System"  # title = "{\MaxMinAntSystem}"
    assert not any("\\" in paper.title or "{" in paper.title for paper in iridia.papers)


def test_iridia_abbrevshort_redefines_names_after_abbrev(bib_dir: Path, iridia: LoadResult):
    folder = bib_dir / "iridia"
    order = [*IRIDIA_ORDER[:2], "abbrevshort.bib", *IRIDIA_ORDER[2:]]
    short = bibtex.parse_many([(str(folder / name), (folder / name).read_text()) for name in order], as_of=AS_OF)
    assert (short.records_read, len(short.papers), len(short.problems)) == (
        iridia.records_read,
        len(iridia.papers),
        len(iridia.problems),
    )
    long_venues, short_venues = by_key(iridia), by_key(short)
    shorter = [key for key in long_venues if (short_venues[key].venue or "") != (long_venues[key].venue or "")]
    assert shorter and all(len(short_venues[key].venue) < len(long_venues[key].venue) for key in shorter)


# --- the tricky bits, on a fixture of our own ---------------------------------------------------------------


def test_fixture_records_and_where_they_are(tricky: LoadResult):
    first, second = TRICKY.read_text(), SECOND.read_text()
    assert tricky.records_read == entry_count(first) + entry_count(second)
    assert tricky.path == f"{TRICKY} + {SECOND}"
    papers = by_key(tricky)
    assert papers["macros"].source_ref == f"bib_tricky.bib:{line_of(first, '@Article{macros,')}"
    assert papers["second_file"].source_ref == f"bib_second.bib:{line_of(second, '@article{second_file,')}"
    author_less = author_less_notes(tricky)  # conf2020, the volume "chapter" crossrefs, and the edited book
    assert len(tricky.papers) + len(tricky.problems) + len(author_less) == tricky.records_read


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("macros", ["Ada Lovelace", "Charles Babbage"]),  # {Lovelace, Ada} #and# Babbage
        ("corporate", ["World Health Organization", "Mark F. Adams", "Özgür Çelik"]),
        ("truncated", ["Joseph M. Renes", "Volkher B. Scholz"]),  # ... and others
        ("chapter", ["John von Neumann", "Zaphod Beeblebrox IV"]),  # von Last, First; Last, Jr, First
        ("mendeley", ["René Schwonnek", "Reinhard F Werner"]),  # Ren{\'{e}}
        ("second_file", ["Charles Babbage", "Luigi Menabrea"]),  # a macro of the first file
    ],
)
def test_author_names(tricky: LoadResult, key: str, expected: list[str]):
    paper = by_key(tricky)[key]
    assert names(paper) == expected
    assert [author.position for author in paper.authors] == list(range(1, len(expected) + 1))


@pytest.mark.parametrize(("key", "truncated"), [("truncated", True), ("macros", False), ("corporate", False)])
def test_and_others_marks_the_author_list_truncated(tricky: LoadResult, key: str, truncated: bool):
    assert by_key(tricky)[key].authors_truncated is truncated


@pytest.mark.parametrize(
    ("key", "field", "expected"),
    [
        ("macros", "venue", "Proceedings of the Computing Society"),  # "Proceedings of the " # "Computing Society"
        ("second_file", "venue", "Proc. Comput. Soc."),  # the second file redefines @string pcs
        ("macros", "date", "1843-10"),  # month = oct
        ("macros", "doi", "10.1000/ABC.123"),  # https://doi.org/ prefix dropped
        ("macros", "title", "Sketch of the Analytical Engine"),
        ("corporate", "title", "Global Report on MAX\u2013MIN Ant System"),  # @preamble \providecommand
        ("truncated", "arxiv_id", "1402.6711v2"),  # eprint + archivePrefix = {arXiv}
        ("truncated", "abstract_text", "We derive new relations for d-dimensional systems."),
        ("mendeley", "arxiv_id", "1504.07564"),  # arxivId
        ("chapter", "venue", "Proceedings of the Conference on Things 2020"),  # the crossref target's title
        ("chapter", "date", "2020-06"),  # and its year and month
        ("chapter", "doi", None),  # but never its DOI
        ("second_chapter", "venue", "Proceedings of the Conference on Things 2020"),  # target in the other file
        ("chapter", "kind", "inproceedings"),
        ("corporate", "kind", "article"),  # @ARTICLE
    ],
)
def test_fields(tricky: LoadResult, key: str, field: str, expected: object):
    assert getattr(by_key(tricky)[key], field) == expected


@pytest.mark.parametrize(
    ("opening", "path", "message"),
    [
        ("@InProceedings{orphan,", TRICKY, "entry 'orphan': crossref target 'nowhere2021' is not in the input"),
        ("@article{macros,", TRICKY, "entry 'macros': duplicate key (the first, at bib_tricky.bib:{first}, is used)"),
        ("@article{after_broken,", SECOND, "entry 'after_broken': duplicate key (the first, at bib_tricky.bib:{first}"),
        ("@article{broken,", TRICKY, "cannot be read: Unexpected block start: `@article`."),
    ],
)
def test_problems_name_file_line_and_key(tricky: LoadResult, opening: str, path: Path, message: str):
    (line,) = lines_matching(path.read_text(), re.escape(opening))
    (problem,) = [problem for problem in tricky.problems if (problem.path, problem.line) == (str(path), line)]
    first = line_of(TRICKY.read_text(), "{" + opening.split("{")[1])
    assert problem.message.startswith(message.format(first=first))
    assert problem.excerpt == opening


def test_an_undefined_macro_outside_title_and_author_leaves_only_that_field_out_with_a_note(tricky: LoadResult):
    paper = by_key(tricky)["unknown_macro"]  # journal = nosuchjournal, defined nowhere
    assert (names(paper), paper.title, paper.venue) == (["Kurt Gödel"], "Uses a Macro Nobody Defined", None)
    (line,) = lines_matching(TRICKY.read_text(), re.escape("@article{unknown_macro,"))
    assert [(note.path, note.line, note.message) for note in tricky.notes if "left out" in note.message] == [
        (str(TRICKY), line, "entry 'unknown_macro': journal left out: undefined macro 'nosuchjournal'")
    ]


@pytest.mark.parametrize(
    ("fields", "problems", "notes"),
    [
        ("author = nobody, title = {T}", ["entry 'k': undefined macro nobody (in author)"], []),
        ("author = {A B}, title = untitled # {!}", ["entry 'k': undefined macro untitled (in title)"], []),
        ("author = {A B}, title = {T}, year = yr, publisher = pub # {!}", [], ["year", "publisher"]),
    ],
)
def test_an_undefined_macro_skips_the_entry_only_in_its_title_or_authors(fields: str, problems: list, notes: list):
    result = bibtex.parse("@string{known = {K}}\n@article{k, " + fields + "}\n", "m.bib", as_of=AS_OF)
    assert [problem.message for problem in result.problems] == problems
    assert [note.message.split(": ")[1] for note in result.notes] == [f"{field} left out" for field in notes]
    assert len(result.papers) == (not problems)


def test_an_undefined_macro_in_a_crossref_volume_is_noted_and_not_inherited():
    text = (
        "@proceedings{vol, title = {Proc}, booktitle = where, year = 2021}\n"
        "@inproceedings{c, author = {Cy Do}, title = {In It}, crossref = {vol}}\n"
    )
    result = bibtex.parse(text, "v.bib", as_of=AS_OF)
    assert result.problems == []
    assert [(paper.venue, paper.year) for paper in result.papers] == [("Proc", 2021)]  # the volume's title instead
    assert [(note.line, note.message) for note in result.notes] == [
        (1, f"entry 'vol' {NOT_A_PAPER} (crossref container, referenced by 1)"),
        (1, "entry 'vol': booktitle left out: undefined macro 'where'"),
    ]


def test_author_less_entries_are_noted_not_skipped(tricky: LoadResult):
    first = TRICKY.read_text()
    notes = [(note.path, note.line, note.message) for note in tricky.notes if NOT_A_PAPER in note.message]
    assert notes == [
        (
            str(TRICKY),
            line_of(first, "@Proceedings{conf2020,"),
            f"entry 'conf2020' {NOT_A_PAPER} (crossref container, referenced by 2)",
        ),
        (str(TRICKY), line_of(first, "@Book{edited,"), f"entry 'edited' {NOT_A_PAPER} (editors only)"),
    ]  # conf2020: "chapter" here and "second_chapter" in the second file name it; editors are not authors
    assert not {"conf2020", "edited"} & set(by_key(tricky))
    assert not [problem for problem in tricky.problems if "conf2020" in problem.excerpt or "edited" in problem.excerpt]


@pytest.mark.parametrize(
    ("entry", "note", "problem"),
    [
        ("@misc{k, title = {Software}}", f"entry 'k' {NOT_A_PAPER}", None),
        ("@proceedings{k, editor = {E D}}", f"entry 'k' {NOT_A_PAPER} (editors only)", None),  # no title either
        ("@article{k, author = {{_ _}}, title = {T}}", f"entry 'k' {NOT_A_PAPER}", None),  # no name in it
        ("@article{k, author = {A B}}", None, "entry 'k': no title"),
        ("@article{k, author = nobody, title = {T}}", None, "entry 'k': undefined macro nobody (in author)"),
    ],
)
def test_no_authors_is_a_note_and_no_title_a_problem(entry: str, note: str | None, problem: str | None):
    result = parse_inline(entry)
    assert [note.message for note in result.notes] == ([note] if note else [])
    assert [problem.message for problem in result.problems] == ([problem] if problem else [])
    assert (result.records_read, result.papers) == (1, [])


def test_entry_after_a_broken_one_still_loads(tricky: LoadResult):
    assert by_key(tricky)["after_broken"].source_ref.startswith("bib_tricky.bib:")


# --- small pure pieces --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "macros", "expected"),
    [
        ("{Plain}", {}, ("Plain", [])),
        ('"Quoted {with} braces"', {}, ("Quoted {with} braces", [])),
        ("1998", {}, ("1998", [])),
        (
            "Abramson_D #and# {Dang, Henry}",
            {"abramson_d": "David Abramson", "and": " and "},
            ("David Abramson and Dang, Henry", []),
        ),
        ('{a # b} # "c # d"', {}, ("a # bc # d", [])),  # "#" inside braces and quotes is text
        ("JOURNAL", {"journal": "J. Things"}, ("J. Things", [])),  # macro names ignore case
        ("{x} # missing", {}, ("x", ["missing"])),
    ],
)
def test_expand_value(raw: str, macros: dict[str, str], expected: tuple[str, list[str]]):
    assert expand_value(raw, macros) == expected


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ("Hindmarsh, Alan C", ["Alan C Hindmarsh"]),
        ("Ludwig van Beethoven", ["Ludwig van Beethoven"]),
        ("Beeblebrox, IV, Zaphod", ["Zaphod Beeblebrox IV"]),
        ("{Turk}, M.~J.", ["M. J. Turk"]),
        ("L{\\'o}pez-Ib{\\'a}{\\~n}ez, Manuel", ["Manuel López-Ibáñez"]),
        ('St{\\"u}tzle, Thomas and Hoos, Holger H.', ["Thomas Stützle", "Holger H. Hoos"]),
        ("{World Health Organization}", ["World Health Organization"]),
        ("{Barnes and Noble} and Ann Lee", ["Barnes and Noble", "Ann Lee"]),  # braces protect " and "
        ("Ann Lee and others", ["Ann Lee"]),
    ],
)
def test_name_splitting(author: str, expected: list[str]):
    (paper,) = parse_inline(f"@article{{k, author = {{{author}}}, title = {{T}}}}").papers
    assert names(paper) == expected


def test_string_using_an_undefined_macro_is_a_problem():
    result = parse_inline('@string{a = nope # " x"}\n@article{k, author = {Ann Lee}, title = a}')
    assert [(problem.line, problem.message) for problem in result.problems] == [
        (1, "@string 'a': undefined macro nope")
    ]
    assert [paper.title for paper in result.papers] == ["x"]


def test_entry_without_title_is_a_problem():
    result = parse_inline("@article{k, author = {Ann Lee}}")
    assert result.papers == []
    assert [(problem.line, problem.message) for problem in result.problems] == [(1, "entry 'k': no title")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("%% header\n% more\n\n@Article{k,\n title={T}}", True),
        ('@string{a = "b"}\n', True),
        ("\ufeff@misc{k, title={T}}", True),
        ('"Authors","Title","Year"\n', False),
        ("FN Thomson Reuters Web of Science\nVR 1.0\n", False),
        ('{"title": "@article{k,"}', False),
        ("Some text\n@article{k, title={T}}", False),
        ("", False),
    ],
)
def test_sniff(text: str, expected: bool):
    assert bibtex.sniff(text) is expected


def test_detect_format_picks_bibtex_for_a_bib_file():
    assert detect_format(TRICKY, TRICKY.read_text()) == "bibtex"
