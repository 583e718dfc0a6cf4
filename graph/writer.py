"""Write records into Neo4j in batches: one retried transaction per batch, everything MERGEd.

A paper, its authorships, its topics and the COAUTHOR ties they imply are written in the same transaction, so a
failure never leaves a paper without its authors. A COAUTHOR weight grows by one exactly when a paper gains a
joint authorship for the pair (an AUTHORED relationship created in this transaction), so it equals the number of
distinct joint papers however often, and from however many sources, a paper is loaded (papers of more than
:data:`graph.paper_rows.HYPERAUTHORED` authors keep their authorships but add no ties).

Each author mention is resolved to an Author in the batch's transaction (:mod:`graph.identity_store`): by a
strong id, by the authorship it already has, or by a name backed by evidence; how is recorded on AUTHORED. The rows
the statements read, which records are one paper and which field value wins come from :mod:`graph.paper_rows`.
"""

from __future__ import annotations

import functools
import gc
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from neo4j.exceptions import TransientError

from graph.candidates import CandidateCache
from graph.connection import translated_errors
from graph.errors import CoauthorError, GraphUnavailable, LoadInterrupted, interrupted
from graph.evidence import mentions_of
from graph.identity_store import recompute_coauthors, resolve_authors, resolve_profiles
from graph.model import AuthorProfile, Paper, Tie
from graph.paper_rows import (
    STRONG_IDS,
    batch_params,
    best_ids,
    better_text,
    file_of,
    one_row_per_paper,
    profile_owners,
    profile_row,
    tie_row,
    unify_within_batch,
    venue_rows,
)

if TYPE_CHECKING:
    import neo4j

    from graph.connection import Graph
    from graph.turns import WriteTurn

__all__ = ["BATCH_SIZE", "WriteSummary", "delete_everything", "write_records"]

RESOLVE_PAPERS = """
UNWIND $rows AS row
CALL (row) { OPTIONAL MATCH (p:Paper {id: row.id}) RETURN p.id AS by_id LIMIT 1 }
CALL (row) { OPTIONAL MATCH (p:Paper {doi: row.props.doi}) RETURN p.id AS by_doi LIMIT 1 }
CALL (row) { OPTIONAL MATCH (p:Paper {arxiv_id: row.props.arxiv_id}) RETURN p.id AS by_arxiv LIMIT 1 }
CALL (row) {
  OPTIONAL MATCH (p:Paper {match_key: row.match_key})
  WHERE (row.props.doi IS NULL OR p.doi IS NULL OR p.doi = row.props.doi)
    AND (row.props.arxiv_id IS NULL OR p.arxiv_id IS NULL OR p.arxiv_id = row.props.arxiv_id)
  RETURN p.id AS by_match LIMIT 1
}
RETURN coalesce(by_id, by_doi, by_arxiv, by_match, row.id) AS id,
       coalesce(by_id, by_doi, by_arxiv, by_match) IS NOT NULL AS existing
"""


# A paper first seen without its DOI (or arXiv id) takes it as its id when a record brings it; a manual split's record
# of the papers it moved follows.
RENAME_PAPERS = """
UNWIND $renames AS rename
MATCH (p:Paper {id: rename.old})
SET p.id = rename.new
WITH rename
CALL (rename) {
  MATCH ()-[d:DISTINCT_FROM]->() WHERE rename.old IN d.papers
  SET d.papers = [paper IN d.papers | CASE paper WHEN rename.old THEN rename.new ELSE paper END]
}
"""


# Every field rule is commutative (the best-written text, the longest, the largest, both true, else the smallest),
# so a paper seen in several records ends the same whatever order, batch size or concurrent load brought them in.
MERGE_PAPERS = f"""
UNWIND $papers AS row
MERGE (p:Paper {{id: row.id}})
SET p.match_key = CASE WHEN p.match_key IS NULL OR row.match_key < p.match_key THEN row.match_key
                  ELSE p.match_key END,
    p.sources = COLLECT {{ UNWIND coalesce(p.sources, []) + row.sources AS s RETURN DISTINCT s ORDER BY s }},
    p.source_refs = COLLECT {{ UNWIND coalesce(p.source_refs, []) + row.source_refs AS s RETURN DISTINCT s ORDER BY s }}
WITH p, row
UNWIND keys(row.props) AS key
WITH p, key, row.props[key] AS value, p[key] AS old
SET p[key] = CASE
  WHEN old IS NULL THEN value
  WHEN key IN $texts THEN CASE WHEN {better_text("value", "old")} THEN value ELSE old END
  WHEN key IN $longest THEN
    CASE WHEN size(value) > size(old) OR (size(value) = size(old) AND value < old) THEN value ELSE old END
  WHEN key IN $largest THEN CASE WHEN value > old THEN value ELSE old END
  WHEN key = 'authors_truncated' THEN old AND value
  WHEN value < old THEN value
  ELSE old END
"""

# `SET a.name = a.name` reads the author on the right of SET, so Cypher locks it first: the names read next (inside
# COLLECT, which takes no lock) are then the committed ones, not ones a concurrent load is about to extend.
MERGE_AUTHORSHIPS = """
UNWIND $rows AS row
MATCH (p:Paper {id: row.id})
UNWIND row.authors AS ar
MERGE (a:Author {id: ar.id})
  ON CREATE SET a.name = ar.name, a.name_key = ar.name_key, a.block_key = ar.block_key
SET a.name = a.name
SET a.names = COLLECT { UNWIND coalesce(a.names, []) + ar.name AS n RETURN DISTINCT n ORDER BY n },
    a += ar.ids
FOREACH (strong IN ar.strong | MERGE (k:AuthorId {id: strong}) MERGE (k)-[:IDENTIFIES]->(a))
MERGE (a)-[r:AUTHORED]->(p)
  ON CREATE SET r.new_in_batch = true, r.identity_rule = ar.identity.rule, r.identity_score = ar.identity.score,
                r.identity_evidence = ar.identity.evidence
WITH r, ar, ar.inferred AND NOT coalesce(r.inferred, true) AS listed_elsewhere
SET r.position = CASE WHEN listed_elsewhere THEN r.position ELSE ar.position END,
    r.name_as_written = CASE WHEN listed_elsewhere THEN r.name_as_written ELSE ar.name END,
    r.inferred = ar.inferred AND coalesce(r.inferred, true),
    r.affiliation = coalesce(ar.affiliation, r.affiliation),
    r.corresponding = coalesce(ar.corresponding, r.corresponding)
"""

MERGE_INSTITUTIONS = """
UNWIND $affiliations AS affiliation
MATCH (a:Author {id: affiliation.author})
UNWIND affiliation.institutions AS institution
MERGE (i:Institution {id: institution.id})
  ON CREATE SET i.name = institution.name
MERGE (a)-[:AFFILIATED_WITH]->(i)
"""

# A paper is published in one venue: the one its (best-written) venue field names; a venue left without papers
# by a better-written record of its paper goes.
LINK_VENUES = """
UNWIND $papers AS row
WITH row WHERE row.venue_id IS NOT NULL
MATCH (p:Paper {id: row.id}) WHERE p.venue = row.props.venue
MERGE (v:Venue {id: row.venue_id})
MERGE (p)-[:PUBLISHED_IN]->(v)
WITH p, v
MATCH (p)-[old:PUBLISHED_IN]->(other:Venue) WHERE other <> v
DELETE old
WITH DISTINCT other WHERE NOT EXISTS { (other)<-[:PUBLISHED_IN]-() }
DELETE other
"""

# The old name is read on the right of SET, so Cypher locks the venue before reading it: a name read earlier (in a
# WITH) could be overwritten by a concurrent load's worse one (a lost update).
NAME_VENUES = f"""
UNWIND $venues AS venue
MATCH (v:Venue {{id: venue.id}})
SET v.name = CASE WHEN v.name IS NULL OR {better_text("venue.name", "v.name")} THEN venue.name ELSE v.name END
"""

MERGE_TOPICS = """
UNWIND $topics AS topic
MERGE (t:Topic {id: topic.id})
SET t.name = CASE WHEN t.name IS NULL OR topic.name < t.name THEN topic.name ELSE t.name END, t.kind = topic.kind
"""

# Topics already written whose kind or ancestors the batch changes: every author's topics (with their ancestors, not
# keywords) may change with them, so no candidate row read before stays as it was.
TOPICS_RESHAPED = """
CALL () {
  UNWIND $topics AS topic
  MATCH (t:Topic {id: topic.id}) WHERE coalesce(t.kind, '') <> coalesce(topic.kind, '')
  RETURN t
  UNION
  UNWIND $links AS link
  MATCH (t:Topic {id: link.child}) WHERE NOT EXISTS { (t)-[:SUBTOPIC_OF]->(:Topic {id: link.parent}) }
  RETURN t
}
RETURN count(t) > 0 AS reshaped
"""

MERGE_TOPIC_LINKS = """
UNWIND $links AS link
MATCH (child:Topic {id: link.child}), (parent:Topic {id: link.parent})
MERGE (child)-[:SUBTOPIC_OF]->(parent)
"""

MERGE_PAPER_TOPICS = """
UNWIND $paper_topics AS row
MATCH (p:Paper {id: row.id})
UNWIND row.topic_ids AS topic_id
MATCH (t:Topic {id: topic_id})
MERGE (p)-[:HAS_TOPIC]->(t)
"""

MERGE_TIES = """
UNWIND $ties AS tie
MERGE (a:Author {id: tie.a.id})
  ON CREATE SET a.name = tie.a.name, a.name_key = tie.a.name_key, a.names = [tie.a.name]
MERGE (b:Author {id: tie.b.id})
  ON CREATE SET b.name = tie.b.name, b.name_key = tie.b.name_key, b.names = [tie.b.name]
MERGE (a)-[c:COAUTHOR]->(b)
  ON CREATE SET c.without_papers = true
SET c.weight = CASE WHEN c.without_papers THEN tie.weight ELSE c.weight END,
    c.sources = CASE WHEN tie.source IN coalesce(c.sources, []) THEN c.sources
                ELSE coalesce(c.sources, []) + tie.source END
"""

# The batch's joint papers are counted per pair first (min and max skip missing years, as the comparisons do), so
# each tie is merged and written once per batch, not once per joint paper.
ADD_COAUTHORS = """
UNWIND $paper_ids AS paper_id
MATCH (a:Author)-[ra:AUTHORED]->(p:Paper {id: paper_id})<-[rb:AUTHORED]-(b:Author)
WHERE a.id < b.id AND (ra.new_in_batch OR rb.new_in_batch) AND NOT coalesce(p.hyperauthored, false)
WITH a, b, count(p) AS papers, min(p.year) AS first_year, max(p.year) AS last_year
MERGE (a)-[c:COAUTHOR]->(b)
  ON CREATE SET c.weight = 0, c.without_papers = false
SET c.weight = CASE WHEN c.without_papers THEN papers ELSE c.weight + papers END,
    c.without_papers = false,
    c.first_year = CASE WHEN c.first_year IS NULL OR first_year < c.first_year THEN first_year ELSE c.first_year END,
    c.last_year = CASE WHEN c.last_year IS NULL OR last_year > c.last_year THEN last_year ELSE c.last_year END
"""

CLEAR_NEW_FLAGS = """
UNWIND $paper_ids AS paper_id
MATCH (:Paper {id: paper_id})<-[r:AUTHORED]-()
WHERE r.new_in_batch
REMOVE r.new_in_batch
"""

YEARS_MOVING = """
UNWIND $years AS row
MATCH (p:Paper {id: row.id})
WHERE row.year < p.year
RETURN p.id AS id
"""

# A paper listed with more than HYPERAUTHORED authors after a shorter list (a truncated one) takes back the ties
# that list added: the ties of its authors so far are counted again without it.
BECOMING_HYPERAUTHORED = """
UNWIND $hyperauthored AS paper_id
MATCH (p:Paper {id: paper_id})
WHERE NOT coalesce(p.hyperauthored, false)
MATCH (a:Author)-[:AUTHORED]->(p)
RETURN DISTINCT a.id AS id
"""

# A paper's year only moves earlier (the earliest a source gives): its ties' years are counted again.
TIE_YEARS = """
UNWIND $moved AS paper_id
MATCH (a:Author)-[:AUTHORED]->(:Paper {id: paper_id})<-[:AUTHORED]-(b:Author)
WHERE a.id < b.id
MATCH (a)-[c:COAUTHOR]->(b)
CALL (a, b) {
  MATCH (a)-[:AUTHORED]->(q:Paper)<-[:AUTHORED]-(b)
  WHERE NOT coalesce(q.hyperauthored, false)
  RETURN min(q.year) AS first, max(q.year) AS last
}
SET c.first_year = first, c.last_year = last
"""

MERGE_PROFILES = """
UNWIND $profiles AS profile
MERGE (a:Author {id: profile.id})
  ON CREATE SET a.name = profile.name, a.name_key = profile.name_key, a.block_key = profile.block_key,
                a.names = [profile.name]
SET a += profile.ids, a += profile.reported
FOREACH (strong IN profile.strong | MERGE (k:AuthorId {id: strong}) MERGE (k)-[:IDENTIFIES]->(a))
"""

DELETE_ALL = """
MATCH (n)
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF $batch_size ROWS
"""

OUT_OF_TRANSACTION_MEMORY = "Neo.TransientError.General.MemoryPoolOutOfMemoryError"
"""The server's answer to a transaction over ``db.memory.transaction.max`` (or the total for all transactions)."""

# Papers per transaction: each batch reads the identities its names could join, so fewer, larger batches read less
# (bench/bench_load.py, 20,000 papers: 1,000 authorships/s at 500, 1,603 at 2,000, 2,283 at 5,000).
BATCH_SIZE = 2000


@dataclass
class WriteSummary:
    """What a write did: records sent, papers that joined an existing Paper node (``merged``: seen before, in
    another source or earlier in the same input), and what the server created or changed."""

    papers: int = 0
    merged: int = 0
    profiles: int = 0
    ties: int = 0
    batches: int = 0
    nodes_created: int = 0
    relationships_created: int = 0
    nodes_deleted: int = 0
    relationships_deleted: int = 0
    properties_set: int = 0

    def add(self, counters: neo4j.SummaryCounters) -> None:
        self.nodes_created += counters.nodes_created
        self.relationships_created += counters.relationships_created
        self.nodes_deleted += counters.nodes_deleted
        self.relationships_deleted += counters.relationships_deleted
        self.properties_set += counters.properties_set

    @property
    def nodes_new(self) -> int:
        """How many more nodes the graph holds (a better-written venue replaces a venue created earlier)."""
        return self.nodes_created - self.nodes_deleted

    @property
    def relationships_new(self) -> int:
        """How many more relationships the graph holds."""
        return self.relationships_created - self.relationships_deleted


def write_records(
    graph: Graph,
    papers: Iterable[Paper],
    profiles: Iterable[AuthorProfile] = (),
    ties: Iterable[Tie] = (),
    *,
    batch_size: int = BATCH_SIZE,
    on_batch: Callable[[int], None] | None = None,
    turn: WriteTurn | None = None,
) -> WriteSummary:
    """MERGE ``papers`` with their authors and topics, ``batch_size`` papers per transaction, then ``profiles``.

    ``on_batch(n)`` is called after each committed batch of ``n`` papers (for progress bars). Profiles become
    authors carrying what the source reported about them, as ``reported_*`` properties. Ties (coauthorships
    known without papers) become COAUTHOR relationships marked ``without_papers``, ``batch_size`` per transaction.

    Candidate authors read by one batch are kept for the next (:mod:`graph.candidates`), which assumes no other
    writer changes authors meanwhile: loads take ``turn`` (kept between batches; a server restart ends it).
    """
    summary = WriteSummary()
    # A list is read again after the papers: a streamed file's (loaders.streaming) fills in as its papers are read.
    profiles = profiles if isinstance(profiles, list) else list(profiles)
    owners = profile_owners(profiles)
    cache = CandidateCache()
    with _refusals_translated(summary):
        for batch in _batches(papers, batch_size):
            with _collector_paused():
                _write_papers(graph, batch, owners, summary, on_batch, cache)
            if turn is not None and not turn.keep():
                cache.clear()  # the turn was taken again: another load may have written in between
        if profiles:
            summary.add(graph.execute_write(_write_profiles, profiles))
            summary.profiles = len(profiles)
        for batch in _batches(ties, batch_size):
            summary.add(graph.execute_write(_run, MERGE_TIES, {"ties": [tie_row(tie) for tie in batch]}))
            summary.ties += len(batch)
    return summary


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a batch is written, on again after. A batch allocates hundreds of
    thousands of objects, each allocation counting towards a collection, and every full collection walks every object
    the process holds (the parsed records, the kept candidates). Measured on 30,000 synthetic papers (bench_load's
    corpus): collections took 23.5 of the load's 102 s, and 1.4 of 86 s with the collector paused by batch."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@contextmanager
def _refusals_translated(summary: WriteSummary) -> Iterator[None]:
    """A write stopped part-way as our error, saying what is kept: a transaction the server still refused after its
    retries (a deadlock, a lock it waited too long for, a database going down), a lost server, or an interrupt. The
    transaction under way wrote nothing, the ones before it are committed."""
    try:
        yield
    except TransientError as err:
        raise CoauthorError(
            f"Neo4j refused a write after retrying it ({err.code}): {err.message}", hint=_kept(summary)
        ) from err
    except GraphUnavailable as err:
        err.hint = "; ".join(filter(None, (err.hint, _kept(summary))))
        raise
    except BaseException as err:
        if interrupted(err):
            raise LoadInterrupted("interrupted while writing", hint=_kept(summary)) from err
        raise


def _kept(summary: WriteSummary) -> str:
    """What a write stopped part-way leaves, and how to finish it."""
    papers = f"{summary.papers} paper{'' if summary.papers == 1 else 's'}"
    return f"{papers} of this input written and kept; run the same load again: nothing is written twice"


def _write_papers(
    graph: Graph,
    batch: list[Paper],
    owners: dict[str, dict[str, str]],
    summary: WriteSummary,
    on_batch: Callable[[int], None] | None,
    cache: CandidateCache,
) -> None:
    """Write one batch in one transaction; a batch that needs more transaction memory than the server allows is
    written as two halves instead (the server's limit, ``db.memory.transaction.max``, is not ours to know)."""
    try:
        counters, merged = graph.execute_write(
            _attempt_batch, batch_params(batch), batch, owners, cache, final=frozenset({OUT_OF_TRANSACTION_MEMORY})
        )
    except TransientError as err:  # out of memory in a statement or the commit: raised at once, never retried
        if err.code != OUT_OF_TRANSACTION_MEMORY:
            raise
        if len(batch) == 1:
            raise CoauthorError(
                f"the paper of {batch[0].source_ref} needs more transaction memory than the Neo4j server allows",
                hint="raise db.memory.transaction.max (or dbms.memory.transaction.total.max) in neo4j.conf",
            ) from err
        half = len(batch) // 2
        _write_papers(graph, batch[:half], owners, summary, on_batch, cache)
        _write_papers(graph, batch[half:], owners, summary, on_batch, cache)
        return
    cache.commit()
    for counter in counters:
        summary.add(counter)
    summary.merged += merged
    summary.papers += len(batch)
    summary.batches += 1
    if on_batch:
        on_batch(len(batch))


def _attempt_batch(
    tx: neo4j.ManagedTransaction,
    params: dict[str, Any],
    papers: list[Paper],
    owners: dict[str, dict[str, str]],
    cache: CandidateCache,
) -> tuple[list[neo4j.SummaryCounters], int]:
    """One attempt at a batch's transaction (a retried one is attempted again): the cache forgets the last one's."""
    cache.begin()
    return _write_batch(tx, params, papers, owners, cache)


def delete_everything(graph: Graph, *, batch_size: int = 10_000) -> int:
    """Delete every node and relationship, ``batch_size`` nodes per transaction; returns the nodes deleted."""
    with translated_errors(graph.settings), graph.session() as session:
        return session.run(DELETE_ALL, batch_size=batch_size).consume().counters.nodes_deleted


def _write_batch(
    tx: neo4j.ManagedTransaction,
    params: dict[str, Any],
    papers: list[Paper],
    owners: dict[str, dict[str, str]],
    cache: CandidateCache,
) -> tuple[list[neo4j.SummaryCounters], int]:
    """Resolve each paper to an existing node (same id, DOI, arXiv id or title+year+first author) and each author
    to an identity (:mod:`graph.identity`), then MERGE.

    Returns the statements' counters and how many papers joined a node that existed or came earlier in the batch.
    """
    resolved = tx.run(RESOLVE_PAPERS, rows=[_lookup_row(row) for row in params["rows"]]).data()
    ids = unify_within_batch(params["rows"], resolved)
    existing = {row["id"] for row in resolved if row["existing"]}
    merged = len(ids) - len(set(ids) - existing)
    ids, renames = best_ids(params["rows"], ids, existing)
    if renames:
        tx.run(RENAME_PAPERS, renames=renames).consume()
    mentions = [
        mentions_of(paper, id_, owners.get(file_of(paper.source_ref))) for paper, id_ in zip(papers, ids, strict=True)
    ]
    authors = resolve_authors(tx, mentions, ids, cache)
    rows = [
        {**row, "id": id_, "authors": [{**ar, **who} for ar, who in zip(row["authors"], resolved_authors, strict=True)]}
        for row, id_, resolved_authors in zip(params["rows"], ids, authors, strict=True)
    ]
    folded = one_row_per_paper(rows)
    params = {**params, **_statement_rows(rows, folded), "papers": folded, "venues": venue_rows(folded)}
    moved = [row["id"] for row in tx.run(YEARS_MOVING, _used(YEARS_MOVING, params))]
    untied = [row["id"] for row in tx.run(BECOMING_HYPERAUTHORED, _used(BECOMING_HYPERAUTHORED, params))]
    if params["topics"] and tx.run(TOPICS_RESHAPED, _used(TOPICS_RESHAPED, params)).single(strict=True)["reshaped"]:
        cache.touch_everyone()
    statements = (
        MERGE_PAPERS,
        MERGE_AUTHORSHIPS,
        MERGE_INSTITUTIONS,
        LINK_VENUES,
        NAME_VENUES,
        MERGE_TOPICS,
        MERGE_TOPIC_LINKS,
        MERGE_PAPER_TOPICS,
        ADD_COAUTHORS,
        CLEAR_NEW_FLAGS,
    )
    counters = [_run(tx, statement, params) for statement in statements]
    if moved:
        counters.append(_run(tx, TIE_YEARS, {"moved": moved}))
    if untied:
        recompute_coauthors(tx, untied)
    return counters, merged


def _lookup_row(row: dict[str, Any]) -> dict[str, Any]:
    """What RESOLVE_PAPERS reads of a row: each statement is sent only what it reads (packing, and the driver's
    rendering of every RUN's parameters for its debug log, cost in proportion)."""
    return {
        "id": row["id"],
        "match_key": row["match_key"],
        "props": {k: row["props"][k] for k in STRONG_IDS if k in row["props"]},
    }


def _statement_rows(rows: list[dict[str, Any]], papers: list[dict[str, Any]]) -> dict[str, list]:
    """The parts of the resolved rows (one per record) and papers (one per node) that the statements after the
    resolution read."""
    return {
        "rows": [{"id": row["id"], "authors": row["authors"]} for row in rows],
        "affiliations": [
            {"author": author["id"], "institutions": author["institutions"]}
            for row in rows
            for author in row["authors"]
            if author["institutions"]
        ],
        "paper_topics": [{"id": row["id"], "topic_ids": row["topic_ids"]} for row in rows if row["topic_ids"]],
        "paper_ids": sorted({row["id"] for row in rows}),
        "years": [{"id": paper["id"], "year": paper["props"]["year"]} for paper in papers if "year" in paper["props"]],
        "hyperauthored": [paper["id"] for paper in papers if paper["props"].get("hyperauthored")],
    }


def _write_profiles(tx: neo4j.ManagedTransaction, profiles: list[AuthorProfile]) -> neo4j.SummaryCounters:
    """Profiles join the Author that carries one of their strong ids or whose papers their page lists."""
    resolved = resolve_profiles(tx, profiles)
    rows = [{**profile_row(profile), **who} for profile, who in zip(profiles, resolved, strict=True)]
    return _run(tx, MERGE_PROFILES, {"profiles": rows})


def _run(tx: neo4j.ManagedTransaction, statement: str, params: dict[str, Any]) -> neo4j.SummaryCounters:
    return tx.run(statement, _used(statement, params)).consume().counters


def _used(statement: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters ``statement`` names: a batch's rows are packed and sent only to the statements that read
    them."""
    return {name: params[name] for name in _names(statement)}


@functools.cache
def _names(statement: str) -> frozenset[str]:
    return frozenset(re.findall(r"\$(\w+)", statement))


def _batches(items: Iterable[Paper], size: int) -> Iterator[list[Paper]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
