"""`coauthor db ...`: start, stop, inspect or empty the Neo4j server."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import click
from click.core import ParameterSource

from coauthor.base import cli, open_graph, stderr
from graph.config import Settings
from graph.errors import GraphUnavailable
from graph.server import NEO4J_VERSION, PLUGINS, LocalServer, default_home, docker_available
from graph.writer import delete_everything
from queries.stats import graph_stats


@cli.group()
def db() -> None:
    """Start, stop, inspect or empty the Neo4j server."""


def server_options(command: Callable) -> Callable:
    options = (
        click.option(
            "--home",
            type=click.Path(path_type=Path, file_okay=False, resolve_path=True),
            default=default_home,
            show_default="$COAUTHOR_HOME/neo4j, else ~/.local/share/coauthor-graph/neo4j",
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
@click.option(
    "--with-gds",
    is_flag=True,
    help="Add the Graph Data Science plugin (for --engine gds; resolved from Maven Central on first use). "
    "The Docker server always has it.",
)
@click.option("--timeout", type=float, default=180, show_default=True, help="Seconds to wait for Bolt.")
@click.pass_obj
def db_start(
    settings: Settings, home: Path, bolt_port: int, http_port: int, docker: bool, with_gds: bool, timeout: float
) -> None:
    """Start Neo4j 5.26 Community on 127.0.0.1 and wait until it answers.

    Without --docker, the server's jars are resolved from Maven Central into ~/.cache/coauthor-graph on first
    use and run on the local Java 17; the PID is recorded in HOME/neo4j.pid.
    """
    started = time.monotonic()
    if docker:
        _compose_up()
    else:
        plugins = ("gds",) if with_gds else ()
        server = _running_ports_unless_given(
            click.get_current_context(), LocalServer(home, bolt_port, http_port, settings.password, plugins=plugins)
        )
        what = f"Neo4j {NEO4J_VERSION}" + (f" with GDS {PLUGINS['gds'].version}" if with_gds else "")
        with stderr.status(f"Starting {what} in {home} ..."):
            pid = server.start(timeout=timeout)
        click.echo(f"{what} is running on {server.uri} (PID {pid}, home {home})")
    click.echo(f"ready in {time.monotonic() - started:.1f} s")


def _running_ports_unless_given(ctx: click.Context, server: LocalServer) -> LocalServer:
    """``server`` with the ports its home's running server listens on in place of those not given on the command line
    (so `db start` with the default ports reports the URI of the server that runs, not one nobody answers on)."""
    running = server.running_ports()
    if running is None:
        return server
    bolt, http = running
    return replace(
        server,
        bolt_port=server.bolt_port if _given(ctx, "bolt_port") else bolt,
        http_port=server.http_port if _given(ctx, "http_port") else http,
    )


def _given(ctx: click.Context, option: str) -> bool:
    """Whether ``option`` was given on the command line (not left at its default)."""
    return ctx.get_parameter_source(option) is not ParameterSource.DEFAULT


def _compose_up() -> None:
    if not docker_available():
        raise GraphUnavailable("no Docker engine answers", hint="run `coauthor db start` without --docker")
    compose = Path(__file__).resolve().parent.parent / "docker-compose.yml"
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
