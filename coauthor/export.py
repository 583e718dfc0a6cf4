"""`coauthor export`: write a whole network as files for Gephi, VOSviewer, d3 or networkx."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from coauthor.base import STDOUT, cli, open_graph, to_stdout, wrote
from graph.errors import InputError, InvalidRequest, NotFound

# The same as viz.export.FORMATS and queries.networks.NETWORKS, spelled out so that `coauthor --help` does not
# import networkx (tests/cli/test_export_cli.py checks they agree).
EXPORT_FORMATS = ("graphml", "gexf", "vosviewer", "vosviewer-json", "json")
EXPORT_NETWORKS = ("coauthors", "papers", "topics")
# What an empty network lacks, as the views say it ("nothing to draw: ...").
EMPTY_NETWORK = {
    "coauthors": "the graph has no author",
    "papers": "the graph has no author, paper or topic",
    "topics": "no paper of the graph has a topic",
}


@contextmanager
def unwritable_output() -> Iterator[None]:
    """An output file that cannot be written (viz.export says so with an InputError) as the usage error it is, as
    the views give it: an output is not input."""
    try:
        yield
    except InputError as err:
        raise InvalidRequest(str(err)) from err


@cli.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True, help="File format (described above)."
)
@click.option(
    "--what", type=click.Choice(EXPORT_NETWORKS), default="coauthors", show_default=True, help="Which network."
)
@click.option("--run", metavar="RUN", help="Add each author's community in stored run RUN (coauthors, papers).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    required=True,
    help="The file to write; vosviewer writes two files named after it; - writes to standard output "
    "(not with vosviewer).",
)
@click.pass_context
def export(ctx: click.Context, fmt: str, what: str, run: str | None, output: Path) -> None:
    """Export the coauthors, the Author-Paper-Topic graph, or the topic co-occurrence network.

    \b
    Formats:
      graphml, gexf    for Gephi (and networkx); every attribute typed, unknown values left out
      vosviewer        VOSviewer map and network files, tab-separated: -o out.txt writes
                       out_map.txt and out_network.txt
      vosviewer-json   VOSviewer (Online) JSON: network.items, network.links, network.clusters
      json             networkx node-link JSON, edges under "links"

    \b
    Networks:
      coauthors  authors (label, papers, first_year, last_year, degree, strength, pagerank, and
                 community with --run) tied by COAUTHOR (weight = joint papers, or the source's
                 weight for ties known without papers (SNAP, GML); first_year, last_year).
                 degree, strength and pagerank are the scores `central` gives: PageRank runs
                 over the authors with ties only; an author without ties has 0 for each
      papers     authors, papers and topics (attribute kind) linked by AUTHORED and HAS_TOPIC
      topics     topics (papers, theme) tied by the number of papers they share

    VOSviewer clusters are the communities of --run, the node kinds (papers) or the topic themes.

    A network without a node writes nothing and exits with 7, as the views do on an empty graph; an output that
    cannot be written (its folder does not exist, say) is a usage error (exit 2), as for the views.
    """
    from queries.networks import read_network
    from viz.export import check_writable, output_paths, write_network, write_stream

    if run is not None and what == "topics":
        raise click.UsageError("--run applies to authors: use it with --what coauthors or papers")
    if output == STDOUT and fmt == "vosviewer":
        raise click.UsageError("vosviewer writes two files: give -o FILE, not -o - (standard output)")
    if output != STDOUT:
        with unwritable_output():
            check_writable(output_paths(fmt, output))  # before reading the graph, which may take a while
    network = read_network(open_graph(ctx), what, run=run)
    if not network.graph.number_of_nodes():
        raise NotFound(f"nothing to export: {EMPTY_NETWORK[what]}")
    if output == STDOUT:
        to_stdout(lambda out: write_stream(network, fmt, out))
        written = [output]
    else:
        with unwritable_output():
            written = write_network(network, fmt, output)
    graph = network.graph
    wrote(", ".join(map(str, written)), f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")
