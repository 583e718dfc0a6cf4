"""`coauthor viz ...`: interactive, self-contained HTML views."""

from __future__ import annotations

from pathlib import Path

import click

from coauthor.base import cli, open_graph
from graph.errors import InputError
from queries.collaborators import ego_network


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
