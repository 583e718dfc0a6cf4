"""The `coauthor` command line: each command parses its options, makes one library call and renders the answer."""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import json
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from graph.config import Settings
from graph.connection import Graph, connect
from graph.errors import CoauthorError, GraphUnavailable, InputError
from graph.server import NEO4J_VERSION, LocalServer, default_home, docker_available
from graph.writer import delete_everything, write_records
from loaders import FORMATS, LoadResult, read_inputs
from queries.collaborators import ego_network, find_coauthors
from queries.cypher import run_cypher
from queries.stats import graph_stats

stdout = Console()
stderr = Console(stderr=True)


class CoauthorGroup(click.Group):
    """Shows the project's expected failures as one line with a hint and a meaningful exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CoauthorError as err:
            stderr.print(f"[bold red]Error:[/] {err}", highlight=False, markup=True, soft_wrap=True)
            if err.hint:
                stderr.print(f"hint: {err.hint}", highlight=False, markup=False, soft_wrap=True)
            ctx.exit(err.exit_code)


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


@click.group(cls=CoauthorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--uri", envvar="NEO4J_URI", help="Neo4j URI: neo4j://, neo4j+s:// (Aura, clusters), bolt://.")
@click.option("--username", envvar="NEO4J_USERNAME", help="Neo4j user  [env NEO4J_USERNAME; default neo4j]")
@click.option("--password", envvar="NEO4J_PASSWORD", help="Neo4j password  [env NEO4J_PASSWORD]")
@click.option("--database", envvar="NEO4J_DATABASE", help="Neo4j database  [env NEO4J_DATABASE; default neo4j]")
@click.version_option("0.1.0", prog_name="coauthor-graph")
@click.pass_context
def cli(ctx: click.Context, uri: str, username: str, password: str, database: str) -> None:
    """Turn publication records into a coauthorship graph in Neo4j, query it, and draw it.

    Connection settings follow Neo4j's conventions (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD,
    NEO4J_DATABASE); without them, the local server of `coauthor db start` is used.

    Exit codes: 0 ok, 1 error, 2 usage, 3 Neo4j unreachable, 4 authentication failed, 5 unknown database,
    6 bad input, 7 not found, 8 ambiguous name, 9 local server control failed.
    """
    ctx.obj = Settings.from_env(uri=uri, username=username, password=password, database=database)


# ---------------------------------------------------------------------------------------------- db


@cli.group()
def db() -> None:
    """Start, stop, inspect or empty the Neo4j server."""


def server_options(command: Callable) -> Callable:
    options = (
        click.option(
            "--home",
            type=click.Path(path_type=Path),
            default=default_home,
            show_default=True,
            help="Folder of the local server (conf, data, logs, PID).",
        ),
        click.option("--bolt-port", type=int, default=7687, show_default=True),
        click.option("--http-port", type=int, default=7474, show_default=True),
    )
    for option in reversed(options):
        command = option(command)
    return command


@db.command("start")
@server_options
@click.option("--docker", is_flag=True, help="Use `docker compose up` instead (needs a Docker engine).")
@click.option("--timeout", type=float, default=180, show_default=True, help="Seconds to wait for Bolt.")
@click.pass_obj
def db_start(settings: Settings, home: Path, bolt_port: int, http_port: int, docker: bool, timeout: float) -> None:
    """Start Neo4j 5.26 Community on 127.0.0.1 and wait until it answers.

    Without --docker, the server's jars are resolved from Maven Central into ~/.cache/coauthor-graph on first
    use and run on the local Java 17; the PID is recorded in HOME/neo4j.pid.
    """
    started = time.monotonic()
    if docker:
        _compose_up()
    else:
        server = LocalServer(home, bolt_port, http_port, password=settings.password)
        with stderr.status(f"Starting Neo4j {NEO4J_VERSION} in {home} ..."):
            pid = server.start(timeout=timeout)
        click.echo(f"Neo4j {NEO4J_VERSION} is running on {server.uri} (PID {pid}, home {home})")
    click.echo(f"ready in {time.monotonic() - started:.1f} s")


def _compose_up() -> None:
    if not docker_available():
        raise GraphUnavailable("no Docker engine answers", hint="run `coauthor db start` without --docker")
    compose = Path(__file__).resolve().parent / "docker-compose.yml"
    subprocess.run(["docker", "compose", "-f", str(compose), "up", "-d", "--wait"], check=True)


@db.command("stop")
@server_options
def db_stop(home: Path, bolt_port: int, http_port: int) -> None:
    """Stop the local server started from HOME (exactly its recorded PID)."""
    if LocalServer(home, bolt_port, http_port).stop():
        click.echo(f"stopped the Neo4j server of {home}")
    else:
        click.echo(f"no Neo4j server of {home} is running")


@db.command("status")
@server_options
@click.pass_context
def db_status(ctx: click.Context, home: Path, bolt_port: int, http_port: int) -> None:
    """Print the URI, server version and counts, or why the server is down."""
    pid = LocalServer(home, bolt_port, http_port).pid()
    click.echo(f"local server: {f'running, PID {pid}' if pid else 'not running'} ({home})")
    click.echo(f"uri:          {ctx.obj.uri}  database: {ctx.obj.database}")
    graph = open_graph(ctx)
    stats = graph_stats(graph)
    click.echo(f"server:       {graph.server_version()}")
    nodes = stats.authors + stats.papers + stats.topics
    click.echo(f"nodes:        {nodes} ({stats.authors} authors, {stats.papers} papers, {stats.topics} topics)")
    click.echo(f"relationships: {stats.authored} AUTHORED, {stats.coauthor_pairs} COAUTHOR pairs")


@db.command("clear")
@click.option("--yes", is_flag=True, help="Really delete every node and relationship.")
@click.pass_context
def db_clear(ctx: click.Context, yes: bool) -> None:
    """Delete all data in the database, in batches (the schema stays)."""
    if not yes:
        raise click.UsageError("this deletes every node of the database; add --yes to confirm")
    deleted = delete_everything(open_graph(ctx))
    click.echo(f"deleted {deleted} nodes")


# -------------------------------------------------------------------------------------------- load


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "source_format", type=click.Choice(sorted(FORMATS)), help="Skip format detection.")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), help="Resolve year-less dates (default today).")
@click.option("--strict", is_flag=True, help="Refuse the whole input on any malformed record, before writing.")
@click.option("--batch-size", type=click.IntRange(1), default=500, show_default=True, help="Papers per transaction.")
@click.pass_context
def load(
    ctx: click.Context,
    paths: tuple[str, ...],
    source_format: str | None,
    as_of: datetime.datetime | None,
    strict: bool,
    batch_size: int,
) -> None:
    """Read publication records from PATHS and write them into the graph.

    PATHS are files (gzip is unpacked), directories (walked), glob patterns, or - for standard input; the
    format of each is detected from its content unless --format is given. Everything is read before anything
    is written. Loading the same data twice changes nothing; a paper seen in several sources becomes one node.
    Malformed records are reported with file and line and skipped (--strict refuses the whole input instead).
    """
    results = read_inputs(paths, source_format, as_of=as_of.date() if as_of else None, strict=strict)
    graph = open_graph(ctx)
    for result in results:
        _write_result(graph, result, batch_size)


def _write_result(graph: Graph, result: LoadResult, batch_size: int) -> None:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=stderr, transient=True, disable=not stderr.is_terminal) as progress:
        task = progress.add_task(Path(result.path).name, total=len(result.papers))
        written = write_records(
            graph,
            result.papers,
            result.profiles,
            result.ties,
            batch_size=batch_size,
            on_batch=lambda n: progress.advance(task, n),
        )
    ties = f", {written.ties} ties" if written.ties else ""
    click.echo(
        f"{result.path}: {result.records_read} records read ({result.format}), {written.papers} papers written"
        f"{ties}, {written.merged} merged into existing papers, {len(result.problems)} skipped; "
        f"{written.nodes_created} nodes and {written.relationships_created} relationships new"
    )
    reasons = Counter(problem.message.partition(":")[0] for problem in result.problems)
    for reason, count in reasons.most_common():
        click.echo(f"  skipped {count}: {reason}")
    for problem in result.problems:
        stderr.print(
            f"  {problem.path}:{problem.line}: {problem.message}", highlight=False, markup=False, soft_wrap=True
        )


# ----------------------------------------------------------------------------------------- queries


@cli.command()
@format_option("table", "json", "csv")
@click.pass_context
def stats(ctx: click.Context, fmt: str) -> None:
    """Count authors, papers, topics, AUTHORED relationships and COAUTHOR pairs."""
    counts = dataclasses.asdict(graph_stats(open_graph(ctx)))
    if fmt == "json":
        click.echo(json.dumps(counts, indent=2))
    else:
        emit([{"what": key, "count": value} for key, value in counts.items()], fmt)


@cli.command()
@click.argument("name")
@click.option("--limit", type=click.IntRange(1), help="Show at most this many coauthors.")
@format_option()
@click.pass_context
def coauthors(ctx: click.Context, name: str, limit: int | None, fmt: str) -> None:
    """List NAME's coauthors (NAME may also be an author id), most joint papers first."""
    rows = [dataclasses.asdict(c) for c in find_coauthors(open_graph(ctx), name, limit=limit)]
    emit(rows, fmt, title=f"Coauthors of {name}", columns=("name", "weight", "first_year", "last_year", "id"))


@cli.command()
@click.argument("query")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A query parameter; VALUE is read as JSON when it parses, else as text. Repeatable.",
)
@click.option("--write", is_flag=True, help="Allow the query to change the graph.")
@format_option()
@click.pass_context
def cypher(ctx: click.Context, query: str, params: tuple[str, ...], write: bool, fmt: str) -> None:
    """Run a Cypher QUERY with parameters; read-only unless --write.

    Example: coauthor cypher 'MATCH (a:Author {name: $name}) RETURN a.id' --param name='Ada Lovelace'
    """
    result = run_cypher(open_graph(ctx), query, dict(_parse_param(p) for p in params), write=write)
    emit([dict(zip(result.columns, row, strict=True)) for row in result.rows], fmt, columns=result.columns)


def _parse_param(text: str) -> tuple[str, Any]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise click.BadParameter(f"{text!r} is not KEY=VALUE", param_hint="--param")
    try:
        return key, json.loads(value)
    except json.JSONDecodeError:
        return key, value


# ---------------------------------------------------------------------- collaborator discovery
# (recommend, path, experts, author, similar, search: each parses, makes one library call, renders)


# ----------------------------------------------------------------------- communities and centrality
# (communities, communities sweep, community show, central)


# --------------------------------------------------------------------------------------------- viz


@cli.group()
def viz() -> None:
    """Write interactive, self-contained HTML views (they work offline)."""


@viz.command("ego")
@click.argument("name")
@click.option("--depth", type=click.IntRange(1, 2), default=1, show_default=True, help="Hops around NAME.")
@click.option("--max-nodes", type=click.IntRange(2), default=300, show_default=True, help="Keep the closest N.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="HTML file.")
@click.pass_context
def viz_ego(ctx: click.Context, name: str, depth: int, max_nodes: int, output: Path) -> None:
    """Draw NAME's collaboration network: node size by papers, edge width by joint papers."""
    from viz.ego import render_ego  # pyvis and networkx take 0.6 s to import: only the view commands pay it

    ego = ego_network(open_graph(ctx), name, depth=depth, max_nodes=max_nodes)
    try:
        output.write_text(render_ego(ego), encoding="utf-8")
    except OSError as err:
        raise InputError(f"cannot write the view: {err.strerror}", path=str(output)) from err
    click.echo(f"wrote {output} ({len(ego.nodes)} authors, {len(ego.edges)} ties)")


def main() -> None:
    cli(prog_name="coauthor")


if __name__ == "__main__":
    sys.exit(main())
