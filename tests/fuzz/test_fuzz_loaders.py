"""Every loader, fed mutated and varied real files, returns well-formed records or raises our own error naming the
file: never another exception, never a hang. The long run is ``bench/fuzz_loaders.py``."""

from __future__ import annotations

import math
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.errors import InputError
from graph.model import AuthorRef, Paper, Tie
from loaders import FORMATS, LoadResult, edge_list, read_file
from tests.fuzz.oracle import AS_OF, record_faults, run_loader
from tests.fuzz.strategies import FORMAT_NAMES, fuzz_inputs

TIME_LIMIT = 5.0
"""Seconds per input; the slowest input of the 10,000-per-format run took well under a second."""


def test_every_format_is_fuzzed():
    assert set(FORMAT_NAMES) == set(FORMATS)


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_seeds_load_as_well_formed_records_of_their_format(name: str, seeds, scratch: Path):
    for seed_name, data in seeds[name]:
        path = scratch / f"seed_{seed_name}"
        path.write_bytes(data)
        result = read_file(path, as_of=AS_OF)
        assert result.format == name, seed_name
        assert result.papers or result.profiles or result.ties, seed_name
        assert record_faults(result, str(path)) == [], seed_name


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_fuzzed_input_gives_records_or_our_error_naming_the_file(name: str, seeds, scratch: Path):
    kinds: set[str] = set()

    @settings(settings.get_profile("fuzz-ci"))
    @given(fuzz_inputs(name, seeds[name]), st.booleans())
    def check(made: tuple[str, bytes], detect: bool):
        how, data = made
        format = None if detect else name
        outcome = run_loader(data, scratch / f"fuzz_{name}.in", format, TIME_LIMIT)
        kinds.add(outcome.kind)
        assert outcome.kind != "uncaught", f"{how}, read as {format or 'detected'}: {outcome.detail}"

    check()
    assert kinds == {"result", "own_error"}, "the fuzz reached only one outcome: the inputs are too tame or too broken"


# -- the oracle can fail -------------------------------------------------------------------------------------------


def _paper(**changes) -> Paper:
    fields = {"title": "T", "authors": (AuthorRef("A B", 1),), "source": "test", "source_ref": "x:1"}
    return Paper(**{**fields, **changes})


@pytest.mark.parametrize(
    ("record", "fault"),
    [
        (_paper(title="T\ud800"), "lone surrogate"),
        (_paper(citations=1 << 64), "not a 64-bit int"),
        (_paper(year=True), "not a 64-bit int"),
        (_paper(authors=(AuthorRef(" ", 1),)), "author name is blank"),
        (_paper(authors=(AuthorRef("A", 1, ids={"orcid": " "}),)), "is blank"),
        (_paper(authors=(AuthorRef(5, 1),)), "author name is not text"),
        (Tie(AuthorRef("a", 0), AuthorRef("b", 0), math.inf, "gml", "x:1"), "tie weight"),
    ],
)
def test_record_faults_flags_records_the_writer_cannot_take(record, fault: str):
    result = LoadResult("x", "test", [], [], [], 1)
    (result.ties if isinstance(record, Tie) else result.papers).append(record)
    faults = record_faults(result, "x")
    assert faults and fault in faults[0]


def test_run_loader_reports_a_foreign_exception_a_hang_and_an_error_without_the_file(monkeypatch, tmp_path: Path):
    def crash(text, path, *, as_of):
        raise KeyError("Authors")

    def hang(text, path, *, as_of):
        time.sleep(5)

    def anonymous(text, path, *, as_of):
        raise InputError("bad")

    data = b"1 2\n2 3\n"
    for parse, detail in ((crash, "KeyError"), (hang, "hang"), (anonymous, "own error without the file")):
        monkeypatch.setattr(edge_list, "parse", parse)
        outcome = run_loader(data, tmp_path / "edges.txt", None, 0.3)
        assert (outcome.kind, detail in outcome.detail) == ("uncaught", True)
    monkeypatch.undo()
    assert run_loader(data, tmp_path / "edges.txt", None, 5).kind == "result"
    assert run_loader(b"\xff\xfe\x00", tmp_path / "junk.txt", None, 5).kind == "own_error"
