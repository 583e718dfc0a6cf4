"""Read a coauthorship network in GML (Newman's ``netscience.gml`` and kin): one tie per weighted edge.

Both layouts in circulation are read (networkx's tokenizer does not care where lines break)::

    Creator "Mark Newman on Sat Jul 22 06:24:59 2006"       graph [
    graph                                                     node [
    [                                                           id 0
      node                                                      label "ABRAMSON, G"
      [                                                       ]
        id 0 ...                                              edge [ source 0 target 1 value 2.5 ]

Each edge becomes a :class:`~graph.model.Tie` with ``source="gml"`` and its ``value`` as the weight (1.0 when
absent). Its authors are ``AuthorRef(name=<label>, position=0, ids={"node": "<dataset>/<id>"})``, the label kept
as written (``"BARABASI, A"``; the id when it is blank) and the dataset being the file name up to its first dot.

Notes
-----
- Nodes are keyed by ``id``, not ``label``: Newman's labels are ``SURNAME, I`` and repeat for homonyms.
- Nodes without ties (128 in netscience) are not loaded: a tie needs two authors. Each is a
  :class:`~loaders.Note` (at line 0: networkx keeps no positions). ``records_read`` counts edges.
- A pair listed more than once (multigraphs, or both directions of a directed graph) is one tie: the last
  ``value`` wins. Self-loops are not loaded, each with a Note. A ``value`` that is not a positive number is a
  :class:`~loaders.Problem`.
- ``source_ref`` is ``<file name>:<line of the edge>``. Broken GML (unbalanced brackets, an edge to an
  undefined node, a duplicated node id) is an :class:`~graph.errors.InputError`.
"""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import Path

import networkx as nx

from graph.errors import InputError
from graph.model import Tie
from loaders.edge_list import dataset_name, network_author, self_loop_message
from loaders.result import LoadResult, Note, Problem

__all__ = ["parse", "sniff"]

SOURCE = "gml"
_GRAPH = re.compile(r"^\s*graph\s*\[", re.MULTILINE)
_EDGE = re.compile(r"\bedge\s*\[")
_ENDPOINT = re.compile(r"\b(source|target)\s+(-?\d+)")
_ERROR_AT = re.compile(r"at \((\d+), \d+\)")


def sniff(text: str) -> bool:
    """Whether a line ``graph [`` (or ``graph`` then ``[``) opens the text's first 4 KiB."""
    return _GRAPH.search(text[:4096]) is not None


def parse(text: str, path: str, *, as_of: date) -> LoadResult:
    """Parse a GML network into weighted ties (``as_of`` is unused: the edges have no dates).

    Raises
    ------
    InputError
        The GML is malformed (with its line where networkx reports one).
    """
    try:
        network = nx.parse_gml(text, label="id")
    except (nx.NetworkXError, ValueError, IndexError, TypeError, RecursionError) as err:  # networkx raises all five
        position = _ERROR_AT.search(str(err))
        raise InputError(f"malformed GML: {err}", path=path, line=int(position[1]) if position else None) from err
    dataset, file_name, lines = dataset_name(path), Path(path).name, _edge_lines(text)
    authors = {node: network_author(dataset, node, _label(data, node)) for node, data in network.nodes(data=True)}
    ties: dict[frozenset[int], Tie] = {}
    problems: list[Problem] = []
    notes: list[Note] = []
    for u, v, value in network.edges(data="value", default=1.0):
        line = lines.get((u, v)) or lines.get((v, u)) or 0
        if not _is_weight(value):
            problems.append(Problem(path, line, f"edge {u}-{v}: value {value!r} is not a positive number", ""))
        elif u == v:
            notes.append(Note(path, line, self_loop_message(u)))
        else:
            ties[frozenset((u, v))] = Tie(authors[u], authors[v], float(value), SOURCE, f"{file_name}:{line}")
    tied = {node for pair in ties for node in pair}
    notes += [
        Note(path, 0, f"node {node} {authors[node].name!r} not loaded: it has no ties")
        for node in network.nodes
        if node not in tied
    ]
    return LoadResult(
        path=path,
        format=SOURCE,
        papers=[],
        profiles=[],
        problems=problems,
        records_read=network.number_of_edges(),
        ties=list(ties.values()),
        notes=notes,
    )


def _edge_lines(text: str) -> dict[tuple[int, int], int]:
    """(source, target) -> the line of its ``edge [``, by a scan of the text (networkx keeps no positions)."""
    starts = [match.start() for match in _EDGE.finditer(text)]
    lines: dict[tuple[int, int], int] = {}
    line, previous = 1, 0
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        line += text.count("\n", previous, start)
        previous = start
        ends = dict(match.groups() for match in _ENDPOINT.finditer(text, start, end))
        if "source" in ends and "target" in ends:
            lines.setdefault((int(ends["source"]), int(ends["target"])), line)
    return lines


def _label(data: dict[str, object], node: object) -> str:
    """The node's label as written, or its id when the label is absent or blank."""
    label = str(data.get("label", ""))
    return label if label.strip() else str(node)


def _is_weight(value: object) -> bool:
    """A positive number that a float (so Neo4j) holds: GML integers may have any number of digits."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(float(value)) and value > 0
    except OverflowError:
        return False
