"""The Authors a batch's mentions could join, read from Neo4j with the context the resolver scores
(:mod:`graph.identity`), and kept for the batches after it.

A batch first reads the ids of its candidates (by strong id, name block, folded name, or authorship of a paper of the
batch), then the rows of those it does not keep. A kept row is the author as the graph still holds it unless a later
batch changed it, so the writer reports whom each batch touched (:meth:`CandidateCache.touch`): the authors of the
papers it wrote, the authors a merge changed, and everyone when the topic hierarchy changed above a topic already
written. That holds while one load writes at a time, which is what a load's turn is for (:mod:`graph.turns`).
Without the cache, a large graph's batches spent most of their time reading the same authors again (bench_load's
corpus at 60,000 papers: 12 of a batch's 17 s; kept, the whole load ran 1.23x as fast).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from graph.evidence import Identity, Mention, affiliation_keys, venue_key
from graph.model import KEYWORD

if TYPE_CHECKING:
    import neo4j

__all__ = ["CandidateCache", "fetch_identities"]

FIND_CANDIDATES = """
CALL () {
  UNWIND $strong AS strong MATCH (:AuthorId {id: strong})-[:IDENTIFIES]->(a:Author) RETURN a
  UNION
  UNWIND $blocks AS block MATCH (a:Author {block_key: block}) RETURN a
  UNION
  UNWIND $name_keys AS key MATCH (a:Author {name_key: key}) RETURN a
  UNION
  UNWIND $paper_ids AS paper_id MATCH (a:Author)-[:AUTHORED]->(:Paper {id: paper_id}) RETURN a
}
RETURN collect(a.id) AS ids
"""

# Rows come back a chunk per record, each row a list (the fields of _CandidateRow): the driver builds each record
# in Python, which cost more than everything else the writer does with a candidate (measured: 1.6 s of client CPU
# for 25,000 one-row records, 0.6 s as lists in a few records).
READ_CANDIDATES = """
UNWIND range(0, size($ids) - 1, $chunk) AS start
CALL (start) {
  UNWIND $ids[start..start + $chunk] AS id
  MATCH (a:Author {id: id})
  RETURN collect([
    a.id,
    a.block_key,
    coalesce(a.names, [a.name]),
    [(a)<-[:IDENTIFIES]-(k:AuthorId) | k.id],
    [(a)-[:AFFILIATED_WITH]->(i:Institution) | i.name],
    [(a)-[:COAUTHOR]-(b:Author) | b.id],
    [(a)-[:COAUTHOR]-(b:Author) | b.block_key],
    [(a)-[:DISTINCT_FROM]-(o:Author) | o.id],
    COLLECT { MATCH (a)-[:AUTHORED]->(:Paper)-[:PUBLISHED_IN]->(v:Venue) RETURN DISTINCT v.id LIMIT 200 },
    COLLECT {
      MATCH (a)-[:AUTHORED]->(:Paper)-[:HAS_TOPIC]->(:Topic)-[:SUBTOPIC_OF*0..]->(t:Topic)
      WHERE coalesce(t.kind, '') <> $keyword
      RETURN DISTINCT t.id LIMIT 500
    }
  ]) AS rows
}
RETURN rows
"""

# The batch's papers' authorships, read from the papers: a filter on each candidate's papers (`p.id IN $paper_ids`)
# can be planned as a scan of every Paper per candidate when the statistics are those of a younger graph (measured:
# 10 million db hits, 16 s, for the second batch of the load benchmark). One record, as above.
FETCH_AUTHORSHIPS = """
UNWIND $paper_ids AS paper_id
MATCH (a:Author)-[r:AUTHORED]->(p:Paper {id: paper_id})
RETURN collect([a.id, p.id, CASE WHEN r.inferred THEN null ELSE r.position END]) AS authorships
"""

FETCH_CHUNK = 1000
#: Rows a load keeps at most; beyond, those unused the longest are read again when needed.
KEPT_ROWS = 250_000


class _CandidateRow(NamedTuple):
    """A row of READ_CANDIDATES, in its order."""

    id: str
    block: str | None
    names: tuple[str, ...]
    ids: tuple[str, ...]
    institutions: tuple[str, ...]
    coauthor_ids: tuple[str, ...]
    coauthor_blocks: tuple[str | None, ...]
    distinct_from: tuple[str, ...]
    venues: tuple[str, ...]
    topics: tuple[str, ...]


def _row(fields: list) -> _CandidateRow:
    """A row as tuples, which take less memory than lists and, holding only strings, drop out of the objects Python's
    garbage collector walks."""
    author, block, *lists = fields
    return _CandidateRow(author, block, *map(tuple, lists))


class CandidateCache:
    """Candidate rows of one load, kept from batch to batch until a batch touches their author.

    A batch's transaction calls :meth:`begin` (again, when the driver retries it), reads through :meth:`rows`,
    reports whom it changed with :meth:`touch`; :meth:`commit` after the commit keeps what it read and forgets whom it
    touched. ``limit`` bounds the rows kept (0 keeps none; default :data:`KEPT_ROWS`).
    """

    def __init__(self, limit: int | None = None) -> None:
        self.limit = KEPT_ROWS if limit is None else limit
        self._kept: dict[str, _CandidateRow] = {}
        self.begin()

    @property
    def kept(self) -> Mapping[str, _CandidateRow]:
        """The rows kept from committed batches, by author id (read only)."""
        return MappingProxyType(self._kept)

    def begin(self) -> None:
        """Start a batch's transaction: forget what an attempt that did not commit read and touched."""
        self._read: dict[str, _CandidateRow] = {}
        self._touched: set[str] = set()
        self._everyone_touched = False

    def rows(self, tx: neo4j.ManagedTransaction, ids: list[str]) -> list[_CandidateRow]:
        """The rows of the Authors ``ids``: kept ones as they are, the others read in ``tx``."""
        missing = [author for author in ids if author not in self._kept]
        params = {"ids": missing, "chunk": FETCH_CHUNK, "keyword": KEYWORD}
        self._read.update((row[0], _row(row)) for [chunk] in tx.run(READ_CANDIDATES, params) for row in chunk)
        found = []
        for author in ids:
            row = self._kept.pop(author, None)
            if row is not None:
                self._kept[author] = row  # now the last used: the rows unused longest are the first to go
            else:
                row = self._read.get(author)  # None when deleted since, by a writer not taking turns
            if row is not None:
                found.append(row)
        return found

    def touch(self, ids: Iterable[str]) -> None:
        """These authors' rows change in this transaction."""
        self._touched.update(ids)

    def touch_everyone(self) -> None:
        """Every author's row may change in this transaction (the topic hierarchy above written topics did)."""
        self._everyone_touched = True

    def commit(self) -> None:
        """The batch's transaction committed: keep the rows it read of authors it did not touch."""
        if self._everyone_touched:
            self._kept.clear()
        else:
            self._kept.update(self._read)
            for author in self._touched:
                self._kept.pop(author, None)
            for author in list(self._kept)[: max(len(self._kept) - self.limit, 0)]:
                del self._kept[author]
        self.begin()

    def clear(self) -> None:
        """Keep nothing: another writer may have changed any author."""
        self._kept.clear()


def fetch_identities(
    tx: neo4j.ManagedTransaction,
    mentions: list[Mention],
    paper_ids: Iterable[str],
    cache: CandidateCache | None = None,
) -> tuple[list[Identity], dict[str, set[str]]]:
    """The Authors any of ``mentions`` could join: by strong id, name block, folded name, or authorship of a paper
    of the batch, each with the context the resolver scores; and the ids of the coauthors of each name block's
    Authors (every Author of the batch's blocks is among them: a mention's coauthors are blocks of the batch, so these
    are all the coauthors two hops away that its scoring can meet). The authors of the batch's papers are
    ``touch``ed."""
    cache = cache if cache is not None else CandidateCache(limit=0)
    params = {
        "strong": sorted({value for mention in mentions for value in mention.ids}),
        "blocks": sorted({mention.person.block for mention in mentions}),
        "name_keys": sorted({mention.name_key for mention in mentions}),
        "paper_ids": sorted(set(paper_ids)),
    }
    rows = cache.rows(tx, tx.run(FIND_CANDIDATES, params).single(strict=True)["ids"])
    papers: dict[str, dict[str, int | None]] = {}
    [authorships] = tx.run(FETCH_AUTHORSHIPS, paper_ids=params["paper_ids"]).single(strict=True)
    for author, paper, position in authorships:
        papers.setdefault(author, {})[paper] = position
    cache.touch(papers)
    reach: dict[str, set[str]] = {}
    for row in rows:
        if row.block is not None:
            reach.setdefault(row.block, set()).update(row.coauthor_ids)
    return [_StoredIdentity(row, papers.get(row.id, {})) for row in rows], reach


class _StoredIdentity(Identity):
    """An identity read from the graph that works out its context (coauthors, institutions, venues, topics) when
    first asked: the resolver looks at every identity of a mention's block, but scores only those whose names match
    (measured: building every context was a third of a large batch's fetch)."""

    def __init__(self, row: _CandidateRow, papers: dict[str, int | None]) -> None:
        self.id = row.id
        self.names = set(row.names or ())
        self.ids = set(row.ids)
        self.papers = papers
        self.distinct_from = set(row.distinct_from)
        self._from = row

    def __getattr__(self, name: str) -> object:
        if name not in _CONTEXT or "_from" not in self.__dict__:
            raise AttributeError(name)
        row = self.__dict__.pop("_from")
        self.partners = set(row.coauthor_ids)
        self.coauthors = Counter(row.coauthor_blocks)
        self.coauthors.pop(None, None)
        self.institutions = {key for institution in row.institutions for key in affiliation_keys(institution)}
        self.venues = {key for venue in row.venues if (key := venue_key(venue))}
        self.topics = Counter(row.topics)
        return getattr(self, name)


_CONTEXT = frozenset({"partners", "coauthors", "institutions", "venues", "topics"})
