"""Seeded node positions for the views: computed once in Python, so the page draws at once with physics off.

igraph's Fruchterman-Reingold (C core) lays out 300 nodes in 0.08 s; above :data:`GRID_ABOVE` nodes it uses its
grid approximation (repulsion from nearby nodes only): 1,000 nodes in 0.07-0.2 s instead of 0.9-4.4 s, 20,000 in
1.4 s. networkx's spring layout needed 4.6 s for 500 nodes and 12.6 s for 1,000, and vis-network's physics in the
browser never settled on 1,000 nodes (FINDINGS.md). So every size is laid out here, by igraph.
"""

from __future__ import annotations

from collections.abc import Sequence

import igraph
import numpy as np

from queries.communities import seeded_random

__all__ = ["node_positions"]

#: Screen pixels between neighbours in a small drawing; larger drawings spread with the square root of their size.
PIXELS_PER_TIE = 170.0
ROOMY_NODES = 40
GRID_ABOVE = 300


def node_positions(ids: Sequence[str], ties: Sequence[tuple[str, str]], *, seed: int) -> dict[str, tuple[int, int]]:
    """Pixel positions from igraph's seeded Fruchterman-Reingold layout; the same input gives the same output."""
    if not ids:
        return {}
    number = {node: index for index, node in enumerate(ids)}
    network = igraph.Graph(n=len(ids), edges=[(number[a], number[b]) for a, b in ties])
    with seeded_random(seed):
        coordinates = np.asarray(
            network.layout_fruchterman_reingold(niter=500, grid=len(ids) > GRID_ABOVE).coords, dtype=float
        )
    coordinates -= coordinates.mean(axis=0)
    reach = float(np.abs(coordinates).max()) or 1.0
    spread = PIXELS_PER_TIE * max(3.0, len(ids) / ROOMY_NODES) ** 0.5
    pixels = np.rint(coordinates * (spread / reach)).astype(int).tolist()
    return {node: (x, y) for node, (x, y) in zip(ids, pixels, strict=True)}
