"""Write a network (see :mod:`queries.networks`) as files other tools open: Gephi, VOSviewer, d3, networkx.

Formats
-------
- ``graphml`` and ``gexf`` (GEXF 1.2): networkx's writers; Gephi reads ``label`` as the node label and ``weight``
  as the edge weight. XML 1.0 cannot hold most control characters, so those become U+FFFD in these two formats
  (tabs and newlines are kept).
- ``vosviewer``: a VOSviewer map file and network file, tab-separated and UTF-8, as VOSviewer's documentation
  describes them (https://app.vosviewer.com/docs/file-types/map-and-network-file-type). ``-o out.txt`` writes
  ``out_map.txt`` and ``out_network.txt``. The map file has a header line ``id label description url
  [cluster] weight<…>… score<…>…``; the network file has no header and three columns: two item ids and the link
  strength. Item ids are 1..n in the network's node order. A label or description holding a comma, semicolon
  or double quote is enclosed in double quotes (inner quotes doubled), and tabs and line breaks in it become
  spaces, since each item must stay on one line.
- ``vosviewer-json``: VOSviewer's JSON (https://app.vosviewer.com/docs/file-types/json-file-type):
  ``network.items`` (id, label, description, url, cluster, weights, scores), ``network.links`` (source_id,
  target_id, strength) and ``network.clusters`` (cluster, label).
- ``json``: networkx's node-link JSON with the edges under ``links`` (d3's name); read it back with
  ``networkx.node_link_graph(data, edges="links")``.

VOSviewer clusters are integers from 1 to 1000: a node whose cluster number is larger is written without one.
Descriptions may hold HTML in VOSviewer, so every text in them is escaped.
"""

from __future__ import annotations

import codecs
import html
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote

import networkx as nx

from graph.errors import InputError
from queries.networks import Network

__all__ = [
    "FORMATS",
    "MAX_VOSVIEWER_CLUSTER",
    "SCORES",
    "WEIGHTS",
    "VosItem",
    "check_writable",
    "output_paths",
    "vosviewer_items",
    "vosviewer_json",
    "write_network",
    "write_stream",
]

FORMATS = ("graphml", "gexf", "vosviewer", "vosviewer-json", "json")
MAX_VOSVIEWER_CLUSTER = 1000

# Node attribute -> VOSviewer weight label (non-negative; 0 where a node lacks it) or score label (blank then).
WEIGHTS = {"papers": "Documents", "citations": "Citations", "degree": "Coauthors", "strength": "Tie strength"}
SCORES = {"pagerank": "PageRank", "first_year": "First year", "last_year": "Last year", "year": "Year"}

XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
CELL_BREAKERS = re.compile(r"[\t\r\n\x0b\x0c\x85\u2028\u2029]+")
NEEDS_QUOTES = re.compile('[,;"]')


@dataclass(frozen=True)
class VosItem:
    """One VOSviewer item: its number, texts, cluster (``None`` when it has none) and named weights and scores."""

    id: int
    label: str
    description: str
    url: str
    cluster: int | None
    weights: dict[str, float]
    scores: dict[str, float]


def output_paths(fmt: str, path: Path) -> list[Path]:
    """The files ``fmt`` writes for ``-o path``: ``path`` itself, or ``<stem>_map`` and ``<stem>_network``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")
    if fmt != "vosviewer":
        return [path]
    suffix = path.suffix or ".txt"
    return [path.with_name(f"{path.stem}_map{suffix}"), path.with_name(f"{path.stem}_network{suffix}")]


def check_writable(paths: list[Path]) -> None:
    """Raise InputError naming the first path that cannot be written (missing folder, no permission, a folder)."""
    for path in paths:
        folder = path.parent
        if path.is_dir():
            raise InputError("cannot write the export: this is a folder", path=str(path))
        if not folder.is_dir():
            raise InputError("cannot write the export: its folder does not exist", path=str(path))
        target = path if path.exists() else folder
        if not os.access(target, os.W_OK):
            raise InputError("cannot write the export: permission denied", path=str(path))


def write_network(network: Network, fmt: str, path: Path) -> list[Path]:
    """Write ``network`` in ``fmt`` (one of :data:`FORMATS`) for ``-o path``; returns the files written.

    Raises InputError naming the file when it cannot be written.
    """
    paths = output_paths(fmt, path)
    check_writable(paths)
    try:
        if fmt == "vosviewer":
            _write_vosviewer(network, *paths)
        else:
            with paths[0].open("wb") as out:
                write_stream(network, fmt, out)
    except OSError as err:
        where = err.filename or paths[0]
        raise InputError(f"cannot write the export: {err.strerror or err}", path=str(where)) from err
    return paths


def write_stream(network: Network, fmt: str, out: BinaryIO) -> None:
    """Write ``network`` in a one-file ``fmt`` (every format but ``vosviewer``) to ``out``, e.g. standard output."""
    if fmt == "graphml":
        nx.write_graphml(_xml_safe(network.graph), out)
    elif fmt == "gexf":
        nx.write_gexf(_xml_safe(network.graph), out)
    elif fmt in ("json", "vosviewer-json"):
        document = _node_link(network) if fmt == "json" else vosviewer_json(network)
        json.dump(document, codecs.getwriter("utf-8")(out), ensure_ascii=False)
    else:
        raise ValueError(f"export format {fmt!r} does not write one file (graphml, gexf, json, vosviewer-json do)")


def vosviewer_items(network: Network) -> tuple[list[VosItem], list[tuple[int, int, float]]]:
    """The network as VOSviewer items (ids 1..n in node order) and links ``(source id, target id, strength)``."""
    number = {node: index for index, node in enumerate(network.graph, start=1)}
    items = [_vos_item(number[node], data, network.cluster) for node, data in network.graph.nodes(data=True)]
    links = [(number[a], number[b], float(data.get("weight", 1.0))) for a, b, data in network.graph.edges(data=True)]
    return items, links


def vosviewer_json(network: Network) -> dict[str, Any]:
    """VOSviewer's JSON document for ``network``: items, links and the clusters that have a label."""
    items, links = vosviewer_items(network)
    used = {item.cluster for item in items if item.cluster is not None}
    clusters = [{"cluster": n, "label": label} for n, label in sorted(network.cluster_labels.items()) if n in used]
    return {
        "network": {
            "items": [_json_item(item) for item in items],
            "links": [{"source_id": a, "target_id": b, "strength": strength} for a, b, strength in links],
            "clusters": clusters,
        }
    }


def _vos_item(number: int, data: dict[str, Any], cluster: str | None) -> VosItem:
    value = data.get(cluster) if cluster else None
    in_range = isinstance(value, int) and 1 <= value <= MAX_VOSVIEWER_CLUSTER
    return VosItem(
        id=number,
        label=str(data.get("label", "")),
        description=_description(data),
        url=_url(data),
        cluster=value if in_range else None,
        weights={label: float(data[key]) for key, label in WEIGHTS.items() if key in data},
        scores={label: float(data[key]) for key, label in SCORES.items() if key in data},
    )


def _description(data: dict[str, Any]) -> str:
    """A short HTML description: the kind in bold, then the known facts, every text escaped."""
    facts = []
    if "papers" in data and data.get("kind") != "paper":
        facts.append(f"{data['papers']} paper{'' if data['papers'] == 1 else 's'}")
    years = sorted({data[key] for key in ("year", "first_year", "last_year") if key in data})
    if years:
        facts.append("\N{EN DASH}".join(str(year) for year in years))
    facts += [str(data[key]) for key in ("venue", "topic_kind") if key in data]
    if "community" in data:
        facts.append(f"community {data['community']}")
    kind = html.escape(str(data.get("kind", "item")).capitalize())
    return " \N{MIDDLE DOT} ".join([f"<b>{kind}</b>", *(html.escape(fact) for fact in facts)])


def _url(data: dict[str, Any]) -> str:
    """A link to the item's record: the DOI, the arXiv abstract page or the ORCID record; '' without one."""
    if "doi" in data:
        return "https://doi.org/" + quote(data["doi"], safe="/:;()._-")
    if "arxiv_id" in data:
        return "https://arxiv.org/abs/" + quote(data["arxiv_id"], safe="/._-")
    if "orcid" in data:
        return "https://orcid.org/" + quote(data["orcid"], safe="-X")
    return ""


def _json_item(item: VosItem) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": item.id, "label": item.label, "description": item.description}
    if item.url:
        entry["url"] = item.url
    if item.cluster is not None:
        entry["cluster"] = item.cluster
    return {**entry, "weights": item.weights, "scores": item.scores}


def _write_vosviewer(network: Network, map_path: Path, network_path: Path) -> None:
    items, links = vosviewer_items(network)
    weights = [label for label in WEIGHTS.values() if any(label in item.weights for item in items)]
    scores = [label for label in SCORES.values() if any(label in item.scores for item in items)]
    clustered = any(item.cluster is not None for item in items)
    header = ["id", "label", "description", "url", *(["cluster"] if clustered else [])]
    header += [f"weight<{label}>" for label in weights] + [f"score<{label}>" for label in scores]
    with map_path.open("w", encoding="utf-8", newline="\n") as out:
        out.write("\t".join(header) + "\n")
        for item in items:
            row = [str(item.id), _vos_text(item.label), _vos_text(item.description), _vos_text(item.url)]
            if clustered:
                row.append("" if item.cluster is None else str(item.cluster))
            row += [_number(item.weights.get(label, 0.0)) for label in weights]
            row += [_number(item.scores[label]) if label in item.scores else "" for label in scores]
            out.write("\t".join(row) + "\n")
    with network_path.open("w", encoding="utf-8", newline="\n") as out:
        out.writelines(f"{a}\t{b}\t{_number(strength)}\n" for a, b, strength in links)


def _vos_text(text: str) -> str:
    """One map-file cell: line breaks and tabs become a space; quoted when it holds a comma, semicolon or quote."""
    text = CELL_BREAKERS.sub(" ", text)
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if NEEDS_QUOTES.search(text) else text


def _number(value: float) -> str:
    """``3`` for 3.0, else the shortest exact decimal (``0.0123``)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _node_link(network: Network) -> dict[str, Any]:
    data = nx.node_link_data(network.graph, edges="links")
    data["graph"] = {"network": network.what}
    if network.cluster:
        data["graph"]["cluster_attribute"] = network.cluster
        data["graph"]["cluster_labels"] = {str(n): label for n, label in sorted(network.cluster_labels.items())}
    return data


def _xml_safe(graph: nx.Graph) -> nx.Graph:
    """``graph`` itself when its texts (node keys too) hold only characters XML 1.0 allows, else a cleaned copy."""
    if not any(isinstance(text, str) and XML_ILLEGAL.search(text) for text in _texts(graph)):
        return graph

    def clean(value: Any) -> Any:
        return XML_ILLEGAL.sub("\ufffd", value) if isinstance(value, str) else value

    safe = nx.Graph()
    safe.add_nodes_from((clean(n), {k: clean(v) for k, v in data.items()}) for n, data in graph.nodes(data=True))
    safe.add_edges_from(
        (clean(a), clean(b), {k: clean(v) for k, v in data.items()}) for a, b, data in graph.edges(data=True)
    )
    return safe


def _texts(graph: nx.Graph) -> Iterator[Any]:
    """Every node key and attribute value of ``graph`` (edge ends are node keys)."""
    for node, data in graph.nodes(data=True):
        yield node
        yield from data.values()
    for _a, _b, data in graph.edges(data=True):
        yield from data.values()
