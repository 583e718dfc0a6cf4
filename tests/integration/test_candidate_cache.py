"""Candidate rows a load keeps from batch to batch are, after every batch, the rows the graph holds: each way a
batch changes an author (its papers, a merge, the topic hierarchy) makes the cache read that author again."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import ClassVar

import pytest

from graph import candidates, writer
from graph.candidates import CandidateCache
from graph.connection import Graph
from graph.model import AuthorRef, Paper, TopicRef
from graph.writer import write_records
from loaders import read_file


class RecordedCache(CandidateCache):
    """A cache that lets the test find it."""

    made: ClassVar[list[CandidateCache]] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        RecordedCache.made.append(self)


def load_checking_the_cache(graph: Graph, monkeypatch: pytest.MonkeyPatch, papers: list[Paper], batch_size: int):
    """Load ``papers``; after each batch, compare every kept row with the row read from the graph. Returns how many
    rows were kept after each batch."""
    RecordedCache.made = []
    monkeypatch.setattr(writer, "CandidateCache", RecordedCache)
    kept = []

    def check(_papers: int) -> None:
        [cache] = RecordedCache.made
        ids = list(cache.kept)
        fresh = graph.execute_read(lambda tx: CandidateCache(limit=0).rows(tx, ids))
        assert {row.id: comparable(row) for row in fresh} == {id_: comparable(row) for id_, row in cache.kept.items()}
        kept.append(len(ids))

    write_records(graph, papers, batch_size=batch_size, on_batch=check)
    return kept


def comparable(row) -> tuple:
    """A row with its lists as multisets (their order is the store's)."""
    return tuple(Counter(map(str, field)) if isinstance(field, tuple) else field for field in row)


def paper(key: str, *authors: AuthorRef, topic: TopicRef | None = None, doi: str | None = None) -> Paper:
    return Paper(
        title=f"Paper {key}",
        authors=authors,
        source="test",
        source_ref=f"test:{key}",
        year=2020,
        topics=(topic,) if topic else (),
        doi=doi,
    )


def author(name: str, position: int, **ids: str) -> AuthorRef:
    return AuthorRef(name, position, ids=ids)


ADA, BOB = author("Ada Lovelace", 1), author("Bob Byron", 2)
FIELD = TopicRef("field:ecology", "Ecology", "field")
LOOSE = TopicRef("topic:forests", "Forests", "topic")
PLACED = TopicRef("topic:forests", "Forests", "topic", parent=FIELD)


def test_kept_rows_follow_papers_merges_and_the_topic_hierarchy(graph: Graph, monkeypatch: pytest.MonkeyPatch):
    papers = [
        paper("a", ADA, BOB, topic=LOOSE, doi="10.1/a"),
        # Ada's block, not Ada: her row is read and kept.
        paper("b", author("Al Lovelace", 1), author("Cy Cole", 2)),
        # Forests gains a parent: Ada's and Bob's topics now include Ecology.
        paper("c", author("Dee Dunn", 1), author("Eli Eden", 2), topic=PLACED),
        paper("d", author("Fay Fox", 1, s2="1"), author("Gus Gray", 2)),
        paper("e", author("F. Fox", 1, orcid="0000-0001-0000-0001"), author("Hal Hunt", 2)),
        # Gus's and Hal's blocks, not them: their rows are read and kept.
        paper("f", author("Gil Gray", 1), author("Hugo Hunt", 2), author("Ada Lovelace", 3)),
        # One mention carries both ids: the two Fox authors merge, which changes Gus's or Hal's coauthors.
        paper("g", author("Fay Fox", 1, s2="1", orcid="0000-0001-0000-0001"), author("Ivy Iles", 2)),
        paper("h", author("Gil Gray", 1), author("Hugo Hunt", 2)),
        # Paper a again, now listing more than a hundred authors: its ties go.
        paper("a", ADA, BOB, *(author(f"Member{i} Large", i) for i in range(3, 102)), topic=LOOSE, doi="10.1/a"),
        paper("i", author("Ada Lovelace", 1), author("Bob Byron", 2), author("Al Lovelace", 3)),
        paper("k", author("Kim Kerr", 1), author("Lou Lamb", 2), doi="10.1/k"),
        paper("l", author("Kai Kerr", 1)),
        # Paper k again, without Kim: she gains a coauthor and a topic all the same.
        paper("k", author("Lou Lamb", 1), author("Max Moss", 2), topic=PLACED, doi="10.1/k"),
    ]
    kept = load_checking_the_cache(graph, monkeypatch, papers, batch_size=1)
    assert max(kept) >= 4, kept
    merges = graph.read("MATCH (m:IdentityMerge) RETURN m.absorbed_names AS names")
    assert [sorted(row["names"]) for row in merges] in (
        [["F. Fox"]],
        [["Fay Fox"]],
    ), "the load merged the two Fox authors"
    [ada] = graph.read("MATCH (:Author {name: 'Ada Lovelace'})-[:AUTHORED]->(p) RETURN count(p) AS papers")
    assert ada["papers"] >= 2


def test_kept_rows_stay_true_through_a_real_multi_source_load(
    graph: Graph, shared_dir: Path, monkeypatch: pytest.MonkeyPatch
):
    papers = [
        paper
        for name in ("openalex/works_union_602.jsonl.gz", "crossref/works_union_1501.jsonl.gz")
        for paper in read_file(shared_dir / "data" / name).papers
    ]
    kept = load_checking_the_cache(graph, monkeypatch, papers, batch_size=150)
    assert len(kept) == -(-len(papers) // 150)
    assert max(kept) > 300, kept


def test_a_cache_that_keeps_nothing_gives_the_same_graph(
    graph: Graph, shared_dir: Path, monkeypatch: pytest.MonkeyPatch
):
    from tests.graph_export import full_export

    papers = read_file(shared_dir / "data" / "openalex" / "works_union_602.jsonl.gz").papers
    write_records(graph, papers, batch_size=50)
    cached = full_export(graph)
    graph.write("MATCH (n) DETACH DELETE n")
    monkeypatch.setattr(candidates, "KEPT_ROWS", 0)
    write_records(graph, papers, batch_size=50)
    assert full_export(graph) == cached


class Turn:
    """A load's turn that was held all along, or had to be taken again, at every batch."""

    def __init__(self, held: bool):
        self.held = held
        self.kept = 0

    def keep(self) -> bool:
        self.kept += 1
        return self.held


@pytest.mark.parametrize("held", [True, False])
def test_a_turn_taken_again_empties_the_cache(graph: Graph, monkeypatch: pytest.MonkeyPatch, held: bool):
    RecordedCache.made = []
    monkeypatch.setattr(writer, "CandidateCache", RecordedCache)
    papers = [paper(str(n), author("Ada Lovelace", 1), author(f"Bo{'b' * n} Byron", 2)) for n in range(1, 5)]
    turn = Turn(held)
    write_records(graph, papers, batch_size=1, turn=turn)
    [cache] = RecordedCache.made
    assert turn.kept == len(papers)
    assert bool(cache.kept) is held
