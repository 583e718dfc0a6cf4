"""The loader registry: inputs expanded, formats detected, BibTeX files read as one stream, strict refusal."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graph.errors import InputError
from loaders import FORMATS, MESSAGE_CHARS, UNREADABLE, UNRECOGNISED, expand_paths, read_inputs

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
IRIDIA_ORDER = ["abbrev.bib", "journals.bib", "authors.bib", "articles.bib", "biblio.bib", "crossref.bib"]


def test_consecutive_bibtex_files_share_macros_and_crossrefs(shared_dir: Path):
    iridia = shared_dir / "data" / "bibtex" / "iridia"
    [together] = read_inputs([iridia / name for name in IRIDIA_ORDER])
    assert together.format == "bibtex"
    assert sum(len(paper.authors) for paper in together.papers) + 8 == 8199  # PROVENANCE: 8,199 slots, 8 "others"
    alone = read_inputs([iridia / "articles.bib"])[0]
    assert len(alone.problems) > len(together.problems)


def test_each_file_of_another_format_is_its_own_result(seed_page: Path):
    results = read_inputs([seed_page, FIXTURES / "profile_tao_ren.txt"])
    assert [(result.format, len(result.papers)) for result in results] == [("profile", 7), ("profile", 3)]


def test_directories_are_walked_and_globs_expanded(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    for name in ("b.txt", "a.txt", "sub/c.txt", ".hidden"):
        (tmp_path / name).write_text("x")
    assert expand_paths([tmp_path]) == [str(tmp_path / n) for n in ("a.txt", "b.txt", "sub/c.txt")]
    assert expand_paths([str(tmp_path / "*.txt"), "-"]) == [str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "-"]


def test_strict_refuses_the_whole_input_naming_the_first_problem(seed_page: Path):
    with pytest.raises(InputError, match=r"profile_malformed\.txt:19"):
        read_inputs([seed_page, FIXTURES / "profile_malformed.txt"], strict=True)


def test_every_format_has_sniff_and_parse():
    assert all(callable(module.sniff) and callable(module.parse) for module in FORMATS.values())
    assert len(FORMATS) >= 15


def test_expansion_keeps_what_is_neither_file_nor_folder_and_never_recurses(tmp_path: Path):
    """A device, a pipe, a broken link and a name matching nothing come back as given (reading then handles them);
    a glob match whose own name is a pattern is not expanded again."""
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "gone").symlink_to(tmp_path / "nowhere")
    (tmp_path / "a[1].txt").write_text("x")
    (tmp_path / "a1.txt").write_text("x")
    named = ["/dev/null", str(tmp_path / "fifo"), str(tmp_path / "gone"), str(tmp_path / "absent*.bib")]
    assert expand_paths(named) == named
    assert expand_paths([str(tmp_path / "a*")]) == [str(tmp_path / "a1.txt"), str(tmp_path / "a[1].txt")]


def test_a_walked_folder_keeps_broken_links_but_not_pipes(tmp_path: Path):
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "gone").symlink_to(tmp_path / "nowhere")
    (tmp_path / "notes.txt").write_text("x")
    assert expand_paths([tmp_path]) == [str(tmp_path / "gone"), str(tmp_path / "notes.txt")]


def test_what_cannot_be_read_becomes_an_unreadable_result_naming_why(tmp_path: Path):
    (tmp_path / "gone").symlink_to(tmp_path / "nowhere")
    (tmp_path / "empty.txt").write_text(" \n")
    names = [tmp_path / "gone", tmp_path / "absent*.bib", tmp_path / "empty.txt", "/dev/null"]
    results = read_inputs(names, keep_going=True)
    assert [(result.format, result.problems[0].message) for result in results] == [
        (UNREADABLE, f"no such file: a broken symbolic link to {tmp_path / 'nowhere'}"),
        (UNREADABLE, "no such file, directory or matching pattern"),
        (UNREADABLE, "the file is empty"),
        (UNREADABLE, "the file is empty"),
    ]


def test_an_empty_file_met_in_a_folder_is_ignored(tmp_path: Path):
    (tmp_path / "empty.txt").write_text("")
    assert [result.format for result in read_inputs([tmp_path])] == [UNRECOGNISED]


@pytest.mark.parametrize("format", ["bibtex", "wos_plaintext"])
def test_a_format_given_that_finds_nothing_in_a_named_file_is_refused(tmp_path: Path, format: str):
    (tmp_path / "works.json").write_text('{"status": "ok", "message": {"items": []}}')
    with pytest.raises(InputError, match=rf"works\.json: no {format} records found; is --format right\?"):
        read_inputs([tmp_path / "works.json"], format)


def test_a_format_given_that_finds_nothing_in_a_walked_file_ignores_it(tmp_path: Path):
    (tmp_path / "works.json").write_text('{"status": "ok", "message": {"items": []}}')
    assert [result.format for result in read_inputs([tmp_path], "bibtex")] == [UNRECOGNISED]


def test_a_refusal_quoting_a_whole_file_is_cut_to_a_line(tmp_path: Path):
    works = tmp_path / "works.json"
    works.write_text('{"items": [' + ", ".join(['{"title": "x"}'] * 1000) + "]}")
    with pytest.raises(InputError) as refused:
        read_inputs([works], "gml")
    assert str(refused.value).startswith(f"{works}:1: malformed GML")
    assert len(refused.value.reason) == MESSAGE_CHARS
    assert refused.value.reason.endswith("…")


GML = 'graph [\n  node [ id 1 label "A" ]\n  node [ id 2 label "B" ]\n  edge [ source 1 target 2 ]\n]\n'


@pytest.mark.parametrize("keep_going", [False, True])
def test_a_format_given_that_fails_on_every_record_is_one_error_for_the_file(tmp_path: Path, keep_going: bool):
    network = tmp_path / "net.gml"
    network.write_text(GML)
    lines = len(GML.splitlines())  # each line is a record of an edge list, and none is a pair of node ids
    said = (
        f"no record could be read as snap: all {lines} failed (is --format right? Leave it out to detect the "
        "format); the first (line 1): not a pair of integer node ids"
    )
    if not keep_going:
        with pytest.raises(InputError) as refused:
            read_inputs([network], "snap")
        assert (str(refused.value), refused.value.path) == (f"{network}: {said}", str(network))
        return
    [result] = read_inputs([network], "snap", keep_going=True)
    assert (result.format, [(problem.path, problem.message) for problem in result.problems]) == (
        UNREADABLE,
        [(str(network), said)],
    )


def test_a_detected_format_that_fails_on_every_record_names_the_first_and_suggests_format(tmp_path: Path):
    first, second = tmp_path / "a.bib", tmp_path / "b.bib"
    first.write_text("@article{x, author = {A B}, title = nope}\n")
    second.write_text("% comment\n@article{y, author = {C D}}\n")
    with pytest.raises(InputError) as refused:
        read_inputs([first, second])
    assert refused.value.reason == (
        "no record could be read as bibtex: all 2 failed (detected from the content; if wrong, give --format); "
        "the first (a.bib, line 1): entry 'x': undefined macro nope (in title)"
    )
    assert refused.value.path == f"{first} + {second}"


def test_a_wrong_format_on_a_real_network_is_one_error_counting_its_records(shared_dir: Path):
    gml = shared_dir / "data" / "newman_gml" / "netscience.gml"
    lines = sum(1 for line in gml.read_text().splitlines() if line.strip() and not line.startswith("#"))
    [result] = read_inputs([gml], "snap", keep_going=True)
    [problem] = result.problems
    assert problem.message.startswith(f"no record could be read as snap: all {lines} failed (is --format right?")
    assert problem.message.endswith("the first (line 1): not a pair of integer node ids")


def test_records_that_fail_beside_good_ones_are_each_reported(tmp_path: Path):
    mixed = tmp_path / "mixed.txt"
    mixed.write_text("1 2\nnot a pair\n3 x\n")
    [result] = read_inputs([mixed], "snap")
    assert [(problem.line, problem.message) for problem in result.problems] == [
        (2, "not a pair of integer node ids"),
        (3, "not a pair of integer node ids"),
    ]
    assert (result.records_read, len(result.ties)) == (3, 1)


def test_records_noted_beside_failed_ones_keep_each_failure(tmp_path: Path):
    loops = tmp_path / "loops.txt"
    loops.write_text("1 1\nnot a pair\n")
    [result] = read_inputs([loops], "snap")
    assert ([note.line for note in result.notes], [problem.line for problem in result.problems]) == ([1], [2])


def test_a_single_failed_record_or_one_problem_for_many_keeps_its_own_message(tmp_path: Path, shared_dir: Path):
    single = tmp_path / "single.txt"
    single.write_text("not a pair\n")
    [alone] = read_inputs([single], "snap")
    assert [(problem.line, problem.message) for problem in alone.problems] == [(1, "not a pair of integer node ids")]
    search = shared_dir / "data" / "orcid" / "orcid_v3.0_search_given-names_carl.json"  # 10 iDs, one problem
    [result] = read_inputs([search])
    assert (result.format, len(result.problems)) == ("orcid", 1)
    assert result.records_read > 1 and result.problems[0].message.startswith("ORCID search results hold only iDs")
