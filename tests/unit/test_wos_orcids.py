"""Web of Science ``OI`` ORCIDs reach the author they name, also when the record writes that author otherwise."""

from __future__ import annotations

from pathlib import Path

from loaders import read_file
from loaders.wos import paper_from_tags


def record(authors: list[str], orcids: str) -> dict[str, list[str]]:
    return {"TI": ["A title"], "AU": authors, "OI": [orcids]}


def orcids_of(tags: dict[str, list[str]]) -> dict[str, str | None]:
    paper = paper_from_tags(tags, "t:1", source="wos")
    return {author.name: author.ids.get("orcid") for author in paper.authors}


def test_an_orcid_named_in_full_reaches_an_author_listed_with_initials():
    tags = record(
        ["Valeri, S", "Casoli, F"], "Valeri, Sergio/0000-0002-2975-3933; Casoli, Francesca/0000-0002-4323-0362"
    )
    assert orcids_of(tags) == {"S Valeri": "0000-0002-2975-3933", "F Casoli": "0000-0002-4323-0362"}


def test_an_orcid_that_fits_two_authors_goes_to_neither():
    tags = record(["Li, W", "Li, WF", "Chen, X"], "Li, Wei/0000-0001-0000-0001")
    assert orcids_of(tags) == {"W Li": None, "WF Li": None, "X Chen": None}


def test_an_exact_name_wins_over_a_compatible_one():
    tags = record(["Li, Wei", "Li, W"], "Li, Wei/0000-0001-0000-0001")
    assert orcids_of(tags) == {"Wei Li": "0000-0001-0000-0001", "W Li": None}


def test_the_real_plaintext_export_keeps_most_of_its_orcids(shared_dir: Path):
    papers = read_file(shared_dir / "data" / "csv_exports" / "wos_plaintext_bibx_500.txt.gz").papers
    kept = sum(1 for paper in papers for author in paper.authors if author.ids.get("orcid"))
    assert kept >= 229  # of 251 OI entries; matching folded names only kept 111
