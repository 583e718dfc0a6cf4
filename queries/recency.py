"""Recency weights: a year's weight halves every :data:`HALF_LIFE_YEARS` years before a reference year.

``weight(year) = 0.5 ** (max(0, reference - year) / HALF_LIFE_YEARS)``: a tie or paper of the reference year
weighs 1, five years older 0.5, ten years older 0.25. An unknown year weighs 1 (no evidence of age is not
evidence of staleness). The reference year defaults to the latest paper year in the graph, so a graph of old
papers is not discounted as a whole.
"""

from __future__ import annotations

from graph.connection import Graph

__all__ = ["HALF_LIFE_YEARS", "decay", "latest_year"]

HALF_LIFE_YEARS = 5.0

# Index-backed: a backwards scan of the paper_year range index, stopped after one row.
LATEST_YEAR = "MATCH (p:Paper) WHERE p.year IS NOT NULL RETURN p.year AS year ORDER BY year DESC LIMIT 1"


def latest_year(graph: Graph) -> int | None:
    """The most recent paper year in the graph, or None when no paper has a year."""
    rows = graph.read(LATEST_YEAR)
    return rows[0]["year"] if rows else None


def decay(year: int | None, reference: int | None, half_life: float = HALF_LIFE_YEARS) -> float:
    """The recency weight of ``year`` seen from ``reference`` (1.0 when either is unknown).

    >>> decay(2015, 2025), decay(2025, 2025), decay(None, 2025)
    (0.25, 1.0, 1.0)
    """
    if year is None or reference is None:
        return 1.0
    return 0.5 ** (max(0, reference - year) / half_life)
