"""Stored community runs appear whole or not at all: a write goes through an invisible draft swapped in by one
transaction, so an interrupted write keeps the earlier run, abandoned drafts are cleared by the next write, and
writes of one name, however they interleave, end with one consistent run (the later swap's)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import uuid
from itertools import pairwise
from typing import Any

import pytest

from graph.connection import Graph
from graph.errors import CoauthorError
from graph.model import AuthorRef, Tie
from graph.writer import write_records
from queries import communities
from queries.communities import Partition, read_run, renumber, write_run
from queries.projection import Projection, project_coauthors

# Three groupings of the same six authors: two, three and one community.
PAIRS = {"A1": 1, "A2": 1, "A3": 1, "B1": 2, "B2": 2, "B3": 2}
TRIPLES = {"A1": 1, "A2": 1, "A3": 2, "B1": 2, "B2": 3, "B3": 3}
ONE = dict.fromkeys(PAIRS, 1)

RUN_STATE = """
MATCH (r:CommunityRun)
RETURN r.name AS name, r.algorithm AS algorithm, r.parameters AS parameters, r.authors AS authors,
       r.community_count AS community_count, toString(r.created) AS created, keys(r) AS keys,
       COLLECT { MATCH (r)<-[:IN_RUN]-(c:Community) RETURN [c.id, c.run, c.index, c.size] AS c ORDER BY c } AS groups,
       COLLECT { MATCH (r)<-[:IN_RUN]-(c:Community)<-[:MEMBER_OF]-(a:Author)
                 RETURN [a.name, c.index] AS m ORDER BY m } AS members
ORDER BY name
"""

DRAFTS = """
RETURN COUNT { (:CommunityRunDraft) } AS runs, COUNT { (:CommunityDraft) } AS groups,
       COUNT { (:CommunityDraft)<-[:MEMBER_OF]-(:Author) } AS members
"""

NO_DRAFTS = {"runs": 0, "groups": 0, "members": 0}


def author(name: str) -> AuthorRef:
    return AuthorRef(name, 1, ids={"s2": name})


@pytest.fixture
def projection(graph: Graph) -> Projection:
    """Six authors in a chain of ties A1-A2-A3-B1-B2-B3."""
    chain = ["A1", "A2", "A3", "B1", "B2", "B3"]
    write_records(graph, [], ties=[Tie(author(a), author(b), 1.0, "net", a + b) for a, b in pairwise(chain)])
    return project_coauthors(graph)


def names(graph: Graph) -> dict[str, str]:
    """Each author's name by id."""
    return {row["id"]: row["name"] for row in graph.read("MATCH (a:Author) RETURN a.id AS id, a.name AS name")}


def given(graph: Graph, projection: Projection, groups: dict[str, int], label: str) -> Partition:
    """The partition putting each author (by name) in ``groups``'s community; ``label`` as its algorithm."""
    name = names(graph)
    membership, sizes = renumber([groups[name[author_id]] for author_id in projection.ids])
    return Partition(label, {}, 0.0, membership, sizes)


def make_stale(graph: Graph) -> None:
    """Date every draft's last heartbeat a minute before it counts as abandoned."""
    graph.write(
        "MATCH (d:CommunityRunDraft) SET d.heartbeat = datetime() - duration($stale) - duration('PT1M')",
        stale=communities.STALE_DRAFT,
    )


def runs(graph: Graph) -> list[dict[str, Any]]:
    return graph.read(RUN_STATE)


def drafts(graph: Graph) -> dict[str, int]:
    return graph.read(DRAFTS)[0]


def assert_stored(graph: Graph, name: str, label: str, groups: dict[str, int]) -> None:
    """The run ``name`` is ``label``'s partition, whole: every author once, sizes and counts that add up."""
    (run,) = [run for run in runs(graph) if run["name"] == name]
    assert run["algorithm"] == label
    assert sorted(run["members"]) == sorted([name_, number] for name_, number in groups.items())
    sizes = [size for _id, _run, _index, size in run["groups"]]
    assert run["groups"] == [[f"{name}/{n}", name, n, size] for n, size in enumerate(sizes, 1)]
    assert sizes == [list(groups.values()).count(n) for n in range(1, len(sizes) + 1)]
    assert (run["authors"], run["community_count"], sum(sizes)) == (6, len(set(groups.values())), 6)
    assert sorted(run["keys"]) == ["algorithm", "authors", "community_count", "created", "modularity", "name",
                                   "parameters"]  # fmt: skip


def test_a_write_stores_the_run_whole_and_leaves_no_draft(graph: Graph, projection: Projection):
    assert write_run(graph, "r", projection, given(graph, projection, PAIRS, "pairs"), batch_size=4) == 6
    assert_stored(graph, "r", "pairs", PAIRS)
    assert read_run(graph, "r").membership == {author_id: PAIRS[name] for author_id, name in names(graph).items()}
    assert drafts(graph) == NO_DRAFTS


def test_a_swap_failing_midway_keeps_the_earlier_run_exactly(
    graph: Graph, projection: Projection, monkeypatch: pytest.MonkeyPatch
):
    write_run(graph, "r", projection, given(graph, projection, PAIRS, "pairs"))
    before = runs(graph)
    # The swap retires the earlier run, then fails to promote the draft: its transaction must roll back whole.
    monkeypatch.setattr(communities, "PROMOTE_DRAFT", "RETURN 1 / 0 AS failed")
    with pytest.raises(CoauthorError, match="Neo4j refused the query: / by zero"):
        write_run(graph, "r", projection, given(graph, projection, TRIPLES, "triples"), batch_size=4)
    assert runs(graph) == before
    assert drafts(graph) == NO_DRAFTS
    assert graph.read("MATCH (n) WHERE n._lock IS NOT NULL RETURN count(n) AS locked") == [{"locked": 0}]


def test_a_killed_write_keeps_the_earlier_run_and_its_draft_goes_once_abandoned(
    graph: Graph, projection: Projection, neo4j_env: dict[str, str]
):
    write_run(graph, "r", projection, given(graph, projection, PAIRS, "pairs"))
    before = runs(graph)
    # A process killed (SIGKILL: no clean-up runs) after all its memberships, just as its swap begins.
    killed = textwrap.dedent("""
        import os, signal
        from graph.config import Settings
        from graph.connection import connect
        from queries import communities
        from queries.projection import project_coauthors
        communities._swap_draft = lambda *args: os.kill(os.getpid(), signal.SIGKILL)
        with connect(Settings.from_env()) as graph:
            projection = project_coauthors(graph)
            partition = communities.detect_communities(projection, "wcc")
            communities.write_run(graph, "r", projection, partition, batch_size=4)
    """)
    process = subprocess.run([sys.executable, "-c", killed], env={**os.environ, **neo4j_env}, capture_output=True)
    assert process.returncode == -9, process.stderr.decode()
    assert runs(graph) == before
    assert read_run(graph, "r").algorithm == "pairs"
    assert drafts(graph) == {"runs": 1, "groups": 1, "members": 6}

    write_run(graph, "other", projection, given(graph, projection, ONE, "one"))
    assert drafts(graph) == {"runs": 1, "groups": 1, "members": 6}  # fresh: it may be a live writer's
    make_stale(graph)
    write_run(graph, "other", projection, given(graph, projection, TRIPLES, "triples"))
    assert drafts(graph) == NO_DRAFTS
    assert [run for run in runs(graph) if run["name"] == "r"] == before
    assert_stored(graph, "other", "triples", TRIPLES)


def test_sequential_rewrites_replace_the_run_whole(graph: Graph, projection: Projection):
    for label, groups in [("pairs", PAIRS), ("triples", TRIPLES), ("one", ONE), ("pairs", PAIRS)]:
        write_run(graph, "r", projection, given(graph, projection, groups, label), batch_size=4)
        assert_stored(graph, "r", label, groups)
        assert [run["name"] for run in runs(graph)] == ["r"]
        assert graph.read("RETURN COUNT { (:Community) } AS n, COUNT { ()-[:MEMBER_OF]->() } AS m") == [
            {"n": len(set(groups.values())), "m": 6}
        ]
        assert drafts(graph) == NO_DRAFTS


def draft(graph: Graph, projection: Projection, groups: dict[str, int], label: str) -> tuple[str, list[list]]:
    """Open and fill a draft of the run ``r`` (the steps of write_run before its swap): its token and rows."""
    token = uuid.uuid4().hex
    partition = given(graph, projection, groups, label)
    communities._open_draft(graph, token, "r", partition)
    rows = [[author_id, number] for author_id, number in zip(projection.ids, partition.membership, strict=True)]
    communities._fill_draft(graph, token, rows, 4)
    return token, rows


@pytest.mark.parametrize("later", ["first", "second"])
def test_interleaved_writes_of_one_name_end_with_the_later_swap(graph: Graph, projection: Projection, later: str):
    write_run(graph, "r", projection, given(graph, projection, ONE, "one"))
    first = draft(graph, projection, PAIRS, "first")
    second = draft(graph, projection, TRIPLES, "second")
    order = [first, second] if later == "second" else [second, first]
    won, lost = (TRIPLES, PAIRS) if later == "second" else (PAIRS, TRIPLES)
    for token, rows in order:
        graph.execute_write(communities._swap_draft, token, "r", len(rows))
    assert_stored(graph, "r", later, won)
    # The runs replaced (ONE by the earlier swap, then the earlier one's by the later) wait for their deletion.
    assert drafts(graph) == {"runs": 2, "groups": 1 + len(set(lost.values())), "members": 12}
    for token, _rows in order:
        communities._delete_drafts(graph, token)
    assert drafts(graph) == NO_DRAFTS
    assert_stored(graph, "r", later, won)


def test_a_draft_taken_over_while_its_writer_stalled_is_never_swapped_in(graph: Graph, projection: Projection):
    write_run(graph, "r", projection, given(graph, projection, ONE, "one"))
    before = runs(graph)
    token, rows = draft(graph, projection, PAIRS, "stalled")
    make_stale(graph)
    write_run(graph, "other", projection, given(graph, projection, TRIPLES, "triples"))  # takes the draft over
    with pytest.raises(CoauthorError, match="community run 'r' was not stored: its draft holds 0 of 6 memberships"):
        graph.execute_write(communities._swap_draft, token, "r", len(rows))
    assert [run for run in runs(graph) if run["name"] == "r"] == before
    assert drafts(graph) == NO_DRAFTS


def test_concurrent_writes_of_one_name_leave_one_consistent_run(graph: Graph, projection: Projection):
    partitions = {label: given(graph, projection, groups, label) for label, groups in [("pairs", PAIRS), ("one", ONE)]}
    failures: list[BaseException] = []

    def write(label: str) -> None:
        try:
            for _ in range(5):
                write_run(graph, "r", projection, partitions[label], batch_size=2)
        except BaseException as err:  # reported by the assertion below
            failures.append(err)

    threads = [threading.Thread(target=write, args=(label,)) for label in partitions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    (label,) = [run["algorithm"] for run in runs(graph)]
    assert_stored(graph, "r", label, PAIRS if label == "pairs" else ONE)
    assert drafts(graph) == NO_DRAFTS


class PromotesAfter:
    """A transaction that holds its promotion back until ``event`` is set."""

    def __init__(self, tx: Any, event: threading.Event):
        self.tx, self.event = tx, event

    def run(self, query: str, **params: Any) -> Any:
        if query == communities.PROMOTE_DRAFT:
            self.event.wait()
        return self.tx.run(query, **params)


def test_overlapping_swaps_of_a_new_name_take_turns_and_the_later_wins(graph: Graph, projection: Projection):
    first, rows = draft(graph, projection, PAIRS, "first")
    second, _rows = draft(graph, projection, TRIPLES, "second")
    committed = threading.Event()
    failures: list[BaseException] = []

    def swap_second() -> None:
        """Swap the second draft, promoting it only once the first swap has committed."""
        try:
            graph.execute_write(lambda tx: communities._swap_draft(PromotesAfter(tx, committed), second, "r", 6))
        except BaseException as err:  # reported by the assertion below
            failures.append(err)

    with graph.session() as session, session.begin_transaction() as tx:
        communities._swap_draft(tx, first, "r", len(rows))  # no run named r yet: nothing but drafts to lock
        later = threading.Thread(target=swap_second)
        later.start()
        later.join(timeout=2)
        assert later.is_alive()
        tx.commit()
    committed.set()
    later.join()
    # The second swap promoted its draft only after the first had committed: it must have retired the first's run,
    # not have found none to retire (its draft's name would then be taken).
    assert failures == []
    assert_stored(graph, "r", "second", TRIPLES)
    assert drafts(graph) == {"runs": 1, "groups": 2, "members": 6}  # the first's run, retired
