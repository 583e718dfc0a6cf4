"""The path view: the shortest collaboration chains between two authors, left to right, each hop labelled with the
joint papers behind it."""

from __future__ import annotations

from collections.abc import Mapping

from queries.papers import AuthorCard, PaperRef
from queries.paths import Hop, PathResult
from viz.labels import DASH, PAPERLESS, author_lines, count, paper_list_links, radius, shorten, span
from viz.page import LegendEntry, ViewEdge, ViewNode, render_network

__all__ = ["chains_within", "path_caption", "render_paths"]

END_COLOUR = "#ea580c"
MIDDLE_COLOUR = "#2563eb"
HOP_PIXELS = 300
ROW_PIXELS = 150


def render_paths(result: PathResult, cards: Mapping[str, AuthorCard], *, max_nodes: int = 300) -> str:
    """Draw the chains of ``result``: authors left to right by hop, the two ends ringed; ``cards`` (author id ->
    card) give every author's tooltip, and an author missing from it is refused (ValueError). Chains are drawn
    in order while their authors number at most ``max_nodes`` (the first chain always)."""
    chains = chains_within(result, max_nodes)
    drawn_paths = result.paths[: len(chains)]
    columns: list[list[str]] = []
    for chain in chains:
        for step, author in enumerate(chain):
            if len(columns) <= step:
                columns.append([])
            if author not in columns[step]:
                columns[step].append(author)
    positions = {
        author: (step * HOP_PIXELS, round((row - (len(column) - 1) / 2) * ROW_PIXELS))
        for step, column in enumerate(columns)
        for row, author in enumerate(column)
    }
    missing = sorted(set(positions) - set(cards))
    if missing:
        raise ValueError(f"no author card for {missing[0]!r}")
    ends = {result.source.id, result.target.id}
    largest = max(cards[author].papers for author in positions)
    nodes = [
        ViewNode(
            author,
            cards[author].name,
            radius(cards[author].papers, largest),
            END_COLOUR if author in ends else MIDDLE_COLOUR,
            author_lines(cards[author], "End of the chain" if author in ends else "On the chain"),
            emphasis=author in ends,
            links=paper_list_links(cards[author].latest),
        )
        for author in positions
    ]
    hops = {frozenset((hop.source, hop.target)): hop for path in drawn_paths for hop in path.hops}
    edges = [_hop_edge(hop) for hop in hops.values()]
    notes = [f"Circle size: papers ({span(cards[author].papers for author in positions)})"]
    if edges:
        notes.append("Each line: a hop, labelled with the pair's latest joint paper (+ how many more)")
    legend = [LegendEntry(END_COLOUR, "The two authors"), LegendEntry(MIDDLE_COLOUR, "Authors between them")]
    title = f"Collaboration chain: {result.source.name} {DASH} {result.target.name}"
    return render_network(
        nodes,
        edges,
        title=title,
        caption=path_caption(result, len(chains)),
        legend=legend,
        notes=notes,
        positions=positions,
    )


def chains_within(result: PathResult, max_nodes: int) -> list[list[str]]:
    """The chains drawn (author ids, source to target): the first always, then the next while their authors
    number at most ``max_nodes``."""
    chains: list[list[str]] = []
    for path in result.paths:
        chain = [hop.source for hop in path.hops] + [path.hops[-1].target]
        if chains and len({author for drawn in [*chains, chain] for author in drawn}) > max_nodes:
            break
        chains.append(chain)
    return chains


def path_caption(result: PathResult, drawn: int | None = None) -> str:
    """E.g. "2 shortest chains of 3 hops from A to B; more chains of 3 hops exist (not drawn)"; ``drawn`` says
    how many of the chains were drawn, when not all."""
    drawn = len(result.paths) if drawn is None else drawn
    chains = count(drawn, "shortest chain")
    when = f", by papers up to {result.as_of}" if result.as_of is not None else ""
    caption = f"{chains} of {count(result.length, 'hop')} from {result.source.name} to {result.target.name}{when}"
    if drawn < len(result.paths):
        caption += f"; {len(result.paths) - drawn:,} more found, left out (--max-nodes)"
    if result.more:
        caption += f"; more chains of {count(result.length, 'hop')} exist (not drawn)"
    return caption


def _hop_edge(hop: Hop) -> ViewEdge:
    """A hop's line: labelled with its latest joint paper; the tooltip lists the papers (up to five), linked."""
    pair = f"{hop.source_name} {DASH} {hop.target_name}"
    if not hop.papers:
        return ViewEdge(hop.source, hop.target, tooltip=(pair, PAPERLESS))
    label = shorten(hop.papers[0].title, 40)
    if hop.paper_count > 1:
        label += f" (+{hop.paper_count - 1})"
    titles = tuple(f"{paper.title} ({paper.year})" if paper.year else paper.title for paper in hop.papers)
    if hop.paper_count > len(hop.papers):
        titles += (f"and {count(hop.paper_count - len(hop.papers), 'more paper')}",)
    refs = [PaperRef(paper.id, paper.title, paper.year) for paper in hop.papers]
    return ViewEdge(
        hop.source,
        hop.target,
        weight=hop.paper_count,
        tooltip=(pair, count(hop.paper_count, "joint paper"), *titles),
        label=label,
        links=paper_list_links(refs),
    )
