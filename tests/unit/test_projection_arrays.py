"""The projection's array work: mapping internal ids to authors and numbering, sorting, deduplicating edges."""

from __future__ import annotations

import numpy as np
import pytest

from queries.projection import Projection, _positions


@pytest.mark.parametrize("spread", [1, 10**9], ids=["dense ids: lookup table", "sparse ids: binary search"])
def test_positions_find_each_wanted_id_or_minus_one(spread: int):
    rng = np.random.default_rng(7)
    keys = rng.choice(5_000, size=2_000, replace=False).astype(np.int64) * spread
    wanted = rng.integers(0, 5_000, size=10_000).astype(np.int64) * spread
    index = {key: i for i, key in enumerate(keys.tolist())}
    assert _positions(keys, wanted).tolist() == [index.get(w, -1) for w in wanted.tolist()]


def test_positions_of_nothing():
    empty = np.zeros(0, dtype=np.int64)
    assert _positions(empty, np.array([3, 4])).tolist() == [-1, -1]
    assert _positions(np.array([3, 4]), empty).tolist() == []


def test_edges_are_numbered_by_id_sorted_and_each_pair_kept_once_with_its_first_weight():
    rng = np.random.default_rng(3)
    names = [f"author {n:03d}" for n in rng.permutation(300)]
    edges = [(names[a], names[b], float(w)) for a, b, w in rng.integers(0, 300, size=(3_000, 3)) if a != b]
    projection = Projection.from_edges(edges)
    first: dict[tuple[str, str], float] = {}
    for a, b, weight in edges:
        first.setdefault((min(a, b), max(a, b)), weight)
    assert list(projection.ids) == sorted({name for a, b, _w in edges for name in (a, b)})
    assert projection.edges() == sorted((a, b, w) for (a, b), w in first.items())
