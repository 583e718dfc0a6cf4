"""`coauthor viz ...`: interactive, self-contained HTML views.

igraph and numpy take a while to import: the renderers and queries are imported inside each command, so only the
view commands pay for them.
"""

from __future__ import annotations

import re
import webbrowser
from collections.abc import Callable
from pathlib import Path

import click

from coauthor.base import RESOLUTION, cli, open_graph
from graph.errors import InputError


def view_options(max_nodes: int = 300) -> Callable:
    """``--max-nodes``, ``-o/--output`` and ``--open``, which every view takes."""

    def decorate(command: Callable) -> Callable:
        options = (
            click.option(
                "--max-nodes",
                type=click.IntRange(2),
                default=max_nodes,
                show_default=True,
                help="Draw at most N nodes; the caption says what was cut.",
            ),
            click.option(
                "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="HTML file."
            ),
            click.option("--open", "open_", is_flag=True, help="Open the page in the default browser."),
        )
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def write_view(html: str, output: Path, *, open_: bool = False) -> None:
    """Write the page (InputError naming the file when it cannot be written); open it when asked.

    The page opens in the default browser as Python's :mod:`webbrowser` finds it (``$BROWSER`` first, then the
    desktop's opener); when none is found the page is still written and a one-line warning says so.
    """
    try:
        output.write_text(html, encoding="utf-8")
    except OSError as err:
        raise InputError(f"cannot write the view: {err.strerror}", path=str(output)) from err
    if open_ and not webbrowser.open(output.resolve().as_uri()):
        click.echo(f"warning: no browser found to open {output}; set BROWSER to choose one", err=True)


@cli.group()
def viz() -> None:
    """Write interactive, self-contained HTML views (they work offline)."""


@viz.command("ego")
@click.argument("name")
@click.option("--depth", type=click.IntRange(1, 2), default=1, show_default=True, help="Hops around NAME.")
@click.option("--since", type=int, help="Only ties of joint papers of this year or later, weighted by them.")
@view_options()
@click.pass_context
def viz_ego(
    ctx: click.Context, name: str, depth: int, since: int | None, max_nodes: int, output: Path, open_: bool
) -> None:
    """Draw NAME's collaboration network: node size by papers, edge width by joint papers (the closest kept)."""
    from queries.collaborators import ego_network
    from queries.papers import author_cards
    from viz.ego import render_ego
    from viz.labels import paper_list_links

    graph = open_graph(ctx)
    ego = ego_network(graph, name, depth=depth, max_nodes=max_nodes, since=since)
    cards = author_cards(graph, [node.id for node in ego.nodes])
    links = {author: paper_list_links(card.latest) for author, card in cards.items()}
    write_view(render_ego(ego, links=links), output, open_=open_)
    click.echo(f"wrote {output} ({len(ego.nodes)} authors, {len(ego.edges)} ties)")


@viz.command("communities")
@click.argument("run", required=False)
@click.option("--community", "number", type=click.IntRange(1), help="Draw the authors of community ID only.")
@click.option(
    "--show",
    type=click.Choice(("auto", "authors", "overview")),
    default="auto",
    show_default=True,
    help="Authors, or one node per community; auto: the overview when the authors outnumber --max-nodes.",
)
@click.option(
    "--pages",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="With the overview, also write the views of the N largest communities beside it, linked from it.",
)
@click.option("--resolution", type=RESOLUTION, default=1.0, show_default=True, help="Without RUN: Leiden's resolution.")
@click.option("--seed", type=int, default=42, show_default=True, help="Without RUN: Leiden's seed.")
@view_options()
@click.pass_context
def viz_communities(
    ctx: click.Context,
    run: str | None,
    number: int | None,
    show: str,
    pages: int,
    resolution: float,
    seed: int,
    max_nodes: int,
    output: Path,
    open_: bool,
) -> None:
    """Draw the communities of stored run RUN (or of a fresh Leiden run): authors coloured by community and
    sized by PageRank, the legend naming each community by its most distinctive topics; or, for large graphs,
    one node per community with the ties between communities."""
    from queries.community_graph import community_members, community_overview, group_authors
    from viz.communities import render_community_members, render_community_overview

    graph = open_graph(ctx)
    grouping = group_authors(graph, run, resolution=resolution, seed=seed)
    authors = len(grouping.projection.ids)
    overview = number is None and (show == "overview" or (show == "auto" and authors > max_nodes))
    if not overview:
        members = community_members(graph, grouping, community=number, limit=max_nodes)
        write_view(render_community_members(members), output, open_=open_)
        click.echo(f"wrote {output} ({len(members.scores)} of {members.candidates} authors, {len(members.ties)} ties)")
        return
    found = community_overview(graph, grouping, limit=max_nodes)
    stem = re.sub(r"[^\w.-]", "_", output.stem)
    linked = {summary.id: f"{stem}-community-{summary.id}.html" for summary in found.communities[:pages]}
    for community, name in linked.items():
        members = community_members(graph, grouping, community=community, limit=max_nodes)
        write_view(render_community_members(members), output.with_name(name))
    write_view(render_community_overview(found, pages=linked), output, open_=open_)
    extra = f", and {len(linked)} community pages beside it" if linked else ""
    click.echo(f"wrote {output} ({len(found.communities)} of {found.total} communities{extra})")


@viz.command("path")
@click.argument("source")
@click.argument("target")
@click.option("--all", "all_paths", is_flag=True, help="Every shortest chain (up to 50), not just one.")
@click.option("--as-of", type=int, metavar="YEAR", help="Only papers of YEAR or earlier count.")
@click.option("--max-hops", type=click.IntRange(1), default=10, show_default=True, help="Refuse longer chains.")
@view_options()
@click.pass_context
def viz_path(
    ctx: click.Context,
    source: str,
    target: str,
    all_paths: bool,
    as_of: int | None,
    max_hops: int,
    max_nodes: int,
    output: Path,
    open_: bool,
) -> None:
    """Draw the shortest collaboration chain(s) from SOURCE to TARGET, each hop labelled with its joint papers."""
    from queries.papers import author_cards
    from queries.paths import collaboration_paths
    from viz.paths import render_paths

    graph = open_graph(ctx)
    found = collaboration_paths(graph, source, target, all_paths=all_paths, as_of=as_of, max_hops=max_hops)
    authors = {found.source.id, found.target.id}
    authors |= {author for path in found.paths for hop in path.hops for author in (hop.source, hop.target)}
    write_view(render_paths(found, author_cards(graph, sorted(authors)), max_nodes=max_nodes), output, open_=open_)
    click.echo(f"wrote {output} ({len(found.paths)} chains of {found.length} hops)")


@viz.command("papers")
@click.argument("name", required=False)
@click.option("--topic", help="The papers on this topic (id or name) or its subtopics, instead of an author's.")
@view_options()
@click.pass_context
def viz_papers(
    ctx: click.Context, name: str | None, topic: str | None, max_nodes: int, output: Path, open_: bool
) -> None:
    """Draw NAME's papers (latest first), or a topic's (most cited first), with their authors and topics."""
    from queries.papers import author_papers, topic_papers
    from viz.papers import render_paper_graph

    if (name is None) == (topic is None):
        raise click.UsageError("give an author NAME or --topic T (one of them)")
    graph = open_graph(ctx)
    found = author_papers(graph, name, limit=max_nodes) if name else topic_papers(graph, topic, limit=max_nodes)
    write_view(render_paper_graph(found, max_nodes=max_nodes), output, open_=open_)
    click.echo(f"wrote {output} ({len(found.papers)} of {found.total} papers)")


@viz.command("topics")
@click.option("--resolution", type=RESOLUTION, default=1.0, show_default=True, help="Leiden's resolution for themes.")
@click.option("--seed", type=int, default=42, show_default=True, help="Leiden's seed for themes.")
@view_options()
@click.pass_context
def viz_topics(ctx: click.Context, resolution: float, seed: int, max_nodes: int, output: Path, open_: bool) -> None:
    """Draw the topic map: topics sized by papers, linked by the papers they share, coloured by theme."""
    from queries.themes import topic_map
    from viz.topics import render_topic_map

    found = topic_map(open_graph(ctx), resolution=resolution, seed=seed)
    write_view(render_topic_map(found, max_nodes=max_nodes), output, open_=open_)
    click.echo(f"wrote {output} ({min(len(found.papers), max_nodes)} of {len(found.papers)} topics)")
