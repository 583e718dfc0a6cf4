"""The pieces of a load result every loader shares: the one rule for an author name that names nobody, the notes it
leaves, and how problems and notes group into reasons."""

from __future__ import annotations

import doctest
from datetime import date
from pathlib import Path

import pytest

import loaders.result
from graph.model import AuthorRef, Paper
from loaders import LoadResult, Note, Problem, read_file
from loaders.result import count_reasons, has_name, screened, without_nameless

AS_OF = date(2026, 11, 27)


def test_the_examples_in_the_docstrings_hold():
    result = doctest.testmod(loaders.result)
    assert (result.failed, result.attempted > 0) == (0, True)


@pytest.mark.parametrize(
    ("name", "named"),
    [
        ("Ada Lovelace", True),
        ("李", True),
        ("3", True),
        ("Ⅷ", True),  # a Roman numeral is a number
        ("_ _", False),
        ("}", False),
        ("\u200d", False),
        (" . - ", False),
        ("\u0301", False),  # a combining accent alone
        ("", False),
        (None, False),
    ],
)
def test_a_name_needs_a_letter_or_digit(name: str | None, named: bool):
    assert has_name(name) is named


def paper(*names: str) -> Paper:
    authors = tuple(AuthorRef(name, position) for position, name in enumerate(names, start=1))
    return Paper(title="T", authors=authors, source="test", source_ref="t:1")


def test_nameless_authors_are_left_out_the_others_keep_their_positions():
    kept, notes = without_nameless(paper("Ada", "_ _", "Bob", ""), "f.json", 7)
    assert [(author.name, author.position) for author in kept.authors] == [("Ada", 1), ("Bob", 3)]
    assert (kept.title, kept.first_author) == ("T", "Ada")
    assert notes == [
        Note("f.json", 7, "author 2 '_ _' left out: its name has no letter or digit"),
        Note("f.json", 7, "author 4 '' left out: its name has no letter or digit"),
    ]


def test_a_paper_whose_authors_all_have_names_is_returned_as_is():
    whole = paper("Ada", "Bob")
    assert without_nameless(whole, "f.json", 1) == (whole, [])
    assert without_nameless(whole, "f.json", 1)[0] is whole


def test_a_first_author_without_a_name_is_not_the_first_author():
    kept, _ = without_nameless(paper("}", "Bob"), "f.json", 1)
    assert (kept.first_author, kept.key) == ("Bob", paper("Bob").key)


def test_problems_and_notes_group_into_reasons_without_what_varies():
    reports = [
        Note("a.gml", 0, "node 19 'AGRAWAL, H' not loaded: it has no ties"),
        Note("a.gml", 0, "node 26 'ALBA, R' not loaded: it has no ties"),
        Problem("a.txt", 3, "not valid UTF-8: byte 0xe9 at byte offset 12", ""),
    ]
    assert count_reasons(reports) == {
        "node … … not loaded: it has no ties": 2,
        "not valid UTF-8: byte 0xe9 at byte offset …": 1,
    }


@pytest.mark.parametrize(
    ("format", "text", "line"),
    [
        ("ieee", "Document Title,Authors,Author Affiliations,Publication Title\nT,Ann Lee; }; Bo Wu,NA,V\n", 2),
        ("bibtex", "\n@article{k, author = {Ann Lee and {\\_} and Bo Wu}, title = {T}}\n", 2),
        (
            "arxiv_atom",
            '<feed xmlns="http://www.w3.org/2005/Atom"><title>arxiv.org/ query</title>\n<entry>'
            "<id>http://arxiv.org/abs/1707.08567v1</id><title>T</title><author><name>Ann Lee</name></author>"
            "<author><name>}</name></author><author><name>Bo Wu</name></author></entry></feed>",
            2,
        ),
    ],
)
def test_every_loader_keeps_the_record_and_notes_the_author_it_leaves_out(
    format: str, text: str, line: int, tmp_path: Path
):
    path = tmp_path / "input.txt"
    path.write_text(text, encoding="utf-8")
    result = read_file(path, format, as_of=AS_OF)
    ((kept,), ()) = (result.papers, result.problems)
    assert [(author.name, author.position) for author in kept.authors] == [("Ann Lee", 1), ("Bo Wu", 3)]
    assert [(note.path, note.line, note.message.endswith("has no letter or digit")) for note in result.notes] == [
        (str(path), line, True)
    ]


# --- one rule for records without authors or title (loaders.result.screened) -------------------------------------


def _paper(title: str = "T", names: tuple[str, ...] = ("Ada Lovelace",), **fields) -> Paper:
    authors = tuple(AuthorRef(name, position) for position, name in enumerate(names, start=1))
    return Paper(title=title, authors=authors, source="s", source_ref="f.json:7", **fields)


@pytest.mark.parametrize(
    ("paper", "kept"),
    [
        (_paper(), ["Paper"]),
        (_paper(names=()), ["Note: 'T' has no authors: not a paper to load"]),
        (
            _paper(names=("_ _",), doi="10.1/x"),
            [
                "Note: author 1 '_ _' left out: its name has no letter or digit",
                "Note: '10.1/x' has no authors: not a paper to load",
            ],
        ),
        (_paper(title="", doi="10.1/x"), ["Paper"]),
        (_paper(title="", external_ids={"s2": "abc"}), ["Paper"]),
        (
            _paper(title=" ", year=2020, venue="Mind"),
            ["Problem: no title and no id (DOI, arXiv id or the source's own): nothing tells this record apart"],
        ),
    ],
    ids=["kept", "no-authors", "nameless-only", "untitled-doi", "untitled-source-id", "untitled-no-id"],
)
def test_screened_applies_one_rule_to_authorless_and_untitled_records(paper: Paper, kept: list[str]):
    found = screened(paper, "f.json", 7)
    assert [
        type(item).__name__ + (f": {item.message}" if not isinstance(item, Paper) else "") for item in found
    ] == kept
    assert all(item.line == 7 for item in found if not isinstance(item, Paper))


def test_a_problem_for_a_record_without_title_or_id_shows_what_it_has():
    (problem,) = screened(_paper(title="", year=2020, venue="Mind"), "f.json", 7)
    assert (problem.path, problem.line, problem.excerpt) == ("f.json", 7, "f.json:7 Ada Lovelace 2020 Mind")


def test_add_files_each_item_in_its_list():
    result = LoadResult("f.json", "s", [], [], [], 2)
    result.add([*screened(_paper(), "f.json", 1), *screened(_paper(names=()), "f.json", 2)])
    assert (len(result.papers), [note.line for note in result.notes], result.problems) == (1, [2], [])
