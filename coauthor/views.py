"""`coauthor viz ...`: interactive, self-contained HTML views.

igraph and numpy take a while to import: the renderers and queries are imported inside each command, so only the
view commands pay for them.
"""

from __future__ import annotations

import functools
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from coauthor.ask import note_ties_left_out
from coauthor.base import RESOLUTION, SEED, STDOUT, YEAR, Count, cli, open_graph, to_stdout, wrote
from graph.errors import InvalidRequest, NotFound

if TYPE_CHECKING:
    from graph.connection import Graph
    from queries.community_graph import Grouping


def view_options(max_nodes: int = 300) -> Callable:
    """``--max-nodes``, ``-o/--output`` and ``--open``, which every view takes (``--open`` with ``-o -`` is a usage
    error, given before the graph is read)."""

    def decorate(command: Callable) -> Callable:
        @functools.wraps(command)
        def checked(*args: object, **kwargs: object) -> object:
            if kwargs["open_"] and kwargs["output"] == STDOUT:
                raise click.UsageError("--open needs a file to open: it cannot be used with -o - (standard output)")
            return command(*args, **kwargs)

        options = (
            click.option(
                "--max-nodes",
                type=Count(2),
                default=max_nodes,
                show_default=True,
                help="Draw at most N nodes; the caption says what was cut.",
            ),
            click.option(
                "-o",
                "--output",
                type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
                required=True,
                help="HTML file; - writes the page to standard output.",
            ),
            click.option("--open", "open_", is_flag=True, help="Open the page in the default browser."),
        )
        for option in reversed(options):
            checked = option(checked)
        return checked

    return decorate


def write_view(html: str, output: Path, *, open_: bool = False) -> None:
    """Write the page (InvalidRequest, a usage error, naming the file when it cannot be written), or to standard
    output for ``-o -``; open it when asked.

    The page opens in the default browser as Python's :mod:`webbrowser` finds it (``$BROWSER`` first, then the
    desktop's opener); when none is found the page is still written and a one-line warning says so.
    """
    if output == STDOUT:
        to_stdout(lambda out: out.write(html.encode("utf-8")))
        return
    try:
        output.write_text(html, encoding="utf-8")
    except OSError as err:
        raise InvalidRequest(f"{output}: cannot write the view: {err.strerror}") from err
    if open_ and not webbrowser.open(output.resolve().as_uri()):
        click.echo(f"warning: no browser found to open {output}; set BROWSER to choose one", err=True)


@cli.group()
def viz() -> None:
    """Write interactive, self-contained HTML views (they work offline).

    An output that cannot be written (its folder does not exist, say) is a usage error (exit 2).
    """


@viz.command("ego")
@click.argument("name")
@click.option("--depth", type=click.IntRange(1, 2), default=1, show_default=True, help="Hops around NAME.")
@click.option("--since", type=YEAR, help="Only ties of joint papers of this year or later, weighted by them.")
@view_options()
@click.pass_context
def viz_ego(
    ctx: click.Context, name: str, depth: int, since: int | None, max_nodes: int, output: Path, open_: bool
) -> None:
    """Draw NAME's collaboration network: node size by papers, edge width by joint papers (the closest kept).

    With --since, NAME's ties known without papers (SNAP, GML) drop out: the caption and a note say how many."""
    from queries.collaborators import ego_network
    from queries.papers import author_cards, paperless_ties
    from viz.ego import render_ego
    from viz.labels import paper_list_links

    graph = open_graph(ctx)
    ego = ego_network(graph, name, depth=depth, max_nodes=max_nodes, since=since)
    ids = [node.id for node in ego.nodes]
    links = {author: paper_list_links(card.latest) for author, card in author_cards(graph, ids).items()}
    write_view(render_ego(ego, links=links, paperless=paperless_ties(graph, ids)), output, open_=open_)
    wrote(output, f"{len(ego.nodes)} authors, {len(ego.edges)} ties")
    note_ties_left_out(ego.ties_left_out, ["--since"])


@viz.command("communities")
@click.argument("run", required=False)
@click.option("--community", "number", type=Count(), help="Draw the authors of community ID only.")
@click.option(
    "--show",
    type=click.Choice(("auto", "authors", "overview")),
    default="auto",
    show_default=True,
    help="Authors, or one node per community; auto: the overview when the authors outnumber --max-nodes.",
)
@click.option(
    "--pages",
    type=Count(0),
    default=0,
    show_default=True,
    help="With the overview, also write the views of the N largest communities beside it, linked from it "
    "(not with --show authors, --community or -o -).",
)
@click.option("--resolution", type=RESOLUTION, default=1.0, show_default=True, help="Without RUN: Leiden's resolution.")
@click.option("--seed", type=SEED, default=42, show_default=True, help="Without RUN: Leiden's seed.")
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
    from queries.community_graph import community_overview, group_authors
    from viz.communities import render_community_overview
    from viz.page import sibling_page

    if pages and (show == "authors" or number is not None or output == STDOUT):
        raise click.UsageError(
            "--pages writes community pages beside the overview: not with --show authors, --community or -o -"
        )
    graph = open_graph(ctx)
    grouping = group_authors(graph, run, resolution=resolution, seed=seed)
    authors = len(grouping.projection.ids)
    if not authors:
        raise NotFound("nothing to draw: no author of the graph has a coauthor tie")
    if number is not None or show == "authors" or (show == "auto" and authors <= max_nodes):
        if pages:
            click.echo(
                f"warning: --pages ignored: the {authors:,} authors fit in --max-nodes, so no overview", err=True
            )
        wrote(output, _community_page(graph, grouping, number, max_nodes, output, open_=open_))
        return
    found = community_overview(graph, grouping, limit=max_nodes)
    linked = {c.id: sibling_page(f"{output.stem}-community-{c.id}") for c in found.communities[:pages]}
    for community, name in linked.items():
        _community_page(graph, grouping, community, max_nodes, output.with_name(name))
    overview = render_community_overview(found, pages=linked)
    write_view(overview, output, open_=open_)
    extra = f", and {len(linked)} community pages beside it" if linked else ""
    wrote(output, f"{len(found.communities)} of {found.total} communities{extra}")


def _community_page(
    graph: Graph, grouping: Grouping, number: int | None, max_nodes: int, output: Path, *, open_: bool = False
) -> str:
    """Write the authors of community ``number`` (or of all) with the ties among them; says what it drew."""
    from queries.community_graph import community_members
    from queries.papers import paperless_ties
    from viz.communities import render_community_members

    members = community_members(graph, grouping, community=number, limit=max_nodes)
    html = render_community_members(members, paperless=paperless_ties(graph, list(members.scores)))
    write_view(html, output, open_=open_)
    return f"{len(members.scores)} of {members.candidates} authors, {len(members.ties)} ties"


@viz.command("path")
@click.argument("source")
@click.argument("target")
@click.option("--all", "all_paths", is_flag=True, help="Every shortest chain (up to 50), not just one.")
@click.option("--as-of", type=YEAR, help="Only papers of YEAR or earlier count.")
@click.option("--max-hops", type=Count(), default=10, show_default=True, help="Refuse longer chains.")
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
    from viz.paths import chains_within, render_paths

    graph = open_graph(ctx)
    found = collaboration_paths(graph, source, target, all_paths=all_paths, as_of=as_of, max_hops=max_hops)
    authors = {found.source.id, found.target.id}
    authors |= {author for path in found.paths for hop in path.hops for author in (hop.source, hop.target)}
    write_view(render_paths(found, author_cards(graph, sorted(authors)), max_nodes=max_nodes), output, open_=open_)
    drawn = len(chains_within(found, max_nodes))
    wrote(output, f"{drawn} of {len(found.paths)} chains of {found.length} hops")


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
    from viz.labels import count
    from viz.papers import papers_within, render_paper_graph

    if (name is None) == (topic is None):
        raise click.UsageError("give an author NAME or --topic T (one of them)")
    graph = open_graph(ctx)
    found = author_papers(graph, name, limit=max_nodes) if name else topic_papers(graph, topic, limit=max_nodes)
    write_view(render_paper_graph(found, max_nodes=max_nodes), output, open_=open_)
    papers, authors, topics = papers_within(found, max_nodes)
    wrote(
        output, f"{len(papers)} of {found.total} papers, {count(len(authors), 'author')}, {count(len(topics), 'topic')}"
    )


@viz.command("topics")
@click.option("--resolution", type=RESOLUTION, default=1.0, show_default=True, help="Leiden's resolution for themes.")
@click.option("--seed", type=SEED, default=42, show_default=True, help="Leiden's seed for themes.")
@view_options()
@click.pass_context
def viz_topics(ctx: click.Context, resolution: float, seed: int, max_nodes: int, output: Path, open_: bool) -> None:
    """Draw the topic map: topics sized by papers, linked by the papers they share, coloured by theme."""
    from queries.themes import topic_map
    from viz.topics import render_topic_map

    found = topic_map(open_graph(ctx), resolution=resolution, seed=seed)
    if not found.papers:
        raise NotFound("nothing to draw: no paper of the graph has a topic")
    write_view(render_topic_map(found, max_nodes=max_nodes), output, open_=open_)
    wrote(output, f"{min(len(found.papers), max_nodes)} of {len(found.papers)} topics")
