"""Read a SNAP coauthorship edge list (``ca-GrQc.txt`` and kin): one undirected tie per pair of author nodes.

The file, as SNAP publishes it (``#`` comment lines, then one ``<from> <to>`` pair of integers a line)::

    # Directed graph (each unordered pair of nodes is saved once): CA-GrQc.txt
    # FromNodeId    ToNodeId
    3466    937
    937     3466

Each unordered pair becomes one :class:`~graph.model.Tie` with ``source="snap"``. Its authors are anonymous:
``AuthorRef(name="3466", position=0, ids={"node": "ca-GrQc/3466"})``, the dataset being the file name up to
its first dot (``ca-GrQc.txt.gz`` -> ``ca-GrQc``). There are no papers.

Notes
-----
- SNAP lists each edge in both directions (some copies once, some shuffled): ``a b`` and ``b a`` are one tie.
  SNAP's edges are unweighted ("coauthored at least one paper"), so every tie has ``weight=1.0`` however
  often its pair is listed; ``source_ref`` is ``<file name>:<line>`` of the pair's first line.
- Self-loops (``a a``, present in every SNAP file) say nothing about coauthorship and are not loaded: each is a
  :class:`~loaders.Note`; they count in ``records_read``. Blank lines are skipped; a line that is not two
  integers is a :class:`~loaders.Problem`.
- Separators may be tabs or spaces, line endings LF or CRLF, the last line may lack its newline.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from graph.model import AuthorRef, Tie
from loaders.result import LoadResult, Note, Problem

__all__ = ["dataset_name", "network_author", "parse", "self_loop_message", "sniff"]

SOURCE = "snap"
_SNIFF_LINES = 20
_NODE_ID = re.compile(r"[0-9]{1,18}")  # a node id a 64-bit integer holds


def sniff(text: str) -> bool:
    """Whether the first lines that are not ``#`` comments or blank are all two integers (and there is one)."""
    data = [line for line in text[:4096].splitlines()[:_SNIFF_LINES] if line.strip() and not line.startswith("#")]
    return bool(data) and all(_pair(line) for line in data[:-1] or data)


def dataset_name(path: str) -> str:
    """The dataset a file holds, from its name up to the first dot: ``/x/CA-HepTh.noheader.txt.gz`` -> ``CA-HepTh``."""
    return Path(path).name.split(".", 1)[0]


def parse(text: str, path: str, *, as_of: date) -> LoadResult:
    """Parse an edge list into one weight-1 tie per unordered pair (``as_of`` is unused: edges have no dates)."""
    dataset, file_name = dataset_name(path), Path(path).name
    first_line: dict[tuple[int, int], int] = {}
    problems: list[Problem] = []
    notes: list[Note] = []
    records = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        records += 1
        pair = _pair(line)
        if pair is None:
            problems.append(Problem(path, number, "not a pair of integer node ids", line[:120]))
            continue
        a, b = sorted(pair)
        if a == b:
            notes.append(Note(path, number, self_loop_message(a)))
        else:
            first_line.setdefault((a, b), number)
    nodes = {node: network_author(dataset, node) for pair in first_line for node in pair}  # one AuthorRef per node
    ties = [Tie(nodes[a], nodes[b], 1.0, SOURCE, f"{file_name}:{number}") for (a, b), number in first_line.items()]
    return LoadResult(
        path=path,
        format=SOURCE,
        papers=[],
        profiles=[],
        problems=problems,
        records_read=records,
        ties=ties,
        notes=notes,
    )


def self_loop_message(node: object) -> str:
    """The note on an edge from ``node`` to itself, which is no tie: a coauthorship needs two authors."""
    return f"self-loop {node}-{node} not loaded: a tie needs two authors"


def _pair(line: str) -> tuple[int, int] | None:
    """``"3466 937"`` -> (3466, 937); ``None`` unless the line is two whitespace-separated integers of at most
    18 digits."""
    fields = line.split()
    if len(fields) == 2 and all(_NODE_ID.fullmatch(field) for field in fields):
        return int(fields[0]), int(fields[1])
    return None


def network_author(dataset: str, node: int, name: str | None = None) -> AuthorRef:
    """The author behind a network node: ``ids={"node": "<dataset>/<node>"}``, named ``name`` or the node id."""
    return AuthorRef(name=str(node) if name is None else name, position=0, ids={"node": f"{dataset}/{node}"})
