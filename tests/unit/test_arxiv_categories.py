"""The arXiv category table: names, archive parents, aliases and profile-page short codes."""

from __future__ import annotations

from collections import Counter

import pytest

from graph.model import TopicRef
from loaders.arxiv_categories import (
    ALIASES,
    ARCHIVES,
    CATEGORIES,
    SHORT_CODES,
    lookup_category,
    resolve_short_code,
)


@pytest.mark.parametrize(
    ("code", "category_id", "name"),
    [
        ("CL", "cs.CL", "Computation and Language"),
        ("LG", "cs.LG", "Machine Learning"),
        ("ME", "stat.ME", "Methodology"),
        ("CV", "cs.CV", "Computer Vision and Pattern Recognition"),
        ("CO", "stat.CO", "Computation"),  # stat before math.CO
        ("ML", "stat.ML", "Machine Learning"),  # no cs.ML
        ("AG", "math.AG", "Algebraic Geometry"),
        ("NA", "math.NA", "Numerical Analysis"),  # cs.NA is an alias of math.NA
        ("SY", "eess.SY", "Systems and Control"),  # cs.SY is an alias of eess.SY
        ("quant-ph", "quant-ph", "Quantum Physics"),
    ],
)
def test_short_codes_resolve_by_archive_precedence(code: str, category_id: str, name: str):
    topic = resolve_short_code(code)
    assert topic is not None
    assert (topic.id, topic.name, topic.kind) == (f"arxiv:{category_id}", name, "arxiv_category")


@pytest.mark.parametrize("code", ["ZZ", "lg", "", "cs.LG"])
def test_unknown_short_code_gives_none(code: str):
    assert resolve_short_code(code) is None


@pytest.mark.parametrize(
    ("category_id", "archive_id", "archive_name"),
    [
        ("cs.LG", "arxiv:cs", "Computer Science"),
        ("stat.ME", "arxiv:stat", "Statistics"),
        ("math.CO", "arxiv:math", "Mathematics"),
        ("physics.soc-ph", "arxiv:physics", "Physics"),
        ("astro-ph.GA", "arxiv:astro-ph", "Astrophysics"),
        ("cond-mat.stat-mech", "arxiv:cond-mat", "Condensed Matter"),
        ("q-bio.NC", "arxiv:q-bio", "Quantitative Biology"),
    ],
)
def test_category_parent_is_its_archive(category_id: str, archive_id: str, archive_name: str):
    topic = lookup_category(category_id)
    assert topic is not None
    assert topic.parent == TopicRef(archive_id, archive_name, "arxiv_archive")


@pytest.mark.parametrize("category_id", ["gr-qc", "hep-th", "math-ph", "quant-ph", "nucl-ex"])
def test_single_category_archives_have_no_parent(category_id: str):
    topic = lookup_category(category_id)
    assert topic is not None and topic.id == f"arxiv:{category_id}"
    assert topic.parent is None


@pytest.mark.parametrize(("alias", "canonical"), sorted(ALIASES.items()))
def test_alias_resolves_to_the_same_topic_as_its_canonical_category(alias: str, canonical: str):
    assert lookup_category(alias) == lookup_category(canonical) is not None


@pytest.mark.parametrize("category_id", ["cs.XX", "cs.lg", "cmp-lg", "cond-mat", ""])
def test_unknown_or_retired_category_gives_none(category_id: str):
    assert lookup_category(category_id) is None


def test_table_holds_every_current_arxiv_category():
    per_archive = Counter(category.partition(".")[0] for category in CATEGORIES if "." in category)
    assert per_archive == {
        "cs": 40,
        "math": 32,
        "physics": 22,
        "q-bio": 10,
        "q-fin": 9,
        "cond-mat": 9,
        "stat": 6,
        "astro-ph": 6,
        "nlin": 5,
        "eess": 4,
        "econ": 3,
    }
    assert set(per_archive) == set(ARCHIVES)
    standalone = {category for category in CATEGORIES if "." not in category}
    assert standalone == {
        "gr-qc",
        "hep-ex",
        "hep-lat",
        "hep-ph",
        "hep-th",
        "math-ph",
        "nucl-ex",
        "nucl-th",
        "quant-ph",
    }


def test_short_codes_only_point_at_canonical_categories():
    targets = set(SHORT_CODES.values())
    assert targets <= set(CATEGORIES)
    assert not targets & set(ALIASES)
