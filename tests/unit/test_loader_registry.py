"""The loader registry: inputs expanded, formats detected, BibTeX files read as one stream, strict refusal."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import InputError
from loaders import FORMATS, expand_paths, read_inputs

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
