"""`coauthor load` on awkward inputs: pipes, devices, broken links, missing names, empty files, a wrong --format;
and its exit code 6 whenever something was skipped, after writing everything that was good."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from coauthor import cli
from graph.connection import Graph
from queries.stats import graph_stats

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TAO_REN = FIXTURES / "profile_tao_ren.txt"  # 3 papers, nothing malformed
MALFORMED = FIXTURES / "profile_malformed.txt"  # 2 papers and 1 malformed block (line 19)
AS_OF = ("--as-of", "2026-11-27")


def load(*args: str | Path, input: bytes | None = None) -> Result:
    return CliRunner().invoke(cli, ["load", *map(str, args)], input=input, catch_exceptions=False)


def final_error(result: Result) -> str:
    return result.output.rstrip("\n").rsplit("\n", 1)[-1]


def fed_as_process_substitution(data: bytes) -> Iterator[str]:
    """What bash passes for `<(cat file)`: /dev/fd/N, the read end of a pipe that a thread fills, then closes."""
    read_end, write_end = os.pipe()

    def fill() -> None:
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)

    threading.Thread(target=fill, daemon=True).start()
    yield f"/dev/fd/{read_end}"
    os.close(read_end)


@pytest.fixture(params=["fifo", "process substitution"])
def pipe(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A pipe that yields the Tao Ren profile: a named pipe (FIFO), or a process substitution."""
    if request.param == "process substitution":
        yield from fed_as_process_substitution(TAO_REN.read_bytes())
        return
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    threading.Thread(target=fifo.write_bytes, args=(TAO_REN.read_bytes(),), daemon=True).start()  # waits for a reader
    yield str(fifo)


def test_a_pipe_is_read_as_a_stream_and_its_format_detected(graph: Graph, neo4j_env: dict[str, str], pipe: str):
    result = load(pipe, *AS_OF)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{pipe}: 3 records read (profile), 3 papers written")
    assert graph_stats(graph).papers == 3


@pytest.mark.parametrize(
    ("path", "stdin", "said"),
    [("/dev/null", None, "/dev/null: the file is empty"), ("-", b" \n", "-: standard input is empty")],
)
def test_an_empty_input_says_so(graph: Graph, neo4j_env: dict[str, str], path: str, stdin: bytes | None, said: str):
    result = load(path, input=stdin)
    assert result.exit_code == 6
    assert f"  {said}\n" in result.output
    assert final_error(result) == "Error: the input could not be read"


def test_a_broken_symbolic_link_is_reported_named_or_met_in_a_folder(
    graph: Graph, neo4j_env: dict[str, str], tmp_path: Path
):
    (tmp_path / "profile.txt").write_bytes(TAO_REN.read_bytes())
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    named = load(tmp_path / "gone.txt")
    assert named.exit_code == 6
    assert f"{tmp_path}/gone.txt: no such file: a broken symbolic link to {tmp_path}/nowhere.txt" in named.output
    walked = load(tmp_path, *AS_OF)
    assert walked.exit_code == 6
    assert f"  {tmp_path}/gone.txt: no such file: a broken symbolic link" in walked.output
    assert final_error(walked) == "Error: 1 of 2 inputs could not be read (the others were loaded)"
    assert graph_stats(graph).papers == 3


@pytest.mark.parametrize("hidden", [False, True])
def test_an_empty_directory_is_reported_and_the_rest_still_loads(
    graph: Graph, neo4j_env: dict[str, str], tmp_path: Path, hidden: bool
):
    empty = tmp_path / "empty"
    (empty / "sub").mkdir(parents=True)
    if hidden:
        (empty / ".DS_Store").write_text("x")  # hidden files are not read: the directory has nothing to load
    alone = load(empty)
    assert alone.exit_code == 6
    assert f"  {empty}: the directory has no files to load (hidden ones are not read)\n" in alone.output
    assert final_error(alone) == "Error: the input could not be read"
    result = load(empty, TAO_REN, *AS_OF)
    assert result.exit_code == 6
    assert final_error(result) == "Error: 1 of 2 inputs could not be read (the others were loaded)"
    assert graph_stats(graph).papers == 3
    strict = load(empty, TAO_REN, "--strict", *AS_OF)
    assert strict.exit_code == 6
    assert strict.output == f"Error: {empty}: the directory has no files to load (hidden ones are not read)\n"


def test_a_missing_name_is_reported_and_the_rest_still_loads(graph: Graph, neo4j_env: dict[str, str], tmp_path: Path):
    missing, unmatched = tmp_path / "such.json", tmp_path / "nothing*.bib"
    result = load(TAO_REN, missing, unmatched, *AS_OF)
    assert result.exit_code == 6
    assert f"  {missing}: no such file, directory or matching pattern\n" in result.output
    assert f"  {unmatched}: no such file, directory or matching pattern\n" in result.output
    assert final_error(result) == "Error: 2 of 3 inputs could not be read (the others were loaded)"
    assert graph_stats(graph).papers == 3


def test_strict_refuses_everything_for_one_missing_name(graph: Graph, neo4j_env: dict[str, str], tmp_path: Path):
    result = load(TAO_REN, tmp_path / "such.json", "--strict", *AS_OF)
    assert result.exit_code == 6
    assert result.output == f"Error: {tmp_path}/such.json: no such file, directory or matching pattern\n"
    assert graph_stats(graph).papers == 0


def test_skipped_records_and_unreadable_files_share_the_final_line(
    graph: Graph, neo4j_env: dict[str, str], tmp_path: Path
):
    broken = tmp_path / "broken.txt.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00 truncated")
    result = load(broken, MALFORMED, TAO_REN, *AS_OF)
    assert result.exit_code == 6
    assert final_error(result) == (
        "Error: 1 of 3 inputs could not be read (the others were loaded); 1 record skipped in 1 input (see above)"
    )
    assert graph_stats(graph).papers == 5


@pytest.mark.parametrize("format", ["bibtex", "wos_plaintext"])
@pytest.mark.parametrize("strict", [False, True])
def test_a_wrong_format_that_finds_nothing_is_an_input_error(
    graph: Graph, neo4j_env: dict[str, str], shared_dir: Path, format: str, strict: bool
):
    works = shared_dir / "data" / "crossref" / "works_sample_10.json"
    result = load("--format", format, works, *(["--strict"] if strict else []))
    assert result.exit_code == 6
    said = f"{works}: no {format} records found; is --format right?"
    assert (result.output == f"Error: {said}\n") if strict else (f"  {said}\n" in result.output)
    assert graph_stats(graph).papers == 0


def test_a_file_of_the_format_given_with_no_works_is_fine(graph: Graph, neo4j_env: dict[str, str], shared_dir: Path):
    """An ORCID works list can be empty: it looks like ORCID, so finding no work there is no sign of a wrong format."""
    empty = shared_dir / "data" / "orcid" / "orcid_v3.0_works_empty_0000-0003-1620-1408.json"
    result = load("--format", "orcid", empty, "--strict")
    assert result.exit_code == 0, result.output
    assert "0 records read (orcid)" in result.output


@pytest.mark.parametrize("strict", [False, True])
def test_a_message_quoting_a_whole_file_is_cut_but_keeps_file_and_line(
    graph: Graph, neo4j_env: dict[str, str], shared_dir: Path, strict: bool
):
    works = shared_dir / "data" / "crossref" / "works_sample_10.json"
    result = load("--format", "gml", works, *(["--strict"] if strict else []))
    assert result.exit_code == 6
    assert f"{works}:1: malformed GML: cannot tokenize {{" in result.output
    assert max(map(len, result.output.splitlines())) <= len(f"Error: {works}:1: ") + 200


def test_reasons_group_without_breaking_words_that_hold_digits(graph: Graph, neo4j_env: dict[str, str], tmp_path: Path):
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Jos\u00e9 Garc\u00eda\n".encode("latin-1"))
    result = load(latin1)
    assert result.exit_code == 6
    assert "  skipped 1: not valid UTF-8: byte 0xe9 at byte offset …\n" in result.output
