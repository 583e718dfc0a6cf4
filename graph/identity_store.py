"""Author identities in Neo4j: read the identities a batch could join, merge two Author nodes, split one, and keep
COAUTHOR weights exact while doing so.

Strong ids live on ``(:AuthorId {id: "orcid:..."})-[:IDENTIFIES]->(:Author)`` (one node per id, unique), so an
Author carries any number of ids of any kind. Every merge of two Author nodes leaves an
``(:IdentityMerge)-[:INTO]->(:Author)`` record with its rule, score and evidence; a split leaves
``(:Author)-[:DISTINCT_FROM]->(:Author)``, which the resolver never crosses. Each AUTHORED relationship records
how its mention was resolved (``identity_rule``, ``identity_score``, ``identity_evidence``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from graph.identity import (
    Evidence,
    Identity,
    Mention,
    Resolution,
    Resolver,
    affiliation_keys,
    strong_ids,
    venue_key,
)
from graph.model import KEYWORD, AuthorProfile

if TYPE_CHECKING:
    import neo4j

__all__ = [
    "fetch_identities",
    "merge_author_nodes",
    "recompute_coauthors",
    "resolve_authors",
    "resolve_profiles",
    "split_author_node",
]

# Rows come back a chunk per record, each row a list (the fields of _CandidateRow): the driver builds each record
# in Python, which cost more than everything else the writer does with a candidate (measured: 1.6 s of client CPU
# for 25,000 one-row records, 0.6 s as lists in a few records).
FETCH_IDENTITIES = """
CALL () {
  UNWIND $strong AS strong MATCH (:AuthorId {id: strong})-[:IDENTIFIES]->(a:Author) RETURN a
  UNION
  UNWIND $blocks AS block MATCH (a:Author {block_key: block}) RETURN a
  UNION
  UNWIND $name_keys AS key MATCH (a:Author {name_key: key}) RETURN a
  UNION
  UNWIND $paper_ids AS paper_id MATCH (a:Author)-[:AUTHORED]->(:Paper {id: paper_id}) RETURN a
}
WITH collect(DISTINCT a) AS found
UNWIND range(0, size(found) - 1, $chunk) AS start
CALL (found, start) {
  UNWIND found[start..start + $chunk] AS a
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

MERGE_AUTHOR_NODES = """
MATCH (gone:Author {id: $gone})
MERGE (keep:Author {id: $keep})
  ON CREATE SET keep.name = gone.name, keep.name_key = gone.name_key, keep.block_key = gone.block_key,
                keep.names = []
WITH keep, gone, [(gone)-[:COAUTHOR]-(b) | b.id] AS neighbours
CALL (keep, gone) {
  MATCH (gone)-[r:AUTHORED]->(p:Paper)
  OPTIONAL MATCH (keep)-[k:AUTHORED]->(p)
  WITH r, p, k, keep
  CALL (r, p, k, keep) { WITH * WHERE k IS NULL CREATE (keep)-[n:AUTHORED]->(p) SET n = properties(r) }
  DELETE r
}
CALL (keep, gone) { MATCH (gone)-[r:AFFILIATED_WITH]->(i) MERGE (keep)-[:AFFILIATED_WITH]->(i) DELETE r }
CALL (keep, gone) { MATCH (k:AuthorId)-[r:IDENTIFIES]->(gone) MERGE (k)-[:IDENTIFIES]->(keep) DELETE r }
CALL (keep, gone) { MATCH (m:IdentityMerge)-[r:INTO]->(gone) MERGE (m)-[:INTO]->(keep) DELETE r }
CALL (keep, gone) {
  MATCH (gone)-[r:DISTINCT_FROM]-(o) WHERE o <> keep MERGE (keep)-[:DISTINCT_FROM]->(o) DELETE r
}
SET keep.names = coalesce(keep.names, []) + [n IN coalesce(gone.names, [gone.name]) WHERE NOT n IN keep.names]
WITH keep, gone, neighbours, [k IN keys(gone) WHERE NOT k IN $own_keys] AS copied
FOREACH (k IN copied | SET keep[k] = coalesce(keep[k], gone[k]))
CREATE (m:IdentityMerge {kept: keep.id, absorbed: gone.id, absorbed_names: coalesce(gone.names, [gone.name]),
                         rule: $rule, score: $score, evidence: $evidence, manual: $manual, at: datetime()})
CREATE (m)-[:INTO]->(keep)
DETACH DELETE gone
RETURN neighbours
"""

MOVE_AUTHORSHIPS = """
MATCH (old:Author {id: $old})-[r:AUTHORED]->(p:Paper) WHERE p.id IN $paper_ids
MERGE (new:Author {id: $new})
  ON CREATE SET new.name = coalesce(r.name_as_written, old.name), new.name_key = old.name_key,
                new.block_key = old.block_key, new.names = [coalesce(r.name_as_written, old.name)]
CREATE (new)-[n:AUTHORED]->(p)
SET n = properties(r), n.identity_rule = 'manual', n.identity_score = 1.0,
    n.identity_evidence = 'split from ' + old.id
DELETE r
WITH DISTINCT old, new
MERGE (new)-[d:DISTINCT_FROM]->(old)
  ON CREATE SET d.manual = true, d.at = datetime(), d.papers = $paper_ids
RETURN [(old)-[:COAUTHOR]-(b) | b.id] AS neighbours
"""

DELETE_COAUTHORS = """
UNWIND $ids AS id
MATCH (:Author {id: id})-[c:COAUTHOR]-()
WHERE NOT c.without_papers
DELETE c
"""

ADD_COAUTHORS_FOR = """
UNWIND $ids AS id
MATCH (x:Author {id: id})-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(y:Author)
WHERE NOT coalesce(p.hyperauthored, false)
WITH CASE WHEN x.id < y.id THEN x ELSE y END AS a, CASE WHEN x.id < y.id THEN y ELSE x END AS b, p
WITH a, b, count(DISTINCT p) AS weight, min(p.year) AS first_year, max(p.year) AS last_year
MERGE (a)-[c:COAUTHOR]->(b)
SET c.weight = weight, c.without_papers = false, c.first_year = first_year, c.last_year = last_year
"""

OWN_KEYS = ["id", "name", "names", "name_key", "block_key"]
FETCH_CHUNK = 1000


class _CandidateRow(NamedTuple):
    """A row of FETCH_IDENTITIES, in its order."""

    id: str
    block: str | None
    names: list[str]
    ids: list[str]
    institutions: list[str]
    coauthor_ids: list[str]
    coauthor_blocks: list[str | None]
    distinct_from: list[str]
    venues: list[str]
    topics: list[str]


def resolve_authors(
    tx: neo4j.ManagedTransaction, mentions: list[list[Mention]], paper_ids: list[str]
) -> list[list[dict[str, Any]]]:
    """For each paper's mentions: the Author id, the strong ids it adds and the evidence that put it there (the
    writer's author rows). Author nodes that turn out to be one person (their ids meet in a mention) are merged
    in the graph first, with their evidence recorded."""
    resolutions, final = _resolve(tx, mentions, paper_ids)
    return [
        [
            {
                "id": _follow(final, resolution.identity.id),
                "block_key": mention.person.block,
                "strong": sorted(resolution.ids),
                "identity": {
                    "rule": resolution.evidence.rule,
                    "score": resolution.evidence.score,
                    "evidence": resolution.evidence.describe(),
                },
            }
            for mention, resolution in zip(paper_mentions, paper_resolutions, strict=True)
        ]
        for paper_mentions, paper_resolutions in zip(mentions, resolutions, strict=True)
    ]


def resolve_profiles(tx: neo4j.ManagedTransaction, profiles: list[AuthorProfile]) -> list[dict[str, Any]]:
    """For each profile: the Author id (by a strong id, or ``profile:<source_ref>`` that its page's papers gave
    their owner) and the strong ids it adds."""
    mentions = [
        [Mention(profile.name, paper="", position=0, ids=strong_ids(profile.ids) | {f"profile:{profile.source_ref}"})]
        for profile in profiles
    ]
    resolutions, final = _resolve(tx, mentions, [])
    return [{"id": _follow(final, r.identity.id), "strong": sorted(r.ids)} for [r] in resolutions]


def _resolve(
    tx: neo4j.ManagedTransaction, mentions: list[list[Mention]], paper_ids: list[str]
) -> tuple[list[list[Resolution]], dict[str, str]]:
    flat = [mention for paper in mentions for mention in paper]
    known = fetch_identities(tx, flat, paper_ids)
    stored = {identity.id for identity in known}
    resolver = Resolver(known)
    resolutions = [[resolver.resolve(mention) for mention in paper] for paper in mentions]
    return resolutions, _merge_in_graph(tx, resolutions, stored)


def _merge_in_graph(tx: neo4j.ManagedTransaction, resolutions: list[list[Resolution]], stored: set[str]) -> dict:
    """Merge the stored Author nodes the resolver found to be one person; returns absorbed id -> kept id."""
    final: dict[str, str] = {}
    evidence: dict[str, Evidence] = {}
    for resolution in (r for paper in resolutions for r in paper):
        for other, why in resolution.merged:
            final[other.id], evidence[other.id] = resolution.identity.id, why
    for gone, keep in final.items():
        if gone in stored:
            merge_author_nodes(tx, _follow(final, keep), gone, evidence[gone])
    return final


def _follow(final: dict[str, str], identity: str) -> str:
    while identity in final:
        identity = final[identity]
    return identity


def fetch_identities(tx: neo4j.ManagedTransaction, mentions: list[Mention], paper_ids: Iterable[str]) -> list[Identity]:
    """The Authors any of ``mentions`` could join: by strong id, name block, folded name, or authorship of a paper
    of the batch, each with the context the resolver scores."""
    params = {
        "strong": sorted({value for mention in mentions for value in mention.ids}),
        "blocks": sorted({mention.person.block for mention in mentions}),
        "name_keys": sorted({mention.name_key for mention in mentions}),
        "paper_ids": sorted(set(paper_ids)),
        "keyword": KEYWORD,
        "chunk": FETCH_CHUNK,
    }
    rows = [_CandidateRow(*row) for [chunk] in tx.run(FETCH_IDENTITIES, params) for row in chunk]
    papers: dict[str, dict[str, int | None]] = {}
    [authorships] = tx.run(FETCH_AUTHORSHIPS, paper_ids=params["paper_ids"]).single(strict=True)
    for author, paper, position in authorships:
        papers.setdefault(author, {})[paper] = position
    # Name blocks two coauthor hops away, found among the fetched Authors (every Author of the batch's blocks): a
    # mention's coauthors are blocks of the batch, so these are all the two-hop blocks its scoring can meet.
    beside: dict[str, set[str]] = {}
    for row in rows:
        for coauthor in row.coauthor_ids:
            beside.setdefault(coauthor, set()).add(row.block)
    return [_identity(row, papers.get(row.id, {}), beside) for row in rows]


def _identity(row: _CandidateRow, papers: dict[str, int | None], beside: dict[str, set[str]]) -> Identity:
    near = set().union(*(beside[coauthor] for coauthor in row.coauthor_ids))
    near.discard(None)
    coauthors = Counter(row.coauthor_blocks)
    coauthors.pop(None, None)
    return Identity(
        id=row.id,
        names=set(row.names or ()),
        ids=set(row.ids),
        coauthors=coauthors,
        institutions={key for name in row.institutions for key in affiliation_keys(name)},
        venues={key for venue in row.venues if (key := venue_key(venue))},
        topics=Counter(row.topics),
        papers=papers,
        distinct_from=set(row.distinct_from),
        near=near,
    )


def merge_author_nodes(
    tx: neo4j.ManagedTransaction, keep: str, gone: str, evidence: Evidence, *, manual: bool = False
) -> list[str]:
    """Make Author ``gone`` part of ``keep`` (its authorships, ids, names, institutions), record the evidence,
    and recompute the COAUTHOR ties of everyone involved. Returns the authors whose ties were recomputed."""
    rows = tx.run(
        MERGE_AUTHOR_NODES,
        keep=keep,
        gone=gone,
        own_keys=OWN_KEYS,
        rule=evidence.rule,
        score=evidence.score,
        evidence=evidence.describe(),
        manual=manual,
    ).data()
    touched = sorted({keep, *(neighbour for row in rows for neighbour in row["neighbours"])} - {gone})
    recompute_coauthors(tx, touched)
    return touched


def split_author_node(tx: neo4j.ManagedTransaction, old: str, new: str, paper_ids: list[str]) -> list[str]:
    """Move ``old``'s authorships of ``paper_ids`` to a new Author ``new``, marked DISTINCT_FROM ``old``, and
    recompute the COAUTHOR ties of both and their coauthors. Returns the authors whose ties were recomputed."""
    rows = tx.run(MOVE_AUTHORSHIPS, old=old, new=new, paper_ids=paper_ids).data()
    touched = sorted({old, new, *(neighbour for row in rows for neighbour in row["neighbours"])})
    recompute_coauthors(tx, touched)
    return touched


def recompute_coauthors(tx: neo4j.ManagedTransaction, ids: list[str]) -> None:
    """Rebuild the paper-backed COAUTHOR ties of ``ids`` from AUTHORED (ties known without papers stay)."""
    tx.run(DELETE_COAUTHORS, ids=ids).consume()
    tx.run(ADD_COAUTHORS_FOR, ids=ids).consume()
