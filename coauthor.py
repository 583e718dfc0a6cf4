"""The `coauthor` command line: each command parses its options, makes one library call and renders the answer."""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import json
import re
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
from loaders import FORMATS, UNREADABLE, LoadResult, read_inputs
from queries.collaborators import ego_network, find_coauthors
from queries.cypher import run_cypher
from queries.experts import find_experts
from queries.paths import collaboration_paths
from queries.planner import refresh_statistics
from queries.profile import author_profile
from queries.recommend import METHODS, Recommendation, recommend
from queries.search import search_papers
from queries.similar import similar_authors
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
    6 bad input, 7 not found, 8 ambiguous name, 9 local server control failed, 10 no collaboration path.
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
    Malformed records, and files that cannot be read at all, are reported with file and line and skipped; the
    exit code is then 6. --strict refuses the whole input on the first of them instead, before writing anything.
    """
    day = as_of.date() if as_of else None
    results = read_inputs(paths, source_format, as_of=day, strict=strict, keep_going=not strict)
    graph = open_graph(ctx)
    for result in results:
        _write_result(graph, result, batch_size)
    refresh_statistics(graph)  # fresh index samples, so the next queries are planned as index seeks
    unreadable = [result.path for result in results if result.format == UNREADABLE]
    if unreadable:
        raise InputError(f"{len(unreadable)} of {len(results)} inputs could not be read (the others were loaded)")


# Quoted names and numbers vary from record to record; without them, messages group into reasons.
_VARYING = re.compile(r"'[^']*'|\"[^\"]*\"|\d+")


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
    reasons = Counter(_VARYING.sub("…", problem.message) for problem in result.problems)
    for reason, count in reasons.most_common():
        click.echo(f"  skipped {count}: {reason}")
    for problem in result.problems:
        stderr.print(
            f"  {problem.path}{f':{problem.line}' if problem.line else ''}: {problem.message}",
            highlight=False,
            markup=False,
            soft_wrap=True,
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
@click.option("--since", type=int, help="Count only papers of this year or later.")
@click.option("--until", type=int, help="Count only papers of this year or earlier.")
@click.option("--fractional", is_flag=True, help="Each paper of n authors adds 1/(n-1) to a tie; sort by that.")
@format_option()
@click.pass_context
def coauthors(
    ctx: click.Context, name: str, limit: int | None, since: int | None, until: int | None, fractional: bool, fmt: str
) -> None:
    """List NAME's coauthors (NAME may also be an author id), most joint papers first."""
    found = find_coauthors(open_graph(ctx), name, limit=limit, since=since, until=until, fractional=fractional)
    columns = ("name", "weight", *(("fractional",) if fractional else ()), "first_year", "last_year", "id")
    emit([dataclasses.asdict(c) for c in found], fmt, title=f"Coauthors of {name}", columns=columns)


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
    parsed = dict(_parse_param(p) for p in params)  # a usage error is reported before connecting
    result = run_cypher(open_graph(ctx), query, parsed, write=write)
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


def _answer(answer: Any, rows: list[dict[str, Any]], fmt: str, *, title: str, columns: Sequence[str]) -> None:
    """JSON prints the whole answer as one object; table and CSV print its rows."""
    if fmt == "json":
        click.echo(json.dumps(dataclasses.asdict(answer), ensure_ascii=False, indent=2, default=str))
    else:
        emit(rows, fmt, title=title, columns=columns)


def _papers(papers: Sequence[Any]) -> str:
    return "; ".join(f"{paper.title} ({paper.year})" for paper in papers)


@cli.command("recommend")
@click.argument("name")
@click.option("--depth", type=click.IntRange(2, 3), default=2, show_default=True, help="Look 2 or 3 hops away.")
@click.option("--topic", help="Only candidates with papers on this topic or its subtopics.")
@click.option("--since", type=int, help="Only ties whose last joint paper is of this year or later.")
@click.option("--limit", type=click.IntRange(1), default=10, show_default=True, help="Suggest this many.")
@click.option("--method", type=click.Choice(METHODS), default="combined", show_default=True, help="Rank by.")
@format_option()
@click.pass_context
def recommend_command(
    ctx: click.Context, name: str, depth: int, topic: str | None, since: int | None, limit: int, method: str, fmt: str
) -> None:
    """Suggest new collaborators for NAME, each with its reasons.

    Candidates are within --depth hops and have never written with NAME. Methods: aa (Adamic-Adar), ra
    (resource allocation), cn (common coauthors), topic (topic-profile cosine), combined (0.3 aa + 0.2 ra +
    0.1 cn, each scaled by its maximum, + 0.25 topic + 0.15 recency, half-life 5 years). JSON adds the joint
    papers behind every shared coauthor.
    """
    found = recommend(open_graph(ctx), name, depth=depth, topic=topic, since=since, limit=limit, method=method)
    if fmt == "json":
        emit([dataclasses.asdict(r) for r in found], fmt)
        return
    rows = [
        {
            "name": r.name,
            "score": round(r.score, 3),
            **{part: round(value, 3) for part, value in r.parts.items() if part != "combined"},
            "via": "; ".join(s.name for s in r.shared_coauthors),
            "topics": "; ".join(r.shared_topics),
            "id": r.id,
            "why": _why(r, name),
        }
        for r in found
    ]
    columns = [column for column in rows[0] if column != "why" or fmt == "csv"] if rows else ()
    emit(rows, fmt, title=f"New collaborators for {name} (by {method})", columns=columns)
    if fmt == "table":
        for row in rows:
            click.echo(f"{row['name']}: {row['why']}")


def _why(found: Recommendation, author: str) -> str:
    """A recommendation's explanation in one line: each shared coauthor with a joint paper on either side."""
    via = [
        f"{s.name} ({_papers(s.with_author[:1])} with {author}; {_papers(s.with_candidate[:1])} with {found.name})"
        for s in found.shared_coauthors
    ]
    more = found.shared_coauthor_count - len(via)
    parts = ["via " + ", ".join(via) + (f" and {more} more" if more else "")] if via else []
    parts.append("shared topics: " + ("; ".join(found.shared_topics) or "none"))
    return "; ".join(parts)


@cli.command()
@click.argument("source")
@click.argument("target")
@click.option("--all", "all_paths", is_flag=True, help="Every shortest chain (at most --limit), not just one.")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True, help="Bound for --all.")
@click.option("--as-of", type=int, help="Use only papers of this year or earlier.")
@click.option("--max-hops", type=click.IntRange(1), default=10, show_default=True, help="Longest chain to accept.")
@format_option()
@click.pass_context
def path(
    ctx: click.Context,
    source: str,
    target: str,
    all_paths: bool,
    limit: int,
    as_of: int | None,
    max_hops: int,
    fmt: str,
) -> None:
    """Show the shortest collaboration chain from SOURCE to TARGET and the papers that make each hop.

    Exits with code 10 (and says why) when no chain links them, or when the shortest is longer than --max-hops.
    """
    found = collaboration_paths(
        open_graph(ctx), source, target, all_paths=all_paths, as_of=as_of, max_hops=max_hops, limit=limit
    )
    rows = [
        {
            "path": number,
            "hop": step,
            "from": hop.source_name,
            "to": hop.target_name,
            "papers": hop.paper_count,
            "joint papers": _papers(hop.papers),
        }
        for number, chain in enumerate(found.paths, start=1)
        for step, hop in enumerate(chain.hops, start=1)
    ]
    more = " (more of this length exist)" if found.more else ""
    title = (
        f"{found.source.name} -> {found.target.name}: distance {found.length}, "
        f"{len(found.paths)} chain{'s' if len(found.paths) > 1 else ''} shown{more}"
    )
    _answer(found, rows, fmt, title=title, columns=("path", "hop", "from", "to", "papers", "joint papers"))


@cli.command()
@click.argument("topic")
@click.option("--limit", type=click.IntRange(1), default=10, show_default=True, help="Show this many authors.")
@format_option()
@click.pass_context
def experts(ctx: click.Context, topic: str, limit: int, fmt: str) -> None:
    """Rank authors by their papers in TOPIC and its subtopics, recent papers weighing more.

    TOPIC is a topic id (arxiv:cs.LG), a bare id (cs.LG) or a name, in any case and with or without accents.
    """
    found = find_experts(open_graph(ctx), topic, limit=limit)
    rows = [{**dataclasses.asdict(e), "score": round(e.score, 4)} for e in found.experts]
    title = f"Experts on {', '.join(found.topic.names)} ({len(found.topic.scope)} topics with subtopics)"
    _answer(found, rows, fmt, title=title, columns=("name", "score", "papers", "first_year", "last_year", "id"))


@cli.command()
@click.argument("name")
@format_option()
@click.pass_context
def author(ctx: click.Context, name: str, fmt: str) -> None:
    """Show NAME's profile: papers, coauthors, topics, years, h-index, and what a profile page reported.

    The table format prints the facts, then the papers; CSV prints one row per paper.
    """
    found = author_profile(open_graph(ctx), name)
    papers = [{**dataclasses.asdict(p), "topics": "; ".join(p.topics)} for p in found.papers]
    columns = ("year", "title", "venue", "topics", "citations", "position")
    if fmt == "table":
        h_index = f"{found.h_index} (over {found.papers_with_citations} papers with citation counts)"
        facts = {
            "id": found.id,
            "names": "; ".join(found.names),
            "papers": found.paper_count,
            "coauthors": found.coauthor_count,
            "years": f"{found.first_year}-{found.last_year}" if found.first_year else "unknown",
            "top topics": "; ".join(f"{topic} ({count})" for topic, count in found.top_topics),
            "h-index": h_index if found.h_index is not None else "unknown (no citation counts)",
            **({"reported by": found.reported_by} if found.reported_by else {}),
            **{f"reported {key}": value for key, value in found.reported.items()},
        }
        emit([{"what": key, "value": value} for key, value in facts.items()], fmt, title=found.name)
    _answer(found, papers, fmt, title=f"Papers of {found.name}", columns=columns)


@cli.command()
@click.argument("name")
@click.option("--limit", type=click.IntRange(1), default=10, show_default=True, help="Show this many authors.")
@click.option("--include-coauthors", is_flag=True, help="Also list authors NAME has written with.")
@format_option()
@click.pass_context
def similar(ctx: click.Context, name: str, limit: int, include_coauthors: bool, fmt: str) -> None:
    """List authors whose topic profiles are closest to NAME's (cosine of papers per topic)."""
    found = similar_authors(open_graph(ctx), name, limit=limit, include_coauthors=include_coauthors)
    rows = [
        {**dataclasses.asdict(s), "similarity": round(s.similarity, 4), "shared_topics": "; ".join(s.shared_topics)}
        for s in found
    ]
    if fmt == "json":
        rows = [dataclasses.asdict(s) for s in found]
    columns = ("name", "similarity", "shared_topics", "coauthor", "id")
    emit(rows, fmt, title=f"Authors similar to {name}", columns=columns)


@cli.command()
@click.argument("text")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True, help="Show this many papers.")
@format_option()
@click.pass_context
def search(ctx: click.Context, text: str, limit: int, fmt: str) -> None:
    """Find papers whose title or abstract contains the words of TEXT (full-text, most relevant first).

    TEXT is searched for as plain words: Lucene operators and special characters in it are taken literally.
    """
    found = search_papers(open_graph(ctx), text, limit=limit)
    rows = [{**dataclasses.asdict(h), "score": round(h.score, 4), "authors": "; ".join(h.authors)} for h in found]
    if fmt == "json":
        rows = [dataclasses.asdict(h) for h in found]
    emit(rows, fmt, title=f"Papers matching {text!r}", columns=("year", "title", "authors", "score", "id"))


# ----------------------------------------------------------------------- communities and centrality
# (communities, communities sweep, community show, central)
# igraph and numpy load on first use: only these commands pay for them.


def projection_options(command: Callable) -> Callable:
    """The filters of the coauthorship graph that communities and centrality run on."""
    options = (
        click.option("--since", type=int, help="Count only joint papers of this year or later."),
        click.option("--until", type=int, help="Count only joint papers of this year or earlier."),
        click.option("--topic", help="Count only joint papers on this topic (id or name) or its subtopics."),
        click.option("--min-weight", type=float, default=0, show_default=True, help="Drop lighter ties."),
        click.option("--around", metavar="NAME", help="Only the authors within --hops ties of NAME (or id)."),
        click.option("--hops", type=click.IntRange(1), default=2, show_default=True, help="Hops for --around."),
    )
    for option in reversed(options):
        command = option(command)
    return command


def _project(ctx: click.Context, filters: dict[str, Any]) -> Any:
    from queries.projection import ProjectionFilter, project_coauthors

    where = ProjectionFilter(
        first_year=filters["since"],
        last_year=filters["until"],
        topic=filters["topic"],
        min_weight=filters["min_weight"],
        around=filters["around"],
        hops=filters["hops"],
    )
    return project_coauthors(open_graph(ctx), where)


@cli.group(invoke_without_command=True)
@click.option(
    "--algorithm", type=click.Choice(("leiden", "louvain", "lpa", "wcc")), default="leiden", show_default=True
)
@click.option("--objective", type=click.Choice(("modularity", "cpm")), default="modularity", show_default=True)
@click.option("--resolution", type=float, default=1.0, show_default=True, help="Leiden and Louvain.")
@click.option("--seed", type=int, default=42, show_default=True, help="Same seed and graph, same communities.")
@click.option("--min-size", type=click.IntRange(1), default=1, show_default=True, help="Hide smaller communities.")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True, help="Show this many communities.")
@click.option("--write", "run", metavar="NAME", help="Store the run in the graph as NAME (replacing only NAME).")
@projection_options
@format_option()
@click.pass_context
def communities(
    ctx: click.Context,
    algorithm: str,
    objective: str,
    resolution: float,
    seed: int,
    min_size: int,
    limit: int,
    run: str | None,
    fmt: str,
    **filters: Any,
) -> None:
    """Find communities of coauthors (Leiden by default), labelled with top authors, topics and years.

    Top topics are the most distinctive ones (TF-IDF of topic counts against the whole graph); top authors
    have the heaviest ties inside their community. Modularity is weighted, at the run's resolution.
    """
    if ctx.invoked_subcommand:
        return
    from queries.communities import describe_communities, detect_communities, write_run

    graph, projection = open_graph(ctx), _project(ctx, filters)
    partition = detect_communities(projection, algorithm, objective=objective, resolution=resolution, seed=seed)
    found = describe_communities(graph, projection, partition, min_size=min_size, limit=limit)
    if run:
        written = write_run(graph, run, projection, partition)
        stderr.print(f"stored run {run!r}: {written} authors in {len(partition.sizes)} communities", markup=False)
    rows = [dataclasses.asdict(c) for c in found]
    if fmt == "json":
        answer = {"algorithm": algorithm, "parameters": partition.parameters, "modularity": partition.modularity}
        click.echo(json.dumps({**answer, "authors": len(projection.ids), "communities": rows}, indent=2))
        return
    title = (
        f"{algorithm} {json.dumps(partition.parameters)}: modularity {partition.modularity:.4f}, "
        f"{len(partition.sizes)} communities over {len(projection.ids)} authors; {len(rows)} shown"
    )
    columns = ("id", "size", "top_authors", "top_topics", "first_year", "last_year")
    emit(
        [
            {**row, "top_authors": "; ".join(row["top_authors"]), "top_topics": "; ".join(row["top_topics"])}
            for row in rows
        ],
        fmt,
        title=title,
        columns=columns,
    )


@communities.command("sweep")
@click.option("--resolutions", default="0.2,0.5,1,2", show_default=True, help="Comma-separated resolutions.")
@click.option("--algorithm", type=click.Choice(("leiden", "louvain")), default="leiden", show_default=True)
@click.option("--objective", type=click.Choice(("modularity", "cpm")), default="modularity", show_default=True)
@click.option("--seed", type=int, default=42, show_default=True, help="The first of the seeds.")
@click.option("--seeds", type=click.IntRange(2), default=5, show_default=True, help="Runs per resolution.")
@projection_options
@format_option()
@click.pass_context
def communities_sweep(
    ctx: click.Context,
    resolutions: str,
    algorithm: str,
    objective: str,
    seed: int,
    seeds: int,
    fmt: str,
    **filters: Any,
) -> None:
    """Per resolution: number of communities, modularity, and stability (mean adjusted Rand index over seeds)."""
    from queries.communities import sweep_resolutions

    try:
        values = [float(value) for value in resolutions.split(",")]
    except ValueError as err:
        raise click.BadParameter(
            f"{resolutions!r} is not a comma-separated list of numbers", param_hint="--resolutions"
        ) from err
    projection = _project(ctx, filters)
    points = sweep_resolutions(projection, values, algorithm=algorithm, objective=objective, seed=seed, seeds=seeds)
    rows = [dataclasses.asdict(point) for point in points]
    if fmt != "json":
        rows = [
            {**row, "modularity": round(row["modularity"], 4), "stability": round(row["stability"], 4)} for row in rows
        ]
    emit(
        rows,
        fmt,
        title=f"{algorithm} ({objective}) over {len(projection.ids)} authors, seeds {seed}..{seed + seeds - 1}",
    )


@communities.command("themes")
@click.option("--resolution", type=float, default=1.0, show_default=True)
@click.option("--seed", type=int, default=42, show_default=True)
@click.option("--author", metavar="NAME", help="Show this author's theme mix instead.")
@format_option()
@click.pass_context
def communities_themes(ctx: click.Context, resolution: float, seed: int, author: str | None, fmt: str) -> None:
    """Cluster topics that share papers into research themes, or show an author's mix of themes."""
    from queries.themes import find_themes, theme_mix

    graph = open_graph(ctx)
    found = find_themes(graph, resolution=resolution, seed=seed)
    if author:
        labels = {theme.id: "; ".join(theme.topics[:3]) for theme in found.themes}
        mix = theme_mix(graph, found, author)
        emit(
            [{"theme": n, "share": round(share, 4), "topics": labels[n]} for n, share in mix.items()],
            fmt,
            title=f"Themes of {author}",
        )
        return
    rows = [{**dataclasses.asdict(theme), "topics": "; ".join(theme.topics)} for theme in found.themes]
    emit(rows, fmt, title=f"{len(rows)} themes (modularity {found.modularity:.4f})", columns=("id", "papers", "topics"))


@cli.group()
def community() -> None:
    """Look into one community of a stored run."""


@community.command("show")
@click.argument("run")
@click.argument("number", metavar="ID", type=click.IntRange(1))
@click.option("--limit", type=click.IntRange(1), default=10, show_default=True, help="Members and bridges shown.")
@format_option()
@click.pass_context
def community_show(ctx: click.Context, run: str, number: int, limit: int, fmt: str) -> None:
    """Members, internal density, topics and ties to other communities of community ID of run RUN."""
    from queries.centrality import show_community

    found = show_community(open_graph(ctx), run, number, top=limit)
    if fmt == "json":
        click.echo(json.dumps(dataclasses.asdict(found), indent=2))
        return
    facts = {
        "size": found.size,
        "internal ties": found.internal_ties,
        "density": round(found.density, 4),
        "topics": "; ".join(found.topics),
        "ties to communities": "; ".join(f"{n}: {ties}" for n, ties in list(found.neighbours.items())[:limit]),
    }
    emit([{"what": key, "value": value} for key, value in facts.items()], fmt, title=f"Community {run}/{number}")
    columns = ("name", "score", "id")
    emit([dataclasses.asdict(a) for a in found.members], fmt, title="Members (weight of ties inside)", columns=columns)
    emit(
        [dataclasses.asdict(a) for a in found.bridges],
        fmt,
        title="Bridges (ties to other communities)",
        columns=columns,
    )


@cli.command()
@click.option(
    "--measure",
    type=click.Choice(("degree", "strength", "pagerank", "betweenness", "bridges")),
    help="Default: degree, or bridges with --run.",
)
@click.option("--run", metavar="RUN", help="Rank the bridges of stored run RUN: most ties to other communities.")
@click.option("--limit", type=click.IntRange(1), default=10, show_default=True, help="Show this many authors.")
@click.option("--seed", type=int, default=42, show_default=True, help="Sampled betweenness: which sources.")
@click.option("--samples", type=click.IntRange(1), default=500, show_default=True, help="Sampled betweenness: sources.")
@projection_options
@format_option()
@click.pass_context
def central(
    ctx: click.Context,
    measure: str | None,
    run: str | None,
    limit: int,
    seed: int,
    samples: int,
    fmt: str,
    **filters: Any,
) -> None:
    """Rank authors by degree, strength, PageRank or betweenness (exact up to 5,000 authors, sampled above).

    With --run, rank the bridges of a stored run instead (the projection filters do not apply).
    """
    from queries.centrality import find_bridges, rank_authors

    measure = measure or ("bridges" if run else "degree")
    if (measure == "bridges") != bool(run):
        raise click.UsageError("--measure bridges and --run RUN go together")
    if run:
        rows = [dataclasses.asdict(b) for b in find_bridges(open_graph(ctx), run, limit=limit)]
        emit(
            rows,
            fmt,
            title=f"Bridges of run {run!r}",
            columns=("name", "community", "cross_ties", "cross_weight", "communities_reached", "id"),
        )
        return
    ranking = rank_authors(open_graph(ctx), _project(ctx, filters), measure, limit=limit, seed=seed, samples=samples)
    if fmt == "json":
        click.echo(json.dumps(dataclasses.asdict(ranking), indent=2))
        return
    rows = [dataclasses.asdict(a) for a in ranking.authors]
    emit(rows, fmt, title=f"Top authors by {measure} ({ranking.method})", columns=("name", "score", "id"))


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
