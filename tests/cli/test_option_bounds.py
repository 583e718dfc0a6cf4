"""Integer options and `cypher --param` values Neo4j cannot hold are one-line usage errors (exit 2), never the
driver's OverflowError traceback (QA qa20b #1); no server is needed: they are refused before connecting."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from coauthor import cli

HUGE = "99999999999999999999"
INT64_MAX = str(2**63 - 1)
JUST_ABOVE = str(2**63)


def run(*args: str, code: int):
    result = CliRunner().invoke(cli, ["--uri", "bolt://127.0.0.1:9", *args])  # nothing listens there
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, OverflowError)
    return result


@pytest.mark.parametrize(
    "args",
    [
        ("coauthors", "A", "--limit", HUGE),
        ("coauthors", "A", "--limit", JUST_ABOVE),
        ("coauthors", "A", "--since", HUGE),
        ("coauthors", "A", "--until", HUGE),
        ("search", "graph", "--limit", HUGE),
        ("path", "A", "B", "--all", "--limit", HUGE),
        ("path", "A", "B", "--as-of", HUGE),
        ("path", "A", "B", "--max-hops", HUGE),
        ("similar", "A", "--limit", HUGE),
        ("recommend", "A", "--since", HUGE),
        ("experts", "t", "--limit", HUGE),
        ("authors", "duplicates", "--limit", HUGE),
        ("communities", "--since", HUGE),
        ("communities", "--until", HUGE),
        ("communities", "--hops", HUGE, "--around", "A"),
        ("communities", "sweep", "--since", HUGE),
        ("community", "show", "r", HUGE),
        ("central", "--until", HUGE),
        ("viz", "ego", "A", "--since", HUGE, "-o", "x.html"),
        ("viz", "communities", "--community", HUGE, "-o", "x.html"),
        ("viz", "path", "A", "B", "--as-of", HUGE, "-o", "x.html"),
    ],
)
def test_an_integer_beyond_its_range_is_a_usage_error(args: tuple[str, ...]):
    result = run(*args, code=2)
    assert "Error: Invalid value for" in result.output
    assert "is not in the range" in result.output


def test_a_year_is_1_to_9999_and_a_count_as_large_as_neo4j_takes():
    assert "0 is not in the range 1<=x<=9999." in run("coauthors", "A", "--since", "0", code=2).output
    assert "10000 is not in the range 1<=x<=9999." in run("coauthors", "A", "--until", "10000", code=2).output
    too_large = run("coauthors", "A", "--limit", JUST_ABOVE, code=2).output
    assert f"{JUST_ABOVE} is not in the range 1<=x<={INT64_MAX}." in too_large
    run("coauthors", "A", "--limit", INT64_MAX, code=3)  # accepted: it fails only for want of a server
    run("path", "A", "B", "--all", "--limit", INT64_MAX, code=2)  # path asks Neo4j for one chain more


def test_help_keeps_showing_the_lower_bound_only():
    text = run("coauthors", "--help", code=0).output
    assert "--limit INTEGER RANGE" in text and "[x>=1]" in text and INT64_MAX not in text
    assert "--since YEAR" in text and "[1<=x<=9999]" in text


@pytest.mark.parametrize(
    ("value", "culprit"),
    [
        (HUGE, HUGE),
        (JUST_ABOVE, JUST_ABOVE),
        (str(-(2**63) - 1), str(-(2**63) - 1)),
        (f'[1, {{"deep": [{HUGE}]}}]', HUGE),
    ],
)
def test_cypher_refuses_a_parameter_beyond_64_bits(value: str, culprit: str):
    result = run("cypher", "RETURN $n", "--param", f"n={value}", code=2)
    assert f"{culprit} does not fit in Neo4j's 64-bit integers" in result.output


@pytest.mark.parametrize("value", [INT64_MAX, str(-(2**63)), "1e400", "true", '"99999999999999999999"'])
def test_cypher_takes_what_fits_as_it_is(value: str):
    run("cypher", "RETURN $n", "--param", f"n={value}", code=3)  # parsed; only the missing server stops it
