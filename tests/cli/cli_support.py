"""What the command-line tests of query answers share: a command run that must not crash, and a tie known without
papers."""

from __future__ import annotations

from click.testing import CliRunner, Result

from coauthor import cli
from graph.model import AuthorRef, Tie


def tie(a: str, b: str) -> Tie:
    """A weight-1 tie between two authors known by Semantic Scholar ids, as a coauthorship network lists it."""
    return Tie(AuthorRef(a, 1, ids={"s2": a}), AuthorRef(b, 1, ids={"s2": b}), 1.0, source="net", source_ref=a + b)


def run(*args: str, code: int = 0) -> Result:
    """``coauthor ARGS``, which must exit with ``code`` and print no traceback."""
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == code, (result.output, result.exception)
    assert "Traceback" not in result.output
    return result
