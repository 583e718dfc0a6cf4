"""The ego view: an author, the people they publish with and the ties among them, as one offline page."""

from __future__ import annotations

from collections.abc import Mapping, Set

from queries.collaborators import EgoEdge, EgoNetwork, EgoNode
from viz.labels import DASH, count, radius, span, tie_line, width_note, years
from viz.page import Link, ViewEdge, ViewNode, render_network

__all__ = ["ego_caption", "render_ego"]

CENTRE_COLOUR = "#ea580c"
DIRECT_COLOUR = "#2563eb"
FARTHER_COLOUR = "#94a3b8"


def render_ego(
    ego: EgoNetwork,
    *,
    links: Mapping[str, tuple[Link, ...]] | None = None,
    paperless: Set[frozenset[str]] = frozenset(),
    seed: int = 42,
) -> str:
    """Render ``ego`` as a self-contained HTML page.

    Circle size shows papers written, line width joint papers, colour the distance from the centre author, who
    is also ringed; ``links`` (author id -> DOI/arXiv links of their papers) open from the selection panel.
    ``paperless`` holds the pairs whose tie is known without its papers: their lines say so and show its weight.
    Pure rendering: no database is touched.

    Raises
    ------
    ValueError
        When ``ego.center`` is not among ``ego.nodes``, or an edge names an unknown author.
    """
    centre = _centre(ego)
    names = {node.id: node.name for node in ego.nodes}
    papers = [node.papers for node in ego.nodes]
    notes = [f"Circle size: papers ({span(papers)})"]
    if ego.edges:
        weights = [edge.weight for edge in ego.edges]
        notes.append(width_note(weights, sum(_pair(edge) in paperless for edge in ego.edges)))
    links = links or {}
    return render_network(
        [_view_node(node, max(papers), links.get(node.id, ())) for node in ego.nodes],
        [_view_edge(edge, names, _pair(edge) in paperless) for edge in ego.edges],
        title=f"Collaboration network of {centre.name}",
        caption=ego_caption(ego),
        legend=_legend(ego),
        notes=notes,
        seed=seed,
    )


def ego_caption(ego: EgoNetwork) -> str:
    """What the view draws and what it left out.

    E.g. "Zishi Zhang and 12 coauthors within 1 hop; 13 authors, 20 ties", followed by, when the query cut
    the network, "; 40 more authors within 2 hops left out (the closest are kept)", and, when ``since`` left out
    the centre's ties known without papers, "; 27 ties known without papers left out (no joint papers to count)".
    """
    centre = _centre(ego)
    direct = sum(node.hops == 1 for node in ego.nodes)
    farther = sum(node.hops > 1 for node in ego.nodes)
    if ego.depth <= 1:
        reach = f"{centre.name} and {count(direct, 'coauthor')} within 1 hop"
    else:
        hops = "2 hops" if ego.depth == 2 else f"2{DASH}{ego.depth} hops"
        reach = f"{centre.name}, {count(direct, 'direct coauthor')} and {count(farther, 'author')} {hops} away"
    since = f" (joint papers of {ego.since} or later)" if ego.since else ""
    parts = [f"{reach}{since}", f"{count(len(ego.nodes), 'author')}, {count(len(ego.edges), 'tie')}"]
    cut = ego.reachable - len(ego.nodes)
    if cut > 0:
        parts.append(f"{count(cut, 'more author')} within {count(ego.depth, 'hop')} left out (the closest are kept)")
    if ego.ties_left_out:
        parts.append(f"{count(ego.ties_left_out, 'tie')} known without papers left out (no joint papers to count)")
    return "; ".join(parts)


def _centre(ego: EgoNetwork) -> EgoNode:
    for node in ego.nodes:
        if node.id == ego.center:
            return node
    raise ValueError(f"ego network's centre {ego.center!r} is not among its nodes")


def _view_node(node: EgoNode, most_papers: int, links: tuple[Link, ...]) -> ViewNode:
    """Radius grows with the square root of papers, so circle area is proportional to papers."""
    return ViewNode(
        id=node.id,
        label=node.name,
        size=radius(node.papers, most_papers),
        color=_colour(node.hops),
        tooltip=_node_tooltip(node),
        emphasis=node.hops == 0,
        links=links,
    )


def _pair(edge: EgoEdge) -> frozenset[str]:
    return frozenset((edge.source, edge.target))


def _view_edge(edge: EgoEdge, names: dict[str, str], paperless: bool) -> ViewEdge:
    for end in (edge.source, edge.target):
        if end not in names:
            raise ValueError(f"edge {edge.source!r}-{edge.target!r} names unknown author {end!r}")
    pair = f"{names[edge.source]} {DASH} {names[edge.target]}"
    tooltip = (pair, tie_line(edge.weight, paperless=paperless))
    return ViewEdge(edge.source, edge.target, weight=edge.weight, tooltip=tooltip)


def _node_tooltip(node: EgoNode) -> tuple[str, ...]:
    """Name, role, papers, active years and top topics, as plain-text lines."""
    lines = [node.name, _role(node.hops), count(node.papers, "paper")]
    if active := years(node.first_year, node.last_year):
        lines.append(active)
    if node.top_topics:
        lines.append("Topics: " + ", ".join(node.top_topics))
    return tuple(lines)


def _legend(ego: EgoNetwork) -> list[tuple[str, str]]:
    """One swatch per kind of author present: centre, direct coauthors, authors farther out."""
    present = {min(node.hops, 2) for node in ego.nodes}
    meanings = {0: "Centre author", 1: "Direct coauthors", 2: "Coauthors of coauthors"}
    return [(_colour(hops), meanings[hops]) for hops in sorted(present)]


def _role(hops: int) -> str:
    if hops == 0:
        return "Centre author"
    return "Direct coauthor" if hops == 1 else f"{hops} hops away"


def _colour(hops: int) -> str:
    if hops == 0:
        return CENTRE_COLOUR
    return DIRECT_COLOUR if hops == 1 else FARTHER_COLOUR
