"""The root command group and what every command shares: settings, errors to exit codes, output formats."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from graph.config import Settings
from graph.connection import INT64_MAX, Graph, connect
from graph.errors import CoauthorError, LoadInterrupted, interrupted
from graph.turns import WriteTurn

INTERRUPTED = LoadInterrupted.exit_code
"""The exit code of a command stopped by Ctrl-C: 128 + SIGINT, as shells report it."""

stdout = Console()
stderr = Console(stderr=True)


class CoauthorGroup(click.Group):
    """Shows the project's expected failures as one line with a hint and a meaningful exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CoauthorError as err:
            stderr.print(f"[bold red]Error:[/] {escape(str(err))}", highlight=False, markup=True, soft_wrap=True)
            if err.hint:
                stderr.print(f"hint: {err.hint}", highlight=False, markup=False, soft_wrap=True)
            ctx.exit(err.exit_code)
        except BaseException as err:
            if not interrupted(err):
                raise
            stderr.print("Aborted!", highlight=False, markup=False)
            ctx.exit(INTERRUPTED)


def format_option(*choices: str) -> Callable:
    """The one ``--format`` option every answer-printing command shares."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices or ("table", "json", "csv")),
        default="table",
        show_default=True,
        help="How to print the answer.",
    )


class Resolution(click.ParamType):
    """A clustering resolution: a finite number, 0 or more (negative, infinite and NaN values are usage errors)."""

    name = "resolution"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number", param, ctx)
        if not math.isfinite(number) or number < 0:
            self.fail(f"{value!r} is not a finite number of 0 or more", param, ctx)
        return number


RESOLUTION = Resolution()


class Count(click.IntRange):
    """A count or a limit: an integer of ``minimum`` or more and at most ``maximum``, by default Neo4j's largest
    (a larger one is a usage error, not a driver traceback); the help shows the lower bound only."""

    def __init__(self, minimum: int = 1, maximum: int = INT64_MAX) -> None:
        super().__init__(min=minimum)
        self.maximum = maximum

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        number = super().convert(value, param, ctx)
        if number > self.maximum:
            self.fail(f"{number} is not in the range {self.min}<=x<={self.maximum}.", param, ctx)
        return number


SEED = Count(0)
"""A random seed: 0 up to Neo4j's largest integer (runs store it, and GDS takes it as its randomSeed)."""


class Year(click.IntRange):
    """A publication year, 1 to 9999."""

    name = "year"

    def __init__(self) -> None:
        super().__init__(1, 9999)


YEAR = Year()


def ordered_years(ctx: click.Context, param: click.Parameter, value: int | None) -> int | None:
    """The callback of ``--since`` and ``--until``: a window whose end comes before its start is a usage error (it
    would keep nothing), whichever of the two the command line gives first."""
    other = ctx.params.get("until" if param.name == "since" else "since")
    if value is not None and other is not None:
        since, until = (value, other) if param.name == "since" else (other, value)
        if since > until:
            raise click.BadParameter(f"--since {since} is after --until {until}: no year is in between", ctx, param)
    return value


#: ``-o -``: write to standard output (the "wrote ..." line then goes to standard error).
STDOUT = Path("-")


def to_stdout(write: Callable[[BinaryIO], object]) -> None:
    """Call ``write`` with standard output (bytes); a reader that stops early (``| head``) ends it quietly."""
    out = sys.stdout.buffer
    try:
        write(out)
        out.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), out.fileno())  # the exit's own flush must not fail again


def wrote(output: Path | str, summary: str) -> None:
    """``wrote FILE (summary)`` (``output`` is a path, or several as text); on standard error when the output went
    to standard output, which holds the page or the export."""
    piped = str(output) == str(STDOUT)
    click.echo(f"wrote {'standard output' if piped else output} ({summary})", err=piped)


def emit(rows: Sequence[dict[str, Any]], fmt: str, *, title: str | None = None, columns: Sequence[str] = ()) -> None:
    """Print rows as a rich table, a JSON array, or CSV with a header."""
    columns = list(columns or (rows[0].keys() if rows else ()))
    if fmt == "json":
        click.echo(json.dumps(list(rows), ensure_ascii=False, indent=2, default=str))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)
        click.echo(buffer.getvalue(), nl=False)
    elif not rows:
        click.echo(f"{title or 'answer'}: none found")
    else:
        table = Table(*columns, title=title, title_justify="left")
        for row in rows:
            table.add_row(*(_cell(row.get(column)) for column in columns))
        stdout.print(table)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def open_graph(ctx: click.Context) -> Graph:
    """The graph this invocation talks to, connected once and closed when the command ends."""
    root = ctx.find_root()
    if "graph" not in root.meta:
        root.meta["graph"] = root.with_resource(connect(root.obj))
    return root.meta["graph"]


def writing_turn(graph: Graph) -> WriteTurn:
    """The turn to write (graph/turns.py), saying so on stderr when another load holds it."""
    return WriteTurn(graph, on_wait=lambda: stderr.print("waiting for another load to finish writing ..."))


@click.group(cls=CoauthorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--uri", envvar="NEO4J_URI", help="Neo4j URI: neo4j://, neo4j+s:// (Aura, clusters), bolt://.")
@click.option("--username", envvar="NEO4J_USERNAME", help="Neo4j user  [env NEO4J_USERNAME; default neo4j]")
@click.option("--password", envvar="NEO4J_PASSWORD", help="Neo4j password  [env NEO4J_PASSWORD]")
@click.option("--database", envvar="NEO4J_DATABASE", help="Neo4j database  [env NEO4J_DATABASE; default neo4j]")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    envvar="COAUTHOR_TIMEOUT",
    help="Seconds to wait for the server to answer a connection  [env COAUTHOR_TIMEOUT; default 15]",
)
@click.version_option("0.1.0", prog_name="coauthor-graph")
@click.pass_context
def cli(ctx: click.Context, uri: str, username: str, password: str, database: str, timeout: float | None) -> None:
    """Turn publication records into a coauthorship graph in Neo4j, query it, and draw it.

    Connection settings follow Neo4j's conventions (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD,
    NEO4J_DATABASE); without them, the local server of `coauthor db start` is used.

    Exit codes: 0 ok, 1 error, 2 usage, 3 Neo4j unreachable, 4 authentication failed, 5 unknown database,
    6 bad input, 7 not found, 8 ambiguous name, 9 local server control failed, 10 no collaboration path,
    11 TLS mismatch between the URI and the server, 12 the server did not answer in time,
    13 the server's TLS certificate is not trusted, 130 interrupted (Ctrl-C).
    """
    ctx.obj = Settings.from_env(uri=uri, username=username, password=password, database=database, timeout=timeout)


def main() -> None:
    cli(prog_name="coauthor")
