"""Seeded node positions for the views: computed once in Python, so the page draws at once with physics off."""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx

__all__ = ["node_positions"]

#: Screen pixels between neighbours in a small drawing; larger drawings spread with the square root of their size.
PIXELS_PER_TIE = 170.0
ROOMY_NODES = 40


def node_positions(ids: Sequence[str], ties: Sequence[tuple[str, str]], *, seed: int) -> dict[str, tuple[int, int]]:
    """Pixel positions from networkx's seeded Fruchterman-Reingold layout; the same input gives the same output."""
    graph = nx.Graph()
    graph.add_nodes_from(ids)
    graph.add_edges_from(ties)
    if not ids:
        return {}
    spread = PIXELS_PER_TIE * max(2.0, len(ids) / ROOMY_NODES) ** 0.5
    layout = nx.spring_layout(graph, seed=seed, iterations=200, scale=spread)
    return {node: (round(float(x)), round(float(y))) for node, (x, y) in layout.items()}
